#pragma once
// Client side of HTTP authentication for connection requests: parsing WWW-Authenticate
// challenges (RFC 9110 §11.6.1) and building the Authorization answer (Digest RFC 7616 with
// qop=auth or RFC 2069 without; Basic RFC 7617).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "acs/http_digest.h"
#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acs::connreq {

struct Challenge {
  std::string scheme;                         // lower case: "digest", "basic"
  std::map<std::string, std::string> params;  // names lower case, values unquoted
};

// Every challenge in one header value (a value may hold several, comma separated).
cwmp::Result<std::vector<Challenge>> ParseChallenges(std::string_view header_value);

// The Authorization value answering a Digest challenge. kUnsupported for an algorithm or qop
// we can't do. `cnonce` is a fresh random string; the nonce count is 00000001.
cwmp::Result<std::string> AnswerDigest(const Challenge& challenge, std::string_view method,
                                       std::string_view uri, const std::string& username,
                                       const cwmp::Secret& password, const std::string& cnonce);

// "Basic base64(user:password)".
std::string AnswerBasic(const std::string& username, const cwmp::Secret& password);

}  // namespace acs::connreq
