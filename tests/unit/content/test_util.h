#pragma once
// Small helpers shared by the content codec tests.

#include <sys/resource.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/content/base64.h"

namespace cwmp::content::testing {

inline std::string Hex(std::string_view hex) {
  std::string out;
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(nib(hex[i]) * 16 + nib(hex[i + 1]));
  }
  return out;
}

inline std::string ToHex(std::string_view bytes) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += d[c >> 4];
    out += d[c & 15];
  }
  return out;
}

// base64url that must decode (test fixtures).
inline std::string B64u(std::string_view text) {
  Result<std::string> r = Base64UrlDecode(text);
  return r.ok() ? r.value() : std::string("<bad base64url fixture>");
}

// Peak resident set size of this process in bytes since the last ResetPeakRss() (Linux VmHWM;
// ctest runs each case in its own process).
inline size_t PeakRssBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<size_t>(ru.ru_maxrss) * 1024;
}

// Restarts peak-RSS accounting at the current RSS (Linux: "5" > /proc/self/clear_refs), so a
// later PeakRssBytes() measures only what the code under test allocated. False if unsupported.
inline bool ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

// Current resident set size in bytes (Linux VmRSS).
inline size_t CurrentRssBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

// A flat profile of roughly `size` bytes, as the phone's XML open format looks.
inline std::string FlatProfile(size_t size) {
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n";
  for (int i = 1; s.size() < size; ++i) {
    s += "  <GPP_" + std::to_string(i) + "_ ua=\"na\">value-" + std::to_string(i * 7919) +
         "</GPP_" + std::to_string(i) + "_>\n";
  }
  s += "</flat-profile>\n";
  return s;
}

}  // namespace cwmp::content::testing
