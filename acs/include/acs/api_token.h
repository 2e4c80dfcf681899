#pragma once
// NBI API tokens: random bearer strings. Only their SHA-256 is stored (Store::AddApiToken).

#include <string>

#include "cwmp/base/secret.h"
#include "cwmp/base/status.h"

namespace acs {

// A new token: "acs_" followed by 43 base64url characters (256 random bits from the OS CSPRNG).
cwmp::Result<cwmp::Secret> GenerateApiToken();

// SHA-256 of the token's bytes as 64 lower-case hex digits.
std::string ApiTokenSha256Hex(const cwmp::Secret& token);

}  // namespace acs
