#pragma once
// Message digests for the device agent's always-on paths: HTTP Digest (MD5), Annex G connection
// requests and STUN MESSAGE-INTEGRITY (HMAC-SHA1), firmware image checks (SHA-256).
//
// Computed with OpenSSL's one-algorithm functions (MD5_Init/SHA1_Init/SHA256_Init ...), the same
// implementations, assembly included, that EVP uses, but without EVP's algorithm fetching: the
// first EVP use in a process initialises OpenSSL's provider framework, which keeps ~1.3 MiB of
// code and tables resident in the idle phone for good (docs/agent-memory.md). Everything else
// (ciphers, key derivation, certificates, signatures) stays on EVP.
//
// All functions return raw digest bytes; HexLower turns them into lower-case hex.

#include <string>
#include <string_view>

namespace cwmp::content {

std::string Md5(std::string_view data);     // 16 bytes
std::string Sha1(std::string_view data);    // 20 bytes
std::string Sha256(std::string_view data);  // 32 bytes

// HMAC-SHA1 (RFC 2104): 20 bytes.
std::string HmacSha1(std::string_view key, std::string_view data);

// "00ff..." for {0x00, 0xff, ...}.
std::string HexLower(std::string_view bytes);

}  // namespace cwmp::content
