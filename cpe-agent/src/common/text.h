#pragma once
// Small ASCII text helpers shared by the agent's protocol parsers (HTTP connection requests,
// the admin web server, SIP). Byte-oriented: no locale, no UTF-8 awareness.

#include <cctype>
#include <string>
#include <string_view>

#include "cwmp/base/http_reason.h"

namespace agent::text {

// `s` with A-Z turned into a-z (header names, tokens).
inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// `s` without leading and trailing spaces and tabs (HTTP/SIP optional whitespace).
inline std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The path of an HTTP request target or Digest uri: an absolute-form target
// ("http://host:port/path?x") is reduced to its path, and the query is dropped.
inline std::string_view RequestPath(std::string_view target) {
  if (target.rfind("http://", 0) == 0) {
    size_t slash = target.find('/', 7);
    target = slash == std::string_view::npos ? "/" : target.substr(slash);
  }
  return target.substr(0, target.find('?'));
}

// The reason phrase of an HTTP status code (one table for the whole project).
inline const char* HttpReason(int status) { return cwmp::HttpReasonPhrase(status); }

}  // namespace agent::text
