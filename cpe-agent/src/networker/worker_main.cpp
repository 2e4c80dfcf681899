// The network worker's side (`cpe-agent net-worker --fd N`): reads calls from the daemon,
// performs them with libcurl (the same code the daemon would run in process) and answers.
#include <unistd.h>

#include <csignal>

#include "agent/http_client.h"
#include "agent/network_worker.h"
#include "networker/messages.h"
#include "transfer/ca_bundle.h"
#include "transfer/curl_request.h"

namespace agent {
namespace {

// Upload bodies and SOAP requests; far above what the phone sends.
constexpr size_t kMaxRequestBytes = 64u << 20;

class Worker {
 public:
  std::string Handle(std::string_view payload) {
    networker::WireReader in(payload);
    auto call = networker::DecodeCallHeader(in);
    if (!call.ok()) return networker::EncodeStatusReply(call.status());
    switch (*call) {
      case networker::Call::kPerform:
        return Perform(in);
      case networker::Call::kSessionStart:
        return StartSession(in);
      case networker::Call::kSessionPost:
        return Post(in);
      case networker::Call::kDecode:
        return Decode(in);
      case networker::Call::kCaCommonName:
        return CaCommonName(in);
      case networker::Call::kVerifyFirmwareSignature:
        return VerifySignature(in);
    }
    return networker::EncodeStatusReply(cwmp::Internal("network worker: unhandled call"));
  }

 private:
  static std::string Malformed(const char* what) {
    return networker::EncodeStatusReply(
        cwmp::ParseError(std::string("network worker: malformed ") + what + " request"));
  }

  std::string Perform(networker::WireReader& in) {
    transfer_internal::Request request;
    FetchOptions options;
    if (!networker::DecodePerform(in, &request, &options)) return Malformed("transfer");
    return networker::EncodePerformReply(transfer_internal::PerformWithCurl(request, options));
  }

  std::string StartSession(networker::WireReader& in) {
    if (session_) {
      return networker::EncodeStatusReply(
          cwmp::FailedPrecondition("network worker: a session is already open"));
    }
    HttpClientOptions options;
    if (!networker::DecodeSessionStart(in, &options)) return Malformed("session start");
    client_ = MakeCurlHttpClient(std::move(options));
    auto session = client_->StartSession();
    if (!session.ok()) return networker::EncodeStatusReply(session.status());
    session_ = std::move(*session);
    return networker::EncodeStatusReply(cwmp::Status::Ok());
  }

  std::string Post(networker::WireReader& in) {
    if (!session_) {
      return networker::EncodeStatusReply(
          cwmp::FailedPrecondition("network worker: POST without a session"));
    }
    HttpRequest request;
    if (!networker::DecodeSessionPost(in, &request)) return Malformed("POST");
    return networker::EncodePostReply(session_->Post(request));
  }

  static std::string Decode(networker::WireReader& in) {
    std::string bytes;
    cwmp::content::DecodeOptions options;
    if (!networker::DecodeDecode(in, &bytes, &options)) return Malformed("decode");
    return networker::EncodeDecodeReply(cwmp::content::DecodeContent(bytes, options));
  }

  static std::string CaCommonName(networker::WireReader& in) {
    std::string pem;
    if (!networker::DecodeCaCommonName(in, &pem)) return Malformed("certificate");
    return networker::EncodeStringReply(CaBundleCommonName(pem));
  }

  static std::string VerifySignature(networker::WireReader& in) {
    FirmwareManifest manifest;
    std::string key;
    if (!networker::DecodeVerifyFirmwareSignature(in, &manifest, &key)) {
      return Malformed("signature");
    }
    return networker::EncodeStatusReply(VerifyFirmwareSignature(manifest, key));
  }

  // The session refers to the client's options: declared after it, destroyed before it.
  std::unique_ptr<HttpClient> client_;
  std::unique_ptr<HttpSession> session_;
};

}  // namespace

int RunNetworkWorker(int fd) {
  ::signal(SIGPIPE, SIG_IGN);  // a closed socket is an error return, not a signal
  Worker worker;
  const auto forever = std::chrono::steady_clock::time_point::max();
  for (;;) {
    auto request = networker::ReadFrame(fd, kMaxRequestBytes, forever);
    if (!request.ok()) {
      // A clean close ends the worker's job; anything else is reported by the daemon.
      return request.status().code() == cwmp::StatusCode::kNotFound ? 0 : 1;
    }
    std::string reply = worker.Handle(*request);
    if (!networker::WriteFrame(fd, reply, forever).ok()) return 1;
  }
}

}  // namespace agent
