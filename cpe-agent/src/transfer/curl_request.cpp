#include "transfer/curl_request.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <memory>
#include <sstream>

#include "cwmp/content/base64.h"
#include "transfer/curl_library.h"

namespace agent::transfer_internal {
namespace {

struct Sink {
  std::string* body;
  size_t max_bytes;
  bool over_limit = false;
};

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t len = size * n;
  if (sink->body->size() + len > sink->max_bytes) {
    sink->over_limit = true;
    return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
  }
  sink->body->append(data, len);
  return len;
}

struct HeaderSink {
  std::string status_line;
  std::map<std::string, std::string> headers;
};

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

size_t WriteHeader(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<HeaderSink*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after 1xx, or a Digest round trip): forget the previous one.
    sink->status_line = Trim(line);
    sink->headers.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    sink->headers[name] = Trim(line.substr(colon + 1));
  }
  return size * n;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The built-in (system) CA bundle libcurl was configured with, plus the custom CA. Read per
// request: the custom CA can change between requests and the file is small.
std::string TrustBundle(const curl::Api& api, CURL* curl, const std::string& custom_ca_pem) {
  char* default_ca = nullptr;
  std::string bundle;
  if (api.easy_getinfo(curl, CURLINFO_CAINFO, &default_ca) == CURLE_OK && default_ca) {
    bundle = ReadFile(default_ca);
  }
  if (!bundle.empty() && bundle.back() != '\n') bundle += '\n';
  return bundle + custom_ca_pem;
}

struct CurlDeleter {
  const curl::Api* api;
  void operator()(CURL* c) const { api->easy_cleanup(c); }
};
struct SlistDeleter {
  const curl::Api* api;
  void operator()(curl_slist* l) const { api->slist_free_all(l); }
};

}  // namespace

Response PerformWithCurl(const Request& request, const FetchOptions& options) {
  Response response;
  auto lease = curl::Acquire();  // held until every handle below is gone
  if (!lease.ok()) {
    response.error = lease.status().message();
    return response;
  }
  const curl::Api& api = **lease;
  std::unique_ptr<CURL, CurlDeleter> curl(api.easy_init(), CurlDeleter{&api});
  if (!curl) {
    response.error = "cannot initialise libcurl";
    return response;
  }
  CURL* h = curl.get();
  char errbuf[CURL_ERROR_SIZE] = {0};
  Sink sink{&response.body, options.max_bytes};
  HeaderSink header_sink;
  std::unique_ptr<curl_slist, SlistDeleter> resolve(nullptr, SlistDeleter{&api});
  std::unique_ptr<curl_slist, SlistDeleter> headers(nullptr, SlistDeleter{&api});
  std::string trust;

  api.easy_setopt(h, CURLOPT_URL, request.url.c_str());
  api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,tftp");
  api.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms);
  api.easy_setopt(h, CURLOPT_TIMEOUT_MS, options.total_timeout_ms);
  api.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_bytes));
  api.easy_setopt(h, CURLOPT_WRITEFUNCTION, WriteBody);
  api.easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  api.easy_setopt(h, CURLOPT_HEADERFUNCTION, WriteHeader);
  api.easy_setopt(h, CURLOPT_HEADERDATA, &header_sink);
  api.easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  if (!request.host.empty()) {
    std::string pin = request.host + ":" + std::to_string(request.port) + ":" + request.address;
    resolve.reset(api.slist_append(nullptr, pin.c_str()));
    api.easy_setopt(h, CURLOPT_RESOLVE, resolve.get());
  }
  bool tftp = request.url.rfind("tftp:", 0) == 0;
  if (!tftp) {
    if (!options.user_agent.empty()) {
      api.easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
    }
    api.easy_setopt(
        h, CURLOPT_HTTP_VERSION,
        options.http_version == HttpVersion::k1_0 ? CURL_HTTP_VERSION_1_0 : CURL_HTTP_VERSION_1_1);
    curl_slist* list = api.slist_append(nullptr, "Expect:");
    if (request.method == "PUT") {
      list = api.slist_append(list, "Content-Type: application/octet-stream");
    }
    if (request.credentials == Credentials::kProxy) {
      std::string creds = options.username + ":" + options.password.Reveal();
      std::string line = "Proxy-Authorization: Basic " + cwmp::content::Base64Encode(creds);
      list = api.slist_append(list, line.c_str());
    }
    headers.reset(list);
    api.easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    if (request.method != "GET") api.easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.send_body) {
      api.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
      api.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    if (request.credentials == Credentials::kServer) {
      api.easy_setopt(h, CURLOPT_HTTPAUTH, request.digest ? CURLAUTH_DIGEST : CURLAUTH_BASIC);
      api.easy_setopt(h, CURLOPT_USERNAME, options.username.c_str());
      api.easy_setopt(h, CURLOPT_PASSWORD, options.password.Reveal().c_str());
    }
    api.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    api.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request.custom_ca_pem.empty()) {
      trust = TrustBundle(api, h, request.custom_ca_pem);
      curl_blob blob{trust.data(), trust.size(), CURL_BLOB_NOCOPY};
      api.easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (!options.client_cert_file.empty()) {
      api.easy_setopt(h, CURLOPT_SSLCERT, options.client_cert_file.c_str());
      api.easy_setopt(h, CURLOPT_SSLKEY,
                       options.client_key_file.empty() ? options.client_cert_file.c_str()
                                                       : options.client_key_file.c_str());
    }
  }

  CURLcode rc = api.easy_perform(h);
  long status = 0;
  api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.http_status = status;
  response.status_line = header_sink.status_line;
  response.headers = std::move(header_sink.headers);
  char* redirect = nullptr;
  if (api.easy_getinfo(h, CURLINFO_REDIRECT_URL, &redirect) == CURLE_OK && redirect) {
    response.redirect_url = redirect;
  }
  std::string detail = errbuf[0] ? std::string(errbuf) : std::string(api.easy_strerror(rc));
  switch (rc) {
    case CURLE_OK:
      response.ok_transport = true;
      break;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      response.connect_failed = true;
      response.error = "cannot connect to " + request.address + ":" + std::to_string(request.port);
      break;
    case CURLE_OPERATION_TIMEDOUT: {
      curl_off_t connect_time = 0;
      api.easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_time);
      if (connect_time == 0 && !tftp) {
        response.connect_failed = true;
        response.error = "cannot connect to " + request.address + ":" +
                         std::to_string(request.port) + " (timed out)";
      } else {
        response.error = "timed out";
      }
      break;
    }
    case CURLE_TFTP_NOTFOUND:
      response.tftp_not_found = true;
      response.error = "file not found";
      break;
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
      response.error = sink.over_limit || rc == CURLE_FILESIZE_EXCEEDED
                           ? "response larger than " + std::to_string(options.max_bytes) + " bytes"
                           : detail;
      break;
    case CURLE_PEER_FAILED_VERIFICATION:
      response.error = "server certificate rejected (" + detail + ")";
      break;
    case CURLE_SSL_CERTPROBLEM:
      response.error = "client certificate unusable (" + detail + ")";
      break;
    default:
      response.error = detail;
      break;
  }
  return response;
}

}  // namespace agent::transfer_internal
