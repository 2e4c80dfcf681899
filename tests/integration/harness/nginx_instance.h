#pragma once
// A real nginx, started as a child process for one test on free loopback ports, with a
// generated configuration and everything (config, pid, logs, temp files, htpasswd) in a
// directory the caller owns. `daemon off;`, so the child is nginx's master and the destructor
// stops it (SIGQUIT, then SIGKILL) and reaps it.
//
// Three listeners on 127.0.0.1:
//   http_port()        plain HTTP
//   https_port()       HTTPS with the TestCa server certificate; client certificates are
//                      requested and verified against the test CA but optional
//   https_mtls_port()  HTTPS that requires a client certificate signed by the test CA
//                      (the TLS handshake or the request fails without one)
// Locations, the same on every listener:
//   /files/...          files from files_dir()
//   /r301/X, /r302/X    301 / 302 redirect to /files/X; /r303/X, /r307/X likewise (unprocessed)
//   /loop/X             302 to itself (a redirect loop)
//   /auth/X             Basic auth (user kAuthUser, password kAuthPassword), then /files/X
//   /status/NNN         answers NNN for 400 403 404 405 407 410 418 500 501 502 503 504
//   /echo/ua            answers the request's User-Agent header
//   /echo/method        answers "<method> <content-length> <http version>"
//   /echo/body          answers the request body (POST)
//   /echo/dn            answers $ssl_client_s_dn ("" without a client certificate)
//   /echo/verify        answers $ssl_client_verify (SUCCESS, NONE, FAILED:...)
//   /reflect            the guide's reflector (HTTPS Client Filtering and Dynamic Content):
//                       <flat-profile><GPP_D>$ssl_client_s_dn</GPP_D></flat-profile>
//   /client-required/X  403 unless a verified client certificate was presented, then /files/X
//   /chunked            a chunked body in two flushes: "first chunk\n" "second chunk\n"
//   /slow               answers after 3 seconds (timeouts)
//   /throttled/X        /files/X sent at 64 KiB/s (limit_rate): a download that takes a while
//   /aes128gcm/X        /files/X with "Content-Encoding: aes128gcm"
//   /upload/X           PUT stores the body as upload_dir()/X (WebDAV PUT)

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "test_ca.h"

namespace cwmp_test {

class NginxInstance {
 public:
  static constexpr const char* kAuthUser = "phone";
  static constexpr const char* kAuthPassword = "s3cret-pw";

  // Starts nginx with its files under `work_dir` (created if missing); waits until all three
  // ports accept connections. Returns nullptr and fills *error on failure (the error log).
  static std::unique_ptr<NginxInstance> Start(const std::string& work_dir, const TestCa& ca,
                                              std::string* error);
  ~NginxInstance();
  NginxInstance(const NginxInstance&) = delete;
  NginxInstance& operator=(const NginxInstance&) = delete;

  // Stops the server now (for "server down" tests); the ports are then closed.
  void Stop();

  uint16_t http_port() const { return http_port_; }
  uint16_t https_port() const { return https_port_; }
  uint16_t https_mtls_port() const { return https_mtls_port_; }
  // "http://127.0.0.1:<port><path>", "https://localhost:<port><path>", ...
  std::string HttpUrl(const std::string& path) const;
  std::string HttpsUrl(const std::string& path) const;
  std::string HttpsMtlsUrl(const std::string& path) const;

  // Served at /files/.
  std::string files_dir() const { return work_dir_ + "/files"; }
  std::string upload_dir() const { return work_dir_ + "/upload"; }
  // Writes files_dir()/name.
  bool PutFile(const std::string& name, const std::string& content) const;
  // One line per request: "<status> <method> <uri> <http version> ua=<User-Agent>".
  std::string ReadAccessLog() const;
  // Number of access log lines whose URI starts with `uri_prefix`.
  int CountRequests(const std::string& uri_prefix) const;

 private:
  // One read of the access log, without waiting for lines still being written.
  int CountLoggedRequests(const std::string& uri_prefix) const;
  NginxInstance() = default;
  std::string work_dir_;
  pid_t pid_ = -1;
  uint16_t http_port_ = 0;
  uint16_t https_port_ = 0;
  uint16_t https_mtls_port_ = 0;
};

}  // namespace cwmp_test
