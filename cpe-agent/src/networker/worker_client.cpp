// The daemon's side of the network worker: the ACS HttpClient and the transfer layer's
// Perform, each call answered by a worker process (network_worker.h).
#include "agent/http_client.h"
#include "agent/network_worker.h"
#include "networker/messages.h"
#include "networker/worker_process.h"
#include "transfer/ca_bundle.h"
#include "transfer/curl_request.h"

namespace agent {
namespace {

using std::chrono::milliseconds;

class WorkerHttpSession final : public HttpSession {
 public:
  WorkerHttpSession(std::unique_ptr<networker::WorkerProcess> worker,
                    const HttpClientOptions& options)
      : worker_(std::move(worker)), options_(options) {}

  cwmp::Result<HttpResponse> Post(const HttpRequest& request) override {
    milliseconds timeout = request.timeout.value_or(options_.request_timeout) +
                           options_.connect_timeout + networker::kWorkerGrace;
    auto reply = worker_->Call(networker::EncodeSessionPost(request),
                               options_.max_response_bytes + networker::kReplyOverhead, timeout);
    if (!reply.ok()) return cwmp::IoError("POST " + request.url + ": " + reply.status().message());
    return networker::DecodePostReply(*reply);
  }

 private:
  std::unique_ptr<networker::WorkerProcess> worker_;
  const HttpClientOptions& options_;
};

class WorkerHttpClient final : public HttpClient {
 public:
  explicit WorkerHttpClient(HttpClientOptions options) : options_(std::move(options)) {}

  cwmp::Result<std::unique_ptr<HttpSession>> StartSession() override {
    auto worker = networker::WorkerProcess::Start();
    if (!worker.ok()) return worker.status();
    auto reply = (*worker)->Call(networker::EncodeSessionStart(options_), 64 * 1024,
                                 options_.connect_timeout + networker::kWorkerGrace);
    if (!reply.ok()) return reply.status();
    if (auto st = networker::DecodeStatusReply(*reply); !st.ok()) return st;
    return std::unique_ptr<HttpSession>(
        std::make_unique<WorkerHttpSession>(std::move(*worker), options_));
  }

 private:
  HttpClientOptions options_;
};

// Decoding, certificates, signatures: bounded CPU work on bytes already here.
constexpr milliseconds kCryptoTimeout{30000};

// Runs one isolated call in a worker of its own.
cwmp::Result<std::string> CallOnce(const std::string& request, size_t max_reply) {
  auto worker = networker::WorkerProcess::Start();
  if (!worker.ok()) return worker.status();
  return (*worker)->Call(request, max_reply, kCryptoTimeout);
}

}  // namespace

cwmp::Result<cwmp::content::Decoded> DecodeContentIsolated(
    std::string_view bytes, const cwmp::content::DecodeOptions& options) {
  bool needs_ciphers = options.key.has_value() || options.aes128gcm;
  if (!NetworkWorkerEnabled() || !needs_ciphers) {
    return cwmp::content::DecodeContent(bytes, options);
  }
  auto reply = CallOnce(networker::EncodeDecode(bytes, options),
                        options.max_output + networker::kReplyOverhead);
  if (!reply.ok()) return reply.status();
  return networker::DecodeDecodeReply(*reply);
}

cwmp::Result<std::string> CaBundleCommonNameIsolated(std::string_view pem) {
  if (!NetworkWorkerEnabled()) return CaBundleCommonName(pem);
  auto reply = CallOnce(networker::EncodeCaCommonName(pem), 64 * 1024);
  if (!reply.ok()) return reply.status();
  return networker::DecodeStringReply(*reply);
}

cwmp::Status VerifyFirmwareSignatureIsolated(const FirmwareManifest& manifest,
                                             std::string_view public_key_pem) {
  if (!NetworkWorkerEnabled()) return VerifyFirmwareSignature(manifest, public_key_pem);
  auto reply =
      CallOnce(networker::EncodeVerifyFirmwareSignature(manifest, public_key_pem), 64 * 1024);
  if (!reply.ok()) return reply.status();
  return networker::DecodeStatusReply(*reply);
}

std::unique_ptr<HttpClient> MakeAcsHttpClient(HttpClientOptions options) {
  if (NetworkWorkerEnabled()) return std::make_unique<WorkerHttpClient>(std::move(options));
  return MakeCurlHttpClient(std::move(options));
}

namespace transfer_internal {

Response Perform(const Request& request, const FetchOptions& options) {
  if (!NetworkWorkerEnabled()) return PerformWithCurl(request, options);
  Response response;
  auto worker = networker::WorkerProcess::Start();
  if (!worker.ok()) {
    response.error = worker.status().message();
    return response;
  }
  milliseconds timeout = milliseconds(options.connect_timeout_ms + options.total_timeout_ms) +
                         networker::kWorkerGrace;
  auto reply = (*worker)->Call(networker::EncodePerform(request, options),
                               options.max_bytes + networker::kReplyOverhead, timeout);
  auto decoded = reply.ok() ? networker::DecodePerformReply(*reply)
                            : cwmp::Result<Response>(reply.status());
  if (!decoded.ok()) {
    response.error = decoded.status().message();
    return response;
  }
  return std::move(*decoded);
}

}  // namespace transfer_internal
}  // namespace agent
