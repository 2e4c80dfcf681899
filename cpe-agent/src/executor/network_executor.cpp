#include "agent/network_executor.h"

#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>

#include "agent/ca_store.h"
#include "cli/file_io.h"

namespace agent {
namespace {

constexpr uint32_t kUploadFailure = 9011;
constexpr uint32_t kServerAuthFailure = 9012;
constexpr uint32_t kCannotContactServer = 9015;
constexpr uint32_t kCannotAccessFile = 9016;
constexpr uint32_t kFileCorrupted = 9018;
constexpr uint32_t kFileAuthFailure = 9019;

cwmp::soap::TransferFault Fault(uint32_t code, std::string text) {
  cwmp::soap::TransferFault f;
  f.fault_code = code;
  f.fault_string = std::move(text);
  return f;
}

// The TransferComplete fault for a failed fetch or upload.
cwmp::soap::TransferFault FaultFor(const FetchResult& r, uint32_t other_failure) {
  if (r.outcome == FetchOutcome::kFileNotFound) return Fault(kCannotAccessFile, r.error);
  if (r.http_status == 401 || r.http_status == 407) return Fault(kServerAuthFailure, r.error);
  if (r.http_status == 0 && r.server_ip.empty()) return Fault(kCannotContactServer, r.error);
  return Fault(other_failure, r.error);
}

class NetworkTransferExecutor final : public TransferExecutor {
 public:
  // `slots` and `ca` are used when the options name no shared ones.
  NetworkTransferExecutor(NetworkExecutorOptions options, std::optional<ImageSlots> slots,
                          std::optional<CaStore> ca)
      : options_(std::move(options)), own_slots_(std::move(slots)), own_ca_(std::move(ca)),
        slots_(options_.image_slots ? *options_.image_slots : *own_slots_),
        ca_(options_.ca_store ? *options_.ca_store : *own_ca_) {}

  DownloadResult Fetch(const TransferRequest& request) override {
    FetchResult r = agent::Fetch(request.url, OptionsFor(request));
    DownloadResult out;
    if (r.outcome != FetchOutcome::kOk) {
      out.fault = FaultFor(r, kCannotAccessFile);
      return out;
    }
    out.content = std::move(r.body);
    return out;
  }

  cwmp::soap::TransferFault Put(const TransferRequest& request,
                                std::string_view content) override {
    FetchResult r = agent::Upload(request.url, content, UploadMethod::kPut, OptionsFor(request));
    if (r.outcome != FetchOutcome::kOk) return FaultFor(r, kUploadFailure);
    return {};
  }

  cwmp::soap::TransferFault InstallFirmware(const TransferRequest&,
                                            std::string_view image) override {
    auto bundle = ValidateUpgrade(image, options_.policy);
    if (!bundle.ok()) {
      const bool signature = bundle.status().message().find("signature") != std::string::npos;
      return Fault(signature ? kFileAuthFailure : kFileCorrupted, bundle.status().message());
    }
    cwmp::Status st = slots_.Install(*bundle);
    if (!st.ok()) return Fault(kFileCorrupted, st.message());
    return {};
  }

  cwmp::soap::TransferFault InstallCustomCa(std::string_view pem) override {
    cwmp::Status st = ca_.InstallCustomCa(pem, std::time(nullptr));
    if (!st.ok()) return Fault(kFileCorrupted, st.message());
    return {};
  }

  std::string ReadLog() override {
    if (options_.log_file.empty()) return {};
    constexpr size_t kMaxLogBytes = size_t{4} << 20;
    auto log = cli::ReadFileCapped(options_.log_file, kMaxLogBytes);
    return log.ok() ? std::move(log).value() : std::string();
  }

 private:
  // The configured options plus the request's credentials and the current trust store.
  FetchOptions OptionsFor(const TransferRequest& request) const {
    FetchOptions o = options_.fetch;
    o.username = request.username;
    o.password = request.password;
    o.ca_store = &ca_;
    return o;
  }

  NetworkExecutorOptions options_;
  std::optional<ImageSlots> own_slots_;
  std::optional<CaStore> own_ca_;
  ImageSlots& slots_;
  CaStore& ca_;
};

}  // namespace

cwmp::Result<std::unique_ptr<TransferExecutor>> MakeNetworkTransferExecutor(
    const NetworkExecutorOptions& options) {
  std::optional<ImageSlots> slots;
  if (options.image_slots == nullptr) {
    auto opened = ImageSlots::Open(options.state_dir);
    if (!opened.ok()) return opened.status();
    slots = std::move(opened).value();
  }
  std::optional<CaStore> ca;
  if (options.ca_store == nullptr) {
    auto opened = CaStore::Open(options.state_dir);
    if (!opened.ok()) return opened.status();
    ca = std::move(opened).value();
  }
  return std::unique_ptr<TransferExecutor>(
      std::make_unique<NetworkTransferExecutor>(options, std::move(slots), std::move(ca)));
}

}  // namespace agent
