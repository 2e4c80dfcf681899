#pragma once
// Connection requests (TR-069 §3.2.2 and Annex G): asking a CPE to open a session now.
//
// HTTP: a GET to the device's ConnectionRequestURL; on a 401 the request is repeated once with
// Digest (or Basic, if that is all the CPE offers) credentials ConnectionRequestUsername/
// Password. 200 or 204 means the CPE accepted. UDP (Annex G): one datagram holding
// "GET http://host:port?ts=..&id=..&un=..&cn=..&sig=.. HTTP/1.1", sent several times with the
// same id; sig is HMAC-SHA1(password, ts‖id‖un‖cn) in hex. UDP gets no answer, so its outcome
// is kSent.
//
// StoreConnectionRequester reads what it needs from the device's stored parameters
// (Device.* or InternetGatewayDevice.* ManagementServer.ConnectionRequestURL,
// ConnectionRequestUsername, ConnectionRequestPassword, UDPConnectionRequestAddress). CPEs
// answer reads of a password with "", so an empty stored password falls back to the configured
// default. It tries HTTP first; when the URL is missing or the HTTP attempt could not reach the
// CPE (unreachable, timeout: e.g. behind NAT) and a UDP address is known, it sends UDP.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "acs/store.h"
#include "cwmp/base/secret.h"

namespace acs {

enum class ConnectionRequestOutcome {
  kOk,           // HTTP 200/204: the CPE will start a session
  kSent,         // UDP datagrams sent (no reply exists in Annex G)
  kAuthFailed,   // the CPE answered 401 to our credentials
  kUnreachable,  // no route / refused / name unknown
  kTimeout,      // no complete answer in time
  kHttpError,    // any other HTTP status (503 = busy), or a malformed answer
  kNoAddress,    // the device reported neither a ConnectionRequestURL nor a UDP address
  kBadAddress,   // the stored URL/address is malformed
  kNotFound,     // no such device
};
// "ok", "sent", "auth_failed", "unreachable", "timeout", "http_error", "no_address",
// "bad_address", "not_found".
const char* ConnectionRequestOutcomeName(ConnectionRequestOutcome outcome);

struct ConnectionRequestResult {
  ConnectionRequestOutcome outcome = ConnectionRequestOutcome::kNoAddress;
  int http_status = 0;  // the last HTTP status, 0 when none was received
  bool udp = false;     // the outcome is that of the UDP request
  std::string message;  // for operators; never contains the password
  bool accepted() const {
    return outcome == ConnectionRequestOutcome::kOk || outcome == ConnectionRequestOutcome::kSent;
  }
};

struct ConnectionRequestCredentials {
  std::string username;
  cwmp::Secret password;
};

// One HTTP connection request to `url` (http:// only).
ConnectionRequestResult SendHttpConnectionRequest(const std::string& url,
                                                  const ConnectionRequestCredentials& credentials,
                                                  std::chrono::milliseconds timeout);

// The Annex G message for `address` ("host:port", or "host" meaning port 80). `ts` is Unix
// seconds, `id` the message id, `cnonce` a random string.
std::string UdpConnectionRequestMessage(const std::string& address, int64_t ts,
                                        const std::string& id,
                                        const ConnectionRequestCredentials& credentials,
                                        const std::string& cnonce);
// HMAC-SHA1(password, ts‖id‖un‖cn) as 40 lower-case hex digits.
std::string UdpConnectionRequestSignature(const std::string& ts, const std::string& id,
                                          const std::string& username, const cwmp::Secret& password,
                                          const std::string& cnonce);
// Sends the message `copies` times (same id) with `interval` between copies.
ConnectionRequestResult SendUdpConnectionRequest(const std::string& address,
                                                 const ConnectionRequestCredentials& credentials,
                                                 int64_t unix_seconds, int copies,
                                                 std::chrono::milliseconds interval);

// What the NBI calls; an interface so tests and acsd can supply their own.
class ConnectionRequester {
 public:
  virtual ~ConnectionRequester() = default;
  virtual ConnectionRequestResult Request(const std::string& device_id) = 0;
};

struct ConnectionRequestOptions {
  std::chrono::milliseconds http_timeout{5'000};
  int udp_copies = 3;
  std::chrono::milliseconds udp_interval{100};
  // Used when the device has no stored username / an empty stored password.
  std::string default_username;
  cwmp::Secret default_password;
  // Unix time source for the UDP ts (injected; defaults to the system clock).
  std::function<int64_t()> unix_now;
};

class StoreConnectionRequester final : public ConnectionRequester {
 public:
  StoreConnectionRequester(Store& store, ConnectionRequestOptions options);
  ConnectionRequestResult Request(const std::string& device_id) override;

 private:
  Store& store_;
  ConnectionRequestOptions options_;
};

}  // namespace acs
