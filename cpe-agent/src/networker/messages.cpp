#include "networker/messages.h"

#include <climits>
#include <cstdint>
#include <optional>

namespace agent::networker {
namespace {

constexpr uint32_t kMaxStatusCode = static_cast<uint32_t>(cwmp::StatusCode::kInternal);

WireWriter Request(Call call) {
  WireWriter w;
  w.U8(kProtocolVersion);
  w.U8(static_cast<uint8_t>(call));
  return w;
}

void PutStatus(WireWriter& w, const cwmp::Status& status) {
  w.U32(static_cast<uint32_t>(status.code()));
  w.Str(status.message());
}

cwmp::Status Malformed(std::string_view what) {
  return cwmp::ParseError("network worker: malformed " + std::string(what) + " reply");
}

// Reads the reply's status. *ok is false when the status itself could not be read.
cwmp::Status GetStatus(WireReader& in, std::string_view what, bool* ok) {
  uint32_t code = 0;
  std::string message;
  // An OK status never carries a message (PutStatus writes none): one that does is forged.
  *ok = in.U32(&code) && in.Str(&message) && code <= kMaxStatusCode &&
        (code != 0 || message.empty());
  if (!*ok) return Malformed(what);
  if (code == 0) return cwmp::Status::Ok();
  if (message.empty()) message = "network worker: error without a message";
  return cwmp::Status(static_cast<cwmp::StatusCode>(code), std::move(message));
}

void PutPairs(WireWriter& w, const std::vector<std::pair<std::string, std::string>>& pairs) {
  w.U32(static_cast<uint32_t>(pairs.size()));
  for (const auto& [name, value] : pairs) {
    w.Str(name);
    w.Str(value);
  }
}

bool GetPairs(WireReader& in, std::vector<std::pair<std::string, std::string>>* pairs) {
  uint32_t n = 0;
  if (!in.Count(&n, 8)) return false;
  pairs->clear();
  pairs->reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    std::string name, value;
    if (!in.Str(&name) || !in.Str(&value)) return false;
    pairs->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

bool GetMillis(WireReader& in, std::chrono::milliseconds* v) {
  int64_t ms = 0;
  if (!in.I64(&ms) || ms < 0) return false;
  *v = std::chrono::milliseconds(ms);
  return true;
}

bool GetSize(WireReader& in, size_t* v) {
  int64_t n = 0;
  if (!in.I64(&n) || n < 0) return false;
  *v = static_cast<size_t>(n);
  return true;
}

void PutOptionalSecret(WireWriter& w, const std::optional<cwmp::Secret>& s) {
  w.Bool(s.has_value());
  w.Str(s ? s->Reveal() : std::string());
}

bool GetOptionalSecret(WireReader& in, std::optional<cwmp::Secret>* s) {
  bool present = false;
  std::string value;
  if (!in.Bool(&present) || !in.Str(&value) || (!present && !value.empty())) return false;
  if (present) {
    *s = cwmp::Secret(std::move(value));
  } else {
    s->reset();
  }
  return true;
}

void PutStrings(WireWriter& w, const std::vector<std::string>& v) {
  w.U32(static_cast<uint32_t>(v.size()));
  for (const auto& s : v) w.Str(s);
}

bool GetStrings(WireReader& in, std::vector<std::string>* v) {
  uint32_t n = 0;
  if (!in.Count(&n, 4)) return false;
  v->assign(n, std::string());
  for (auto& s : *v) {
    if (!in.Str(&s)) return false;
  }
  return true;
}

}  // namespace

std::string EncodePerform(const transfer_internal::Request& request, const FetchOptions& options) {
  WireWriter w = Request(Call::kPerform);
  w.Str(request.url);
  w.Str(request.host);
  w.I64(request.port);
  w.Str(request.address);
  w.Str(request.method);
  w.Str(request.body);
  w.Bool(request.send_body);
  w.U8(static_cast<uint8_t>(request.credentials));
  w.Bool(request.digest);
  w.Str(request.custom_ca_pem);
  w.Str(options.user_agent);
  w.U8(options.http_version == HttpVersion::k1_0 ? 0 : 1);
  w.Str(options.username);
  w.Str(options.password.Reveal());
  w.I64(static_cast<int64_t>(options.max_bytes));
  w.I64(options.connect_timeout_ms);
  w.I64(options.total_timeout_ms);
  w.Str(options.client_cert_file);
  w.Str(options.client_key_file);
  return w.Take();
}

std::string EncodeSessionStart(const HttpClientOptions& options) {
  WireWriter w = Request(Call::kSessionStart);
  w.Str(options.username);
  w.Str(options.password.Reveal());
  w.Bool(options.allow_basic_without_tls);
  w.Bool(options.verify_server);
  w.Str(options.extra_ca_file);
  w.Str(options.client_cert_file);
  w.Str(options.client_key_file);
  w.I64(options.connect_timeout.count());
  w.I64(options.request_timeout.count());
  w.I64(static_cast<int64_t>(options.max_response_bytes));
  w.Str(options.user_agent);
  return w.Take();
}

std::string EncodeSessionPost(const HttpRequest& request) {
  WireWriter w = Request(Call::kSessionPost);
  w.Str(request.url);
  w.Str(request.body);
  PutPairs(w, request.headers);
  w.Bool(request.timeout.has_value());
  w.I64(request.timeout.value_or(std::chrono::milliseconds(0)).count());
  return w.Take();
}

std::string EncodeDecode(std::string_view bytes, const cwmp::content::DecodeOptions& o) {
  WireWriter w = Request(Call::kDecode);
  w.Str(bytes);
  PutOptionalSecret(w, o.key);
  PutOptionalSecret(w, o.ikm);
  w.Bool(o.aes128gcm);
  w.I64(static_cast<int64_t>(o.max_input));
  w.I64(static_cast<int64_t>(o.max_output));
  w.I64(o.pbkdf2_iterations);
  return w.Take();
}

std::string EncodeCaCommonName(std::string_view pem) {
  WireWriter w = Request(Call::kCaCommonName);
  w.Str(pem);
  return w.Take();
}

std::string EncodeVerifyFirmwareSignature(const FirmwareManifest& m,
                                          std::string_view public_key_pem) {
  WireWriter w = Request(Call::kVerifyFirmwareSignature);
  w.Str(m.version);
  PutStrings(w, m.models);
  w.I64(static_cast<int64_t>(m.payload_length));
  w.Str(m.payload_sha256);
  w.Str(m.signature_algorithm);
  w.Str(m.signature);
  w.Str(public_key_pem);
  return w.Take();
}

cwmp::Result<Call> DecodeCallHeader(WireReader& in) {
  uint8_t version = 0, call = 0;
  if (!in.U8(&version) || !in.U8(&call)) {
    return cwmp::ParseError("network worker: request shorter than its header");
  }
  if (version != kProtocolVersion) {
    return cwmp::Unsupported("network worker: protocol version " + std::to_string(version) +
                             ", this program speaks " + std::to_string(kProtocolVersion));
  }
  if (call < 1 || call > static_cast<uint8_t>(Call::kVerifyFirmwareSignature)) {
    return cwmp::Unsupported("network worker: unknown call " + std::to_string(call));
  }
  return static_cast<Call>(call);
}

bool DecodePerform(WireReader& in, transfer_internal::Request* r, FetchOptions* o) {
  int64_t port = 0;
  uint8_t credentials = 0, http_version = 0;
  std::string password;
  bool ok = in.Str(&r->url) && in.Str(&r->host) && in.I64(&port) && in.Str(&r->address) &&
            in.Str(&r->method) && in.Str(&r->body) && in.Bool(&r->send_body) &&
            in.U8(&credentials) && in.Bool(&r->digest) && in.Str(&r->custom_ca_pem) &&
            in.Str(&o->user_agent) && in.U8(&http_version) && in.Str(&o->username) &&
            in.Str(&password) && GetSize(in, &o->max_bytes) && in.I64(&o->connect_timeout_ms) &&
            in.I64(&o->total_timeout_ms) && in.Str(&o->client_cert_file) &&
            in.Str(&o->client_key_file) && in.Done();
  if (!ok || port < 0 || port > 65535 || credentials > 2 || http_version > 1) return false;
  r->port = static_cast<int>(port);
  r->credentials = static_cast<transfer_internal::Credentials>(credentials);
  o->http_version = http_version == 0 ? HttpVersion::k1_0 : HttpVersion::k1_1;
  o->password = cwmp::Secret(std::move(password));
  return true;
}

bool DecodeSessionStart(WireReader& in, HttpClientOptions* o) {
  std::string password;
  bool ok = in.Str(&o->username) && in.Str(&password) && in.Bool(&o->allow_basic_without_tls) &&
            in.Bool(&o->verify_server) && in.Str(&o->extra_ca_file) &&
            in.Str(&o->client_cert_file) && in.Str(&o->client_key_file) &&
            GetMillis(in, &o->connect_timeout) && GetMillis(in, &o->request_timeout) &&
            GetSize(in, &o->max_response_bytes) && in.Str(&o->user_agent) && in.Done();
  if (!ok) return false;
  o->password = cwmp::Secret(std::move(password));
  return true;
}

bool DecodeSessionPost(WireReader& in, HttpRequest* r) {
  bool has_timeout = false;
  std::chrono::milliseconds timeout{0};
  bool ok = in.Str(&r->url) && in.Str(&r->body) && GetPairs(in, &r->headers) &&
            in.Bool(&has_timeout) && GetMillis(in, &timeout) && in.Done();
  if (!ok) return false;
  if (has_timeout) r->timeout = timeout;
  return true;
}

bool DecodeDecode(WireReader& in, std::string* bytes, cwmp::content::DecodeOptions* o) {
  int64_t iterations = 0;
  bool ok = in.Str(bytes) && GetOptionalSecret(in, &o->key) && GetOptionalSecret(in, &o->ikm) &&
            in.Bool(&o->aes128gcm) && GetSize(in, &o->max_input) && GetSize(in, &o->max_output) &&
            in.I64(&iterations) && in.Done();
  if (!ok || iterations < 0 || iterations > INT32_MAX) return false;
  o->pbkdf2_iterations = static_cast<int>(iterations);
  return true;
}

bool DecodeCaCommonName(WireReader& in, std::string* pem) { return in.Str(pem) && in.Done(); }

bool DecodeVerifyFirmwareSignature(WireReader& in, FirmwareManifest* m,
                                   std::string* public_key_pem) {
  int64_t length = 0;
  bool ok = in.Str(&m->version) && GetStrings(in, &m->models) && in.I64(&length) &&
            in.Str(&m->payload_sha256) && in.Str(&m->signature_algorithm) &&
            in.Str(&m->signature) && in.Str(public_key_pem) && in.Done();
  if (!ok || length < 0) return false;
  m->payload_length = static_cast<uint64_t>(length);
  return true;
}

std::string EncodeStatusReply(const cwmp::Status& status) {
  WireWriter w;
  PutStatus(w, status);
  return w.Take();
}

std::string EncodePerformReply(const transfer_internal::Response& r) {
  WireWriter w;
  PutStatus(w, cwmp::Status::Ok());
  w.Bool(r.connect_failed);
  w.Bool(r.ok_transport);
  w.Bool(r.tftp_not_found);
  w.I64(r.http_status);
  w.Str(r.status_line);
  w.U32(static_cast<uint32_t>(r.headers.size()));
  for (const auto& [name, value] : r.headers) {
    w.Str(name);
    w.Str(value);
  }
  w.Str(r.redirect_url);
  w.Str(r.body);
  w.Str(r.error);
  return w.Take();
}

std::string EncodePostReply(const cwmp::Result<HttpResponse>& response) {
  if (!response.ok()) return EncodeStatusReply(response.status());
  WireWriter w;
  PutStatus(w, cwmp::Status::Ok());
  w.I64(response->status);
  PutPairs(w, response->headers);
  w.Str(response->body);
  w.Str(response->effective_url);
  return w.Take();
}

std::string EncodeDecodeReply(const cwmp::Result<cwmp::content::Decoded>& decoded) {
  if (!decoded.ok()) return EncodeStatusReply(decoded.status());
  WireWriter w;
  PutStatus(w, cwmp::Status::Ok());
  w.Str(decoded->plaintext);
  PutStrings(w, decoded->layers);
  return w.Take();
}

std::string EncodeStringReply(const cwmp::Result<std::string>& value) {
  if (!value.ok()) return EncodeStatusReply(value.status());
  WireWriter w;
  PutStatus(w, cwmp::Status::Ok());
  w.Str(*value);
  return w.Take();
}

cwmp::Status DecodeStatusReply(std::string_view payload) {
  WireReader in(payload);
  bool ok = false;
  cwmp::Status st = GetStatus(in, "session start", &ok);
  if (ok && !in.Done()) return Malformed("session start");
  return st;
}

cwmp::Result<transfer_internal::Response> DecodePerformReply(std::string_view payload) {
  WireReader in(payload);
  bool ok = false;
  cwmp::Status st = GetStatus(in, "transfer", &ok);
  if (!st.ok()) return st;
  transfer_internal::Response r;
  uint32_t headers = 0;
  if (!(in.Bool(&r.connect_failed) && in.Bool(&r.ok_transport) && in.Bool(&r.tftp_not_found) &&
        in.I64(&r.http_status) && in.Str(&r.status_line) && in.Count(&headers, 8))) {
    return Malformed("transfer");
  }
  for (uint32_t i = 0; i < headers; ++i) {
    std::string name, value;
    if (!in.Str(&name) || !in.Str(&value)) return Malformed("transfer");
    r.headers[std::move(name)] = std::move(value);
  }
  if (!(in.Str(&r.redirect_url) && in.Str(&r.body) && in.Str(&r.error) && in.Done())) {
    return Malformed("transfer");
  }
  return r;
}

cwmp::Result<HttpResponse> DecodePostReply(std::string_view payload) {
  WireReader in(payload);
  bool ok = false;
  cwmp::Status st = GetStatus(in, "POST", &ok);
  if (!st.ok()) return st;
  HttpResponse r;
  int64_t status = 0;
  if (!(in.I64(&status) && GetPairs(in, &r.headers) && in.Str(&r.body) &&
        in.Str(&r.effective_url) && in.Done()) ||
      status < 0 || status > 999) {
    return Malformed("POST");
  }
  r.status = static_cast<int>(status);
  return r;
}


cwmp::Result<cwmp::content::Decoded> DecodeDecodeReply(std::string_view payload) {
  WireReader in(payload);
  bool ok = false;
  cwmp::Status st = GetStatus(in, "decode", &ok);
  if (!st.ok()) return st;
  cwmp::content::Decoded d;
  if (!(in.Str(&d.plaintext) && GetStrings(in, &d.layers) && in.Done())) {
    return Malformed("decode");
  }
  return d;
}

cwmp::Result<std::string> DecodeStringReply(std::string_view payload) {
  WireReader in(payload);
  bool ok = false;
  cwmp::Status st = GetStatus(in, "certificate", &ok);
  if (!st.ok()) return st;
  std::string value;
  if (!(in.Str(&value) && in.Done())) return Malformed("certificate");
  return value;
}

}  // namespace agent::networker
