#pragma once
// HTTP Basic authentication (RFC 7617), which the ACS accepts from CPEs only over TLS.

#include <string>
#include <string_view>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acs::http {

struct BasicCredentials {
  std::string username;
  cwmp::Secret password;
};

// Parses "Basic <base64(user:password)>". kParseError for another scheme, bad base64 or a
// missing colon; kLimitExceeded above 4096 bytes.
cwmp::Result<BasicCredentials> ParseBasicAuthorization(std::string_view header_value);

// The WWW-Authenticate value: Basic realm="<realm>", charset="UTF-8".
std::string BasicChallenge(std::string_view realm);

// Compares passwords in time independent of where they differ.
bool PasswordsEqual(const cwmp::Secret& a, const cwmp::Secret& b);

}  // namespace acs::http
