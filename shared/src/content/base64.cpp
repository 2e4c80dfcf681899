#include "cwmp/content/base64.h"

#include <array>
#include <cstdint>

namespace cwmp::content {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr int8_t kInvalid = -1;

constexpr std::array<int8_t, 256> MakeTable(const char* alphabet) {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(alphabet[i])] = static_cast<int8_t>(i);
  return table;
}

constexpr auto kStdTable = MakeTable(kStd);
constexpr auto kUrlTable = MakeTable(kUrl);

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string Encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{p[i]} << 16;
    if (rest == 2) v |= uint32_t{p[i + 1]} << 8;
    out += alphabet[v >> 18];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) {
      out += alphabet[(v >> 6) & 63];
    } else if (pad) {
      out += '=';
    }
    if (pad) out += '=';
  }
  return out;
}

// Decodes text with the given table. Whitespace is skipped when allowed; '=' ends the data and
// may only be followed by '=' (up to a full quantum) and whitespace.
Result<std::string> Decode(std::string_view text, const std::array<int8_t, 256>& table,
                           bool allow_space, const char* what) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  uint32_t acc = 0;
  int bits = 0;
  size_t sextets = 0;
  size_t pads = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (allow_space && IsSpace(c)) continue;
    if (c == '=') {
      ++pads;
      continue;
    }
    int8_t v = table[static_cast<uint8_t>(c)];
    if (v == kInvalid || pads > 0) {
      return ParseError(std::string(what) + ": invalid character at offset " + std::to_string(i));
    }
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    ++sextets;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  size_t rem = sextets % 4;
  if (rem == 1) return ParseError(std::string(what) + ": truncated (dangling character)");
  if (pads > 0 && (sextets + pads) % 4 != 0) {
    return ParseError(std::string(what) + ": wrong '=' padding");
  }
  // Unused low bits of the last character must be zero (canonical encoding).
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return ParseError(std::string(what) + ": non-canonical final character");
  }
  return out;
}

}  // namespace

std::string Base64Encode(std::string_view bytes, size_t line_length) {
  std::string flat = Encode(bytes, kStd, true);
  if (line_length == 0) return flat;
  std::string out;
  out.reserve(flat.size() + flat.size() / line_length + 1);
  for (size_t i = 0; i < flat.size(); i += line_length) {
    out.append(flat, i, line_length);
    out += '\n';
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  return Decode(text, kStdTable, true, "base64");
}

bool LooksLikeBase64(std::string_view text) {
  bool any = false;
  for (char c : text) {
    if (IsSpace(c) || c == '=') continue;
    if (kStdTable[static_cast<uint8_t>(c)] == kInvalid) return false;
    any = true;
  }
  return any;
}

std::string Base64UrlEncode(std::string_view bytes) { return Encode(bytes, kUrl, false); }

Result<std::string> Base64UrlDecode(std::string_view text) {
  return Decode(text, kUrlTable, false, "base64url");
}

}  // namespace cwmp::content
