// libcurl behind agent::HttpClient. libcurl and OpenSSL types stay in this file.
#include <curl/curl.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "agent/http_client.h"
#include "transfer/curl_library.h"

namespace agent {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The one place where CURLcode becomes a Status.
cwmp::Status Translate(const curl::Api& api, CURLcode code, const char* errbuf,
                       const std::string& url) {
  std::string detail = errbuf[0] != '\0' ? errbuf : api.easy_strerror(code);
  std::string msg = "POST " + url + ": " + detail;
  switch (code) {
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      return cwmp::LimitExceeded(msg);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return cwmp::InvalidArgument(msg);
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
      return cwmp::InvalidArgument(msg);
    default:
      return cwmp::IoError(msg);
  }
}

class CurlSession final : public HttpSession {
 public:
  // Takes ownership of `curl`, made through `lease`.
  CurlSession(curl::Lease lease, CURL* curl, const HttpClientOptions& options)
      : lease_(std::move(lease)), api_(*lease_), curl_(curl), options_(options) {}
  ~CurlSession() override { api_.easy_cleanup(curl_); }

  cwmp::Result<HttpResponse> Post(const HttpRequest& request) override {
    bool tls = request.url.rfind("https://", 0) == 0;
    if (request.url.rfind("http://", 0) != 0 && !tls) {
      return cwmp::InvalidArgument("ACS URL \"" + request.url + "\" is not http:// or https://");
    }
    char errbuf[CURL_ERROR_SIZE] = {0};
    response_ = HttpResponse{};
    overflow_ = false;
    api_.easy_setopt(curl_, CURLOPT_ERRORBUFFER, errbuf);
    api_.easy_setopt(curl_, CURLOPT_URL, request.url.c_str());
    api_.easy_setopt(curl_, CURLOPT_POST, 1L);
    api_.easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.data());
    api_.easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    long timeout_ms = static_cast<long>(request.timeout.value_or(options_.request_timeout).count());
    api_.easy_setopt(curl_, CURLOPT_TIMEOUT_MS, timeout_ms);

    if (!options_.username.empty()) {
      long auth = CURLAUTH_DIGEST;
      if (tls || options_.allow_basic_without_tls) auth |= CURLAUTH_BASIC;
      api_.easy_setopt(curl_, CURLOPT_HTTPAUTH, auth);
      api_.easy_setopt(curl_, CURLOPT_USERNAME, options_.username.c_str());
      api_.easy_setopt(curl_, CURLOPT_PASSWORD, options_.password.Reveal().c_str());
    }

    curl_slist* headers = nullptr;
    // curl adds "Expect: 100-continue" and a form Content-Type on its own; CWMP wants neither.
    headers = api_.slist_append(headers, "Expect:");
    bool has_content_type = false;
    for (const auto& [name, value] : request.headers) {
      if (IEquals(name, "Content-Type")) has_content_type = true;
      std::string line = value.empty() ? name + ";" : name + ": " + value;
      headers = api_.slist_append(headers, line.c_str());
    }
    if (!has_content_type) headers = api_.slist_append(headers, "Content-Type:");
    api_.easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);

    CURLcode rc = api_.easy_perform(curl_);
    api_.easy_setopt(curl_, CURLOPT_HTTPHEADER, nullptr);
    api_.slist_free_all(headers);
    api_.easy_setopt(curl_, CURLOPT_ERRORBUFFER, nullptr);
    if (overflow_) {
      return cwmp::LimitExceeded("POST " + request.url + ": response larger than " +
                                 std::to_string(options_.max_response_bytes) + " bytes");
    }
    if (rc != CURLE_OK) return Translate(api_, rc, errbuf, request.url);
    long status = 0;
    api_.easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
    response_.status = static_cast<int>(status);
    char* effective = nullptr;
    api_.easy_getinfo(curl_, CURLINFO_EFFECTIVE_URL, &effective);
    response_.effective_url = effective != nullptr ? effective : request.url;
    return std::move(response_);
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self_ptr) {
    auto* self = static_cast<CurlSession*>(self_ptr);
    size_t len = size * n;
    if (self->response_.body.size() + len > self->options_.max_response_bytes) {
      self->overflow_ = true;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    self->response_.body.append(data, len);
    return len;
  }

  static size_t OnHeader(char* data, size_t size, size_t n, void* self_ptr) {
    auto* self = static_cast<CurlSession*>(self_ptr);
    std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
      // A new response (after a 401 or a 100): keep only the final one's headers and body.
      self->response_.headers.clear();
      self->response_.body.clear();
    } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
      self->response_.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                           std::string(Trim(line.substr(colon + 1))));
    }
    return size * n;
  }

 private:
  curl::Lease lease_;  // keeps libcurl loaded while curl_ exists
  const curl::Api& api_;
  CURL* curl_;
  const HttpClientOptions& options_;
  HttpResponse response_;
  bool overflow_ = false;
};

cwmp::Result<std::string> ReadPem(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return cwmp::IoError(std::string(what) + " \"" + path + "\" cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (ss.str().size() > 8 * 1024 * 1024) {
    return cwmp::LimitExceeded(std::string(what) + " \"" + path + "\" is larger than 8 MiB");
  }
  return ss.str();
}

// The system CA bundle plus the extra CA file, as one PEM blob: CURLOPT_CAINFO alone would
// replace the system CAs instead of adding to them.
cwmp::Result<std::string> CombinedCaBundle(const curl::Api& api, CURL* curl,
                                           const std::string& extra) {
  std::string bundle;
  char* system_ca = nullptr;
  if (api.easy_getinfo(curl, CURLINFO_CAINFO, &system_ca) == CURLE_OK && system_ca != nullptr) {
    auto sys = ReadPem(system_ca, "system CA bundle");
    if (sys.ok()) bundle = std::move(*sys) + "\n";
  }
  auto more = ReadPem(extra, "extra CA file");
  if (!more.ok()) return more.status();
  return bundle + *more;
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpClientOptions options) : options_(std::move(options)) {}

  // libcurl is loaded here, not when the client is made: an idle phone has no session.
  cwmp::Result<std::unique_ptr<HttpSession>> StartSession() override {
    auto lease = curl::Acquire();
    if (!lease.ok()) return lease.status();
    const curl::Api& api = **lease;
    CURL* curl = api.easy_init();
    if (curl == nullptr) return cwmp::Internal("curl_easy_init failed");
    auto session = std::make_unique<CurlSession>(*lease, curl, options_);
    api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    // TR-069 lets an ACS redirect the CPE; keep POSTing (with the body) after 301/302/303.
    api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    api.easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    api.easy_setopt(curl, CURLOPT_POSTREDIR, static_cast<long>(CURL_REDIR_POST_ALL));
    api.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    api.easy_setopt(curl, CURLOPT_COOKIEFILE, "");  // in-memory cookie engine, this session
    api.easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    api.easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE,
                     static_cast<curl_off_t>(options_.max_response_bytes));
    api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, &CurlSession::OnBody);
    api.easy_setopt(curl, CURLOPT_WRITEDATA, session.get());
    api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, &CurlSession::OnHeader);
    api.easy_setopt(curl, CURLOPT_HEADERDATA, session.get());
    api.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, options_.verify_server ? 1L : 0L);
    api.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, options_.verify_server ? 2L : 0L);
    if (!options_.extra_ca_file.empty()) {
      auto bundle = CombinedCaBundle(api, curl, options_.extra_ca_file);
      if (!bundle.ok()) return bundle.status();
      curl_blob blob{bundle->data(), bundle->size(), CURL_BLOB_COPY};
      api.easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (!options_.client_cert_file.empty()) {
      api.easy_setopt(curl, CURLOPT_SSLCERT, options_.client_cert_file.c_str());
      api.easy_setopt(curl, CURLOPT_SSLKEY,
                       options_.client_key_file.empty() ? options_.client_cert_file.c_str()
                                                        : options_.client_key_file.c_str());
    }
    return std::unique_ptr<HttpSession>(std::move(session));
  }

 private:
  HttpClientOptions options_;
};

}  // namespace

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (IEquals(n, name)) return v;
  }
  return std::nullopt;
}

std::unique_ptr<HttpClient> MakeCurlHttpClient(HttpClientOptions options) {
  return std::make_unique<CurlHttpClient>(std::move(options));
}

}  // namespace agent
