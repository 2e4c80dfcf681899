#pragma once
// The phone's transfer layer: TFTP, HTTP and HTTPS downloads (resync, upgrade, custom CA) and
// HTTP PUT/POST uploads, with the guide's rules ("HTTP Status Code Handling on Resync and
// Upgrade", Table 2):
//   2xx                 success (kOk)
//   301, 302            retried at once at the new location (at most kMaxRedirects times)
//   401, 407            retried at once with the credentials (--uid/--pwd), at most twice;
//                       then failure (kFailed)
//   404                 file not found (kFileNotFound; "B" in the guide, Resync_Fails_On_FNF)
//   anything else       failure (kFailed; "C")
// TFTP: a missing file is kFileNotFound, everything else kFailed. A URL without a host uses
// FetchOptions::dhcp_tftp_server (DHCP option 66).
// A host name may resolve to several IPv4 addresses (DNS A records); each is tried in turn until
// one answers (a connection is made); FetchResult::server_ip names it ($SERVIP).
// HTTPS verifies the server certificate against the system CAs plus the CaStore's custom CA and
// checks the host name; a client certificate is presented when one is configured.
// libcurl is used only behind this header.

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace agent {

class CaStore;

enum class FetchOutcome {
  kOk,            // "A" in the guide
  kFileNotFound,  // "B": HTTP 404, TFTP file not found
  kFailed,        // "C": everything else
};

// "ok", "file_not_found", "failed".
const char* FetchOutcomeName(FetchOutcome outcome);

// The device identity the User-Agent is built from.
struct UserAgentIdentity {
  std::string model = "CP-6841-3PCC";  // $PN
  std::string version = "11.0";        // firmware version as the User-Agent shows it
  std::string mac = "00562b043615";    // 12 lower-case hex digits ($MA)
};

// "Cisco-CP-6841-3PCC/11.0 (00562b043615)", the guide's example.
std::string BuildUserAgent(const UserAgentIdentity& identity);

enum class HttpVersion { k1_0, k1_1 };

struct FetchOptions {
  std::string user_agent;  // sent on HTTP(S); empty: no User-Agent header
  HttpVersion http_version = HttpVersion::k1_1;
  // --uid/--pwd: used only after a 401/407 challenge.
  std::string username;
  cwmp::Secret password;
  // --post: POST this body (Content-Type application/x-www-form-urlencoded) instead of GET.
  bool post = false;
  std::string post_body;
  // DHCP option 66 TFTP server "host[:port]" for URLs without a host.
  std::string dhcp_tftp_server;
  // Limits: the body is refused once it exceeds max_bytes (the error says so).
  size_t max_bytes = 16u << 20;
  long connect_timeout_ms = 10000;  // per address
  long total_timeout_ms = 60000;    // per request
  // HTTPS trust: system CAs plus the custom CA of `ca_store` (may be null).
  const CaStore* ca_store = nullptr;
  // The phone's client certificate and key (PEM files); empty: none presented.
  std::string client_cert_file;
  std::string client_key_file;
  // Static host table consulted before DNS, like /etc/hosts: name -> IPv4 addresses in the
  // order to try.
  std::map<std::string, std::vector<std::string>, std::less<>> hosts;
  // Retries allowed on 401/407 (the guide: at most two).
  int max_auth_retries = 2;
};

struct FetchResult {
  FetchOutcome outcome = FetchOutcome::kFailed;
  long http_status = 0;  // last HTTP status (0 for TFTP or when no response came)
  std::string body;
  std::string content_encoding;                // the response's Content-Encoding (e.g. "aes128gcm")
  std::map<std::string, std::string> headers;  // last response, names in lower case
  std::string final_url;                       // after redirects
  std::string server_ip;                       // the address that answered ($SERVIP)
  int redirects = 0;                           // 301/302 followed
  int auth_retries = 0;                        // retries with credentials after 401/407
  // For failures: a short text for $ERR, e.g. "http_get failed: 500 Internal Server Error",
  // "tftp_get failed: file not found", "https_get failed: server certificate not trusted".
  std::string error;

  bool ok() const { return outcome == FetchOutcome::kOk; }
};

// Retries 301/302 at most this many times in a row.
inline constexpr int kMaxRedirects = 5;

// Downloads `url` (tftp://, http://, https://; tftp when no scheme) following the rules above.
FetchResult Fetch(std::string_view url, const FetchOptions& options);

enum class UploadMethod { kPut, kPost };

// Sends `body` to an http(s) URL with PUT or POST (TR-069 Upload, Report_Rule). Redirects and
// authentication retries follow the same rules as Fetch; 2xx is success.
FetchResult Upload(std::string_view url, std::string_view body, UploadMethod method,
                   const FetchOptions& options);

// $CCERT: "Installed" when the options carry a readable client certificate, else
// "Not Installed".
std::string ClientCertificateMacro(const FetchOptions& options);

}  // namespace agent
