#pragma once
// Firmware version numbers of the form the guide uses (Conditional Expressions, guide lines
// 935-957): "sip68xx.v1-v2-v3MPP-BN", for example "sip68xx.11-0-1MPP-0001".
//
//   version := prefix '.' field ('-' field)*
//   prefix  := a letter followed by letters and digits      ("sip68xx")
//   field   := one or more letters and digits; the first field must start with a digit
//
// "11.0.0" is not a version (its prefix starts with a digit and its fields contain dots).
// Fields are compared left to right; within a field the leading digits are compared as a
// number first, then the remaining characters in alphabetical (byte) order. A field without
// leading digits (the guide's "BN" placeholder) sorts before any field that has them.
// When one version has fewer fields than the other, only the fields both have are compared,
// so "sip68xx.11-0-1MPP" equals "sip68xx.11-0-1MPP-0042" (the phone's $SWVER omits the
// build number while load names carry it). See docs/rules.md.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"

namespace cwmp::prov {

struct VersionField {
  bool has_number = false;
  uint64_t number = 0;  // leading digits
  std::string rest;     // the characters after the leading digits
};

struct FirmwareVersion {
  std::string prefix;  // "sip68xx"
  std::vector<VersionField> fields;
};

// Parses a version; the error names the text and the reason.
Result<FirmwareVersion> ParseFirmwareVersion(std::string_view text);

// True if `text` has the version syntax (cheap check used by the condition evaluator).
bool LooksLikeFirmwareVersion(std::string_view text);

// Orders two versions: negative, zero or positive. Versions with different prefixes
// ("sip68xx" against "sip78xx") cannot be ordered and yield an InvalidArgument error.
Result<int> CompareFirmwareVersions(const FirmwareVersion& a, const FirmwareVersion& b);

// Equality as used by "=" and "!=": same prefix and CompareFirmwareVersions() == 0.
bool SameFirmwareVersion(const FirmwareVersion& a, const FirmwareVersion& b);

}  // namespace cwmp::prov
