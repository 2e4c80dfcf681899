#include "cwmp/prov/version.h"

#include <algorithm>

namespace cwmp::prov {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

constexpr size_t kMaxVersionLength = 128;

// Returns an empty string on success, else the reason.
std::string ParseInto(std::string_view text, FirmwareVersion* out) {
  if (text.size() > kMaxVersionLength) return "longer than 128 characters";
  size_t dot = text.find('.');
  if (dot == std::string_view::npos) return "has no '.' after the prefix";
  std::string_view prefix = text.substr(0, dot);
  if (prefix.empty() || !IsAlpha(prefix[0])) return "prefix must start with a letter";
  if (!std::all_of(prefix.begin(), prefix.end(), IsAlnum)) {
    return "prefix may hold only letters and digits";
  }
  std::string_view rest = text.substr(dot + 1);
  if (rest.empty() || !IsDigit(rest[0])) return "first field must start with a digit";
  if (out) out->prefix.assign(prefix);
  size_t pos = 0;
  while (true) {
    size_t end = rest.find('-', pos);
    std::string_view field = rest.substr(pos, end == std::string_view::npos ? end : end - pos);
    if (field.empty()) return "has an empty field";
    if (!std::all_of(field.begin(), field.end(), IsAlnum)) {
      return "fields may hold only letters and digits";
    }
    size_t digits = 0;
    while (digits < field.size() && IsDigit(field[digits])) ++digits;
    if (digits > 18) return "field number too large";
    if (out) {
      VersionField f;
      f.has_number = digits > 0;
      for (size_t i = 0; i < digits; ++i) f.number = f.number * 10 + (field[i] - '0');
      f.rest.assign(field.substr(digits));
      out->fields.push_back(std::move(f));
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return {};
}

int CompareField(const VersionField& a, const VersionField& b) {
  if (a.has_number != b.has_number) return a.has_number ? 1 : -1;
  if (a.number != b.number) return a.number < b.number ? -1 : 1;
  int c = a.rest.compare(b.rest);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int CompareFields(const FirmwareVersion& a, const FirmwareVersion& b) {
  size_t n = std::min(a.fields.size(), b.fields.size());
  for (size_t i = 0; i < n; ++i) {
    int c = CompareField(a.fields[i], b.fields[i]);
    if (c != 0) return c;
  }
  return 0;
}

}  // namespace

Result<FirmwareVersion> ParseFirmwareVersion(std::string_view text) {
  FirmwareVersion v;
  std::string why = ParseInto(text, &v);
  if (!why.empty()) {
    return ParseError("version \"" + std::string(text.substr(0, kMaxVersionLength)) + "\" " + why +
                      " (expected e.g. sip68xx.11-0-1MPP-BN)");
  }
  return v;
}

bool LooksLikeFirmwareVersion(std::string_view text) { return ParseInto(text, nullptr).empty(); }

Result<int> CompareFirmwareVersions(const FirmwareVersion& a, const FirmwareVersion& b) {
  if (a.prefix != b.prefix) {
    return InvalidArgument("cannot order versions of different products (\"" + a.prefix +
                           "\" and \"" + b.prefix + "\")");
  }
  return CompareFields(a, b);
}

bool SameFirmwareVersion(const FirmwareVersion& a, const FirmwareVersion& b) {
  return a.prefix == b.prefix && CompareFields(a, b) == 0;
}

}  // namespace cwmp::prov
