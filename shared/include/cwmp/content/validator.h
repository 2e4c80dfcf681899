#pragma once
// What counts as a "valid profile" after decryption. `openssl enc` does not record which key
// derivation made a file and PKCS#7 padding alone accepts a wrong key about 1 time in 256
// (see docs/content-codecs.md), so a decryptor only accepts a candidate plaintext that also
// passes a validator.

#include <functional>
#include <string_view>

namespace cwmp::content {

using PlaintextValidator = std::function<bool(std::string_view plaintext)>;

// Accepts a gzip header (1f 8b 08 with reserved flag bits clear), or text whose first element —
// after an optional UTF-8 BOM, whitespace, an XML declaration and comments — is `<flat-profile`
// or `<device` followed by whitespace, '>' or '/'. A sniff, not an XML parser.
bool LooksLikeProfile(std::string_view plaintext);

}  // namespace cwmp::content
