#pragma once
// Base64 (RFC 4648 §4, as written by `openssl enc -a`) and base64url (§5, as used for RFC 8188
// keys and IKM values). Pure functions, no third-party types.

#include <cstddef>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace cwmp::content {

// Standard alphabet with '=' padding. line_length > 0 inserts '\n' after every line_length
// characters and after the last line (the `openssl enc -a` layout uses 64).
std::string Base64Encode(std::string_view bytes, size_t line_length = 0);

// Standard alphabet. ASCII whitespace (space, \t, \r, \n) anywhere is ignored; '=' padding is
// optional but, when present, must be correct. Any other character is a ParseError naming its
// offset.
Result<std::string> Base64Decode(std::string_view text);

// True when text is non-empty and holds only standard-alphabet characters, '=' and ASCII
// whitespace — i.e. Base64Decode could plausibly accept it. Used to detect `openssl enc -a`.
bool LooksLikeBase64(std::string_view text);

// URL-safe alphabet ('-', '_'), no padding written.
std::string Base64UrlEncode(std::string_view bytes);

// URL-safe alphabet; padding optional; whitespace is not allowed. Used for --ikm values.
Result<std::string> Base64UrlDecode(std::string_view text);

}  // namespace cwmp::content
