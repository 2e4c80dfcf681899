// The daemon's side of the network worker: the ACS HttpClient and the transfer layer's
// Perform, each call answered by a worker process (network_worker.h).
#include "agent/http_client.h"
#include "agent/network_worker.h"
#include "networker/messages.h"
#include "networker/worker_process.h"
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

}  // namespace

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
