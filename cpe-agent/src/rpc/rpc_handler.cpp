#include "agent/rpc_handler.h"

#include <algorithm>

#include "agent/transfer_executor.h"
#include "cwmp/soap/codec.h"

namespace agent {
namespace {

namespace soap = cwmp::soap;
using soap::MakeFault;

template <typename T>
soap::Body Unwrap(FaultOr<T>&& r, auto make_response) {
  if (auto* f = std::get_if<soap::Fault>(&r)) return std::move(*f);
  return make_response(std::move(std::get<T>(r)));
}

// Checks the arguments a Download, ScheduleDownload and Upload share; a fault or nullopt.
std::optional<soap::Fault> CheckTransferArgs(const std::string& command_key,
                                             const std::string& url) {
  if (command_key.size() > 32) return MakeFault(9003, "CommandKey longer than 32 characters");
  if (url.empty() || url.size() > 256) return MakeFault(9003, "URL empty or longer than 256");
  auto scheme_end = url.find("://");
  std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "http" && scheme != "https" && scheme != "tftp") {
    return MakeFault(9013, "Unsupported protocol for file transfer: " +
                               (scheme.empty() ? std::string("(none)") : scheme));
  }
  return std::nullopt;
}

bool DownloadTypeSupported(std::string_view type) {
  return type == kFileTypeFirmware || type == kFileTypeConfig || type == kFileTypeCustomCa;
}

int64_t Seconds(std::chrono::sys_seconds t) { return t.time_since_epoch().count(); }

}  // namespace

std::vector<std::string> RpcHandler::SupportedMethods() {
  return {"GetRPCMethods",          "SetParameterValues",     "GetParameterValues",
          "GetParameterNames",      "SetParameterAttributes", "GetParameterAttributes",
          "AddObject",              "DeleteObject",           "Reboot",
          "Download",               "ScheduleDownload",       "Upload",
          "FactoryReset",           "ScheduleInform",         "GetQueuedTransfers",
          "GetAllQueuedTransfers",  "CancelTransfer"};
}

soap::Body RpcHandler::Handle(const soap::Body& request) {
  if (std::holds_alternative<soap::GetRPCMethods>(request)) {
    return soap::GetRPCMethodsResponse{SupportedMethods()};
  }
  if (auto* r = std::get_if<soap::GetParameterValues>(&request)) {
    return Unwrap(model_.GetValues(r->names), [](auto v) {
      return soap::GetParameterValuesResponse{std::move(v)};
    });
  }
  if (auto* r = std::get_if<soap::SetParameterValues>(&request)) {
    return Unwrap(model_.SetValues(r->parameters, r->parameter_key),
                  [](int status) { return soap::SetParameterValuesResponse{status}; });
  }
  if (auto* r = std::get_if<soap::GetParameterNames>(&request)) {
    return Unwrap(model_.GetNames(r->parameter_path, r->next_level), [](auto v) {
      return soap::GetParameterNamesResponse{std::move(v)};
    });
  }
  if (auto* r = std::get_if<soap::GetParameterAttributes>(&request)) {
    return Unwrap(model_.GetAttributes(r->names), [](auto v) {
      return soap::GetParameterAttributesResponse{std::move(v)};
    });
  }
  if (auto* r = std::get_if<soap::SetParameterAttributes>(&request)) {
    return Unwrap(model_.SetAttributes(r->parameters),
                  [](std::monostate) { return soap::SetParameterAttributesResponse{}; });
  }
  if (auto* r = std::get_if<soap::AddObject>(&request)) {
    return Unwrap(model_.AddObject(r->object_name, r->parameter_key), [](uint32_t n) {
      return soap::AddObjectResponse{n, 0};
    });
  }
  if (auto* r = std::get_if<soap::DeleteObject>(&request)) {
    return Unwrap(model_.DeleteObject(r->object_name, r->parameter_key),
                  [](int status) { return soap::DeleteObjectResponse{status}; });
  }
  if (auto* r = std::get_if<soap::Reboot>(&request)) {
    if (r->command_key.size() > 32) return MakeFault(9003, "CommandKey longer than 32 characters");
    if (auto st = events_.RequestReboot(r->command_key); !st.ok()) {
      return MakeFault(9002, st.message());
    }
    return soap::RebootResponse{};
  }
  if (std::holds_alternative<soap::FactoryReset>(request)) {
    if (auto st = events_.RequestFactoryReset(); !st.ok()) return MakeFault(9002, st.message());
    return soap::FactoryResetResponse{};
  }
  if (auto* r = std::get_if<soap::ScheduleInform>(&request)) {
    if (r->command_key.size() > 32) return MakeFault(9003, "CommandKey longer than 32 characters");
    if (r->delay_seconds == 0) return MakeFault(9003, "DelaySeconds must be greater than 0");
    ScheduledInform si{Seconds(clock_.Now()) + r->delay_seconds, r->command_key};
    if (auto st = events_.AddScheduledInform(si); !st.ok()) return MakeFault(9002, st.message());
    return soap::ScheduleInformResponse{};
  }
  if (auto* r = std::get_if<soap::Download>(&request)) return Download(*r);
  if (auto* r = std::get_if<soap::ScheduleDownload>(&request)) return ScheduleDownload(*r);
  if (auto* r = std::get_if<soap::Upload>(&request)) return Upload(*r);
  if (std::holds_alternative<soap::GetQueuedTransfers>(request) ||
      std::holds_alternative<soap::GetAllQueuedTransfers>(request)) {
    bool all = std::holds_alternative<soap::GetAllQueuedTransfers>(request);
    soap::GetQueuedTransfersResponse brief;
    soap::GetAllQueuedTransfersResponse full;
    auto add = [&](const std::string& key, int state, bool is_download,
                   const std::string& file_type, uint32_t size, const std::string& target) {
      brief.transfers.push_back({key, state});
      full.transfers.push_back({key, state, is_download, file_type, size, target});
    };
    for (const auto& t : events_.state().transfers) {
      add(t.command_key, t.state, t.method != "Upload", t.file_type, t.file_size,
          t.target_file_name);
    }
    // Finished transfers whose TransferComplete has not been acknowledged are state 3.
    for (const auto& r : events_.state().results) {
      if (!r.autonomous) {
        add(r.command_key, 3, r.method_event != kEventMUpload, r.file_type, r.file_size,
            r.target_file_name);
      }
    }
    if (all) return full;
    return brief;
  }
  if (auto* r = std::get_if<soap::CancelTransfer>(&request)) {
    auto st = events_.Cancel(r->command_key);
    if (st.ok()) return soap::CancelTransferResponse{};
    if (st.code() == cwmp::StatusCode::kFailedPrecondition) return MakeFault(9021, st.message());
    if (st.code() == cwmp::StatusCode::kNotFound) return MakeFault(9003, st.message());
    return MakeFault(9002, st.message());
  }
  return MakeFault(9000, "Method not supported: " + std::string(soap::MethodName(request)));
}

std::optional<soap::Fault> RpcHandler::Queue(QueuedTransferItem item) {
  auto id = events_.Enqueue(std::move(item));
  if (!id.ok()) {
    if (id.status().code() == cwmp::StatusCode::kLimitExceeded) {
      return MakeFault(9004, id.status().message());
    }
    return MakeFault(9002, id.status().message());
  }
  return std::nullopt;
}

soap::Body RpcHandler::Download(const soap::Download& r) {
  if (auto f = CheckTransferArgs(r.command_key, r.url)) return *f;
  if (!DownloadTypeSupported(r.file_type)) {
    return MakeFault(9003, "Unsupported FileType \"" + r.file_type + "\"");
  }
  QueuedTransferItem item;
  item.method = "Download";
  item.command_key = r.command_key;
  item.file_type = r.file_type;
  item.url = r.url;
  item.username = r.username;
  item.password = r.password;
  item.file_size = r.file_size;
  item.target_file_name = r.target_file_name;
  item.not_before = Seconds(clock_.Now()) + r.delay_seconds;
  if (auto fault = Queue(std::move(item))) return *fault;
  // Status 1: the transfer completes later and a TransferComplete reports it.
  return soap::DownloadResponse{1, std::string(soap::kUnknownTime),
                                std::string(soap::kUnknownTime)};
}

soap::Body RpcHandler::ScheduleDownload(const soap::ScheduleDownload& r) {
  if (auto f = CheckTransferArgs(r.command_key, r.url)) return *f;
  if (!DownloadTypeSupported(r.file_type)) {
    return MakeFault(9003, "Unsupported FileType \"" + r.file_type + "\"");
  }
  if (r.time_windows.empty() || r.time_windows.size() > 2) {
    return MakeFault(9003, "ScheduleDownload needs one or two time windows");
  }
  for (size_t i = 0; i < r.time_windows.size(); ++i) {
    const auto& w = r.time_windows[i];
    if (w.window_end <= w.window_start) {
      return MakeFault(9003, "TimeWindow " + std::to_string(i + 1) + ": end not after start");
    }
    if (i > 0 && w.window_start < r.time_windows[i - 1].window_end) {
      return MakeFault(9003, "TimeWindows overlap");
    }
    if (w.window_mode != "1 At Any Time" && w.window_mode != "2 Immediately" &&
        w.window_mode != "3 When Idle") {
      // "4 Confirmation Needed" needs a user prompt the agent does not have.
      return MakeFault(9003, "Unsupported WindowMode \"" + w.window_mode + "\"");
    }
  }
  int64_t now = Seconds(clock_.Now());
  QueuedTransferItem item;
  item.method = "ScheduleDownload";
  item.command_key = r.command_key;
  item.file_type = r.file_type;
  item.url = r.url;
  item.username = r.username;
  item.password = r.password;
  item.file_size = r.file_size;
  item.target_file_name = r.target_file_name;
  item.not_before = now + r.time_windows.front().window_start;
  item.deadline = now + r.time_windows.back().window_end;
  if (auto fault = Queue(std::move(item))) return *fault;
  return soap::ScheduleDownloadResponse{};
}

soap::Body RpcHandler::Upload(const soap::Upload& r) {
  if (auto f = CheckTransferArgs(r.command_key, r.url)) return *f;
  if (r.file_type != kUploadTypeConfig && r.file_type != kUploadTypeLog) {
    return MakeFault(9003, "Unsupported FileType \"" + r.file_type + "\"");
  }
  QueuedTransferItem item;
  item.method = "Upload";
  item.command_key = r.command_key;
  item.file_type = r.file_type;
  item.url = r.url;
  item.username = r.username;
  item.password = r.password;
  item.not_before = Seconds(clock_.Now()) + r.delay_seconds;
  if (auto fault = Queue(std::move(item))) return *fault;
  return soap::UploadResponse{1, std::string(soap::kUnknownTime),
                              std::string(soap::kUnknownTime)};
}

}  // namespace agent
