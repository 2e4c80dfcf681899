#pragma once
// Private helpers shared by the dhcp module's .cpp files.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace cwmp::dhcp::internal {

// True when s is well-formed UTF-8 (no overlong forms, surrogates or values above U+10FFFF).
bool IsValidUtf8(std::string_view s);
// True when s has no C0 control, DEL, or (if !allow_space) space character.
bool HasNoControls(std::string_view s, bool allow_space);
// s with non-printable bytes written as \xNN, cut to 80 characters, for error messages.
std::string Quote(std::string_view s);
inline std::string_view AsText(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace cwmp::dhcp::internal
