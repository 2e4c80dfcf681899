// One CWMP session (TR-069 §3.7): Inform → InformResponse → CPE requests (unless HoldRequests)
// → empty POST → ACS requests answered through the delegate → 204 / empty answer.
#include <algorithm>
#include <atomic>
#include <string>
#include <string_view>

#include "agent/cwmp_client.h"

namespace agent {
namespace {

using cwmp::Result;
using cwmp::Status;
using cwmp::soap::Body;
using cwmp::soap::CwmpVersion;
using cwmp::soap::Decoded;
using cwmp::soap::Envelope;

std::string NextEnvelopeId() {
  static std::atomic<uint64_t> counter{0};
  return "cpe-" + std::to_string(++counter);
}

std::string SupportedVersions(CwmpVersion max) {
  std::string out;
  for (auto v : {CwmpVersion::k1_0, CwmpVersion::k1_1, CwmpVersion::k1_2, CwmpVersion::k1_3,
                 CwmpVersion::k1_4}) {
    if (v > max) break;
    if (!out.empty()) out += ",";
    out += cwmp::soap::VersionString(v);
  }
  return out;
}

bool IsResponse(const Body& body) {
  std::string_view name = cwmp::soap::MethodName(body);
  return name.size() > 8 && name.substr(name.size() - 8) == "Response";
}

// The version the rest of the session uses, from the ACS's InformResponse.
Result<CwmpVersion> SessionVersion(const Decoded& d, CwmpVersion max) {
  if (d.envelope.use_cwmp_version) {
    auto v = cwmp::soap::ParseVersion(*d.envelope.use_cwmp_version);
    if (!v || *v > max) {
      return cwmp::Unsupported("ACS asked for CWMP version \"" +
                               d.envelope.use_cwmp_version->substr(0, 16) +
                               "\", which this agent does not support (max " +
                               std::string(cwmp::soap::VersionString(max)) + ")");
    }
    return *v;
  }
  CwmpVersion implied = d.namespace_version;
  // cwmp-1-2 covers 1.2-1.4; SessionTimeout exists from 1.3 on.
  if (implied == CwmpVersion::k1_2 && d.envelope.session_timeout) implied = CwmpVersion::k1_3;
  return std::min(implied, max);
}

class Exchange {
 public:
  Exchange(HttpSession& http, const SessionOptions& options)
      : http_(http), options_(options), url_(options.acs_url), timeout_(options.session_timeout) {}

  void set_timeout(std::chrono::seconds t) { timeout_ = t; }
  uint32_t messages() const { return messages_; }

  // POSTs `envelope` (a request when `is_request`, else a response/fault) and reads the answer.
  Result<std::optional<Decoded>> Send(const Envelope& envelope, CwmpVersion version,
                                      bool is_request) {
    auto xml = cwmp::soap::Encode(envelope, version);
    if (!xml.ok())
      return xml.status().WithPrefix("encoding " +
                                     std::string(cwmp::soap::MethodName(envelope.body)));
    HttpRequest req;
    req.url = url_;
    req.body = std::move(*xml);
    req.headers.emplace_back("Content-Type", "text/xml; charset=\"utf-8\"");
    if (is_request) {
      req.headers.emplace_back("SOAPAction",
                               "\"" + std::string(cwmp::soap::NamespaceOf(version)) + "#" +
                                   std::string(cwmp::soap::MethodName(envelope.body)) + "\"");
    } else {
      req.headers.emplace_back("SOAPAction", "");  // responses: the header with no value
    }
    return Post(std::move(req));
  }

  // The empty POST: no SOAPAction, no Content-Type, Content-Length 0.
  Result<std::optional<Decoded>> SendEmpty() {
    HttpRequest req;
    req.url = url_;
    return Post(std::move(req));
  }

 private:
  Result<std::optional<Decoded>> Post(HttpRequest req) {
    if (++messages_ > options_.max_messages) {
      return cwmp::LimitExceeded("session exceeded " + std::to_string(options_.max_messages) +
                                 " messages");
    }
    req.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout_);
    auto resp = http_.Post(req);
    if (!resp.ok()) return resp.status();
    // After a redirect the rest of the session goes to the new URL (the next session starts
    // from ManagementServer.URL again).
    if (!resp->effective_url.empty()) url_ = resp->effective_url;
    if (resp->status == 401 || resp->status == 407) {
      return cwmp::FailedPrecondition("ACS " + options_.acs_url +
                                      " refused the credentials (HTTP " +
                                      std::to_string(resp->status) + ")");
    }
    if (resp->status == 204) return std::optional<Decoded>();
    if (resp->status != 200) {
      return cwmp::IoError("ACS " + options_.acs_url + " answered HTTP " +
                           std::to_string(resp->status));
    }
    if (resp->body.find_first_not_of(" \t\r\n") == std::string::npos) {
      return std::optional<Decoded>();
    }
    auto decoded = cwmp::soap::Decode(resp->body, options_.decode_limits);
    if (!decoded.ok()) return decoded.status();
    return std::optional<Decoded>(std::move(*decoded));
  }

  HttpSession& http_;
  const SessionOptions& options_;
  std::string url_;
  std::chrono::seconds timeout_;
  uint32_t messages_ = 0;
};

Status CheckEcho(const Envelope& sent, const Envelope& got) {
  if (!got.id.empty() && got.id != sent.id) {
    return cwmp::ParseError("ACS answered cwmp:ID \"" + got.id.substr(0, 64) + "\" to \"" +
                            sent.id + "\"");
  }
  return Status::Ok();
}

std::string FaultSummary(const cwmp::soap::Fault& f) {
  return "fault " + std::to_string(f.code) + " " +
         (f.string.empty() ? f.soap_faultstring : f.string);
}

class SessionRun {
 public:
  SessionRun(HttpSession& http, SessionDelegate& delegate, const SessionOptions& options)
      : delegate_(delegate), options_(options), ex_(http, options) {}

  Status Run(uint32_t retry_count, const std::vector<std::string>& extra_events) {
    CWMP_RETURN_IF_ERROR(InformPhase(retry_count, extra_events));
    if (!out.hold_requests) CWMP_RETURN_IF_ERROR(CpeRequestPhase());
    return AcsRequestPhase();
  }

  SessionOutcome out;

 private:
  Status InformPhase(uint32_t retry_count, const std::vector<std::string>& extra_events) {
    cwmp::soap::Inform inform = delegate_.BuildInform(retry_count);
    inform.retry_count = retry_count;
    for (const auto& code : extra_events) {
      bool present = std::any_of(inform.events.begin(), inform.events.end(),
                                 [&](const auto& e) { return e.event_code == code; });
      if (!present) inform.events.push_back({code, ""});
    }
    Envelope env;
    env.id = NextEnvelopeId();
    if (options_.max_version >= CwmpVersion::k1_4) {
      env.supported_cwmp_versions = SupportedVersions(options_.max_version);
    }
    env.body = inform;
    auto answer = ex_.Send(env, options_.max_version, true);
    if (!answer.ok()) return answer.status().WithPrefix("Inform");
    if (!answer->has_value()) return cwmp::ParseError("ACS answered the Inform with no envelope");
    const Decoded& d = **answer;
    if (auto* f = std::get_if<cwmp::soap::Fault>(&d.envelope.body)) {
      return cwmp::FailedPrecondition("ACS answered the Inform with " + FaultSummary(*f));
    }
    if (!std::holds_alternative<cwmp::soap::InformResponse>(d.envelope.body)) {
      return cwmp::ParseError("ACS answered the Inform with " +
                              std::string(cwmp::soap::MethodName(d.envelope.body)));
    }
    CWMP_RETURN_IF_ERROR(CheckEcho(env, d.envelope));
    auto version = SessionVersion(d, options_.max_version);
    if (!version.ok()) return version.status();
    version_ = *version;
    out.version = version_;
    if (d.envelope.session_timeout && *d.envelope.session_timeout > 0) {
      ex_.set_timeout(std::chrono::seconds(*d.envelope.session_timeout));
    }
    out.hold_requests = d.envelope.hold_requests.value_or(false);
    out.inform_accepted = true;
    delegate_.OnInformAccepted(inform);
    return Status::Ok();
  }

  Status CpeRequestPhase() {
    while (auto request = delegate_.NextCpeRequest()) {
      Envelope env;
      env.id = NextEnvelopeId();
      env.body = *request;
      std::string method(cwmp::soap::MethodName(*request));
      auto answer = ex_.Send(env, version_, true);
      if (!answer.ok()) return answer.status().WithPrefix(method);
      if (!answer->has_value())
        return cwmp::ParseError("ACS answered " + method + " with no envelope");
      const Envelope& got = (*answer)->envelope;
      CWMP_RETURN_IF_ERROR(CheckEcho(env, got));
      if (std::holds_alternative<cwmp::soap::Fault>(got.body)) {
        // The request stays pending in the device; sending it again now would loop.
        delegate_.OnCpeRequestAnswered(*request, got.body);
        return Status::Ok();
      }
      if (cwmp::soap::MethodName(got.body) != method + "Response") {
        return cwmp::ParseError("ACS answered " + method + " with " +
                                std::string(cwmp::soap::MethodName(got.body)));
      }
      delegate_.OnCpeRequestAnswered(*request, got.body);
      ++out.cpe_requests;
      if (got.hold_requests.value_or(false)) return Status::Ok();
    }
    return Status::Ok();
  }

  Status AcsRequestPhase() {
    auto answer = ex_.SendEmpty();
    while (true) {
      Envelope reply;
      if (!answer.ok()) {
        if (answer.status().code() != cwmp::StatusCode::kUnsupported) {
          return answer.status().WithPrefix("reading ACS request");
        }
        // A mustUnderstand header CWMP does not define: the SOAP MustUnderstand fault.
        reply.body = cwmp::soap::MustUnderstandFault(answer.status().message());
      } else if (!answer->has_value()) {
        return Status::Ok();  // 204 or empty body: the ACS is done
      } else {
        const Envelope& req = (*answer)->envelope;
        if (IsResponse(req.body) || std::holds_alternative<cwmp::soap::Fault>(req.body)) {
          return cwmp::ParseError("ACS sent " + std::string(cwmp::soap::MethodName(req.body)) +
                                  " where a request was expected");
        }
        reply.id = req.id;
        if (auto* unknown = std::get_if<cwmp::soap::UnknownMethod>(&req.body)) {
          reply.body =
              cwmp::soap::MakeFault(9000, "Method not supported: " + unknown->name.substr(0, 64));
        } else {
          reply.body = delegate_.HandleAcsRequest(req.body);
        }
        ++out.acs_requests;
      }
      if (!cwmp::soap::Encode(reply, version_).ok()) {
        // The device's answer does not fit this version's schema: report an internal error.
        reply.body = cwmp::soap::MakeFault(9002);
      }
      answer = ex_.Send(reply, version_, false);
    }
  }

  SessionDelegate& delegate_;
  const SessionOptions& options_;
  Exchange ex_;
  CwmpVersion version_ = CwmpVersion::k1_4;
};

}  // namespace

SessionOutcome RunSession(HttpSession& http, SessionDelegate& delegate,
                          const SessionOptions& options, uint32_t retry_count,
                          const std::vector<std::string>& extra_events) {
  SessionRun run(http, delegate, options);
  run.out.version = options.max_version;
  run.out.status = run.Run(retry_count, extra_events);
  delegate.OnSessionEnd(run.out.status.ok());
  return run.out;
}

}  // namespace agent
