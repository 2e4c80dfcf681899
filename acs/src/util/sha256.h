#pragma once
// SHA-256 (OpenSSL) as lower-case hex.

#include <string>
#include <string_view>

namespace acs {

std::string Sha256Hex(std::string_view data);

}  // namespace acs
