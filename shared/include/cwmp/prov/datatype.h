#pragma once
// The phone's parameter data types (guide, "Data Types"): a type spec such as "Uns16", "Str64",
// "{Yes,No}" or "ToneScript" is parsed once into a DataType, and ValidateValue checks a value
// against it without allocating when the value is valid.
//
// Empty values: "" is valid for every type except Bool and enumerations (unless an enumeration
// lists an empty choice). On the phone an empty string means "not set" for addresses, numbers,
// scripts and strings, while a Bool or a choice list always has one of its values.
// Values are checked as given; the flat-profile reader trims XML whitespace before calling.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"

namespace cwmp::prov {

enum class TypeKind {
  kBool,                    // yes/no (also 1/0), any case
  kEnum,                    // {a,b,c} — one of the choices, any case
  kUns,                     // Uns<n>: unsigned n-bit, decimal or 0x hex
  kSig,                     // Sig<n>: signed n-bit, decimal or hex, optional sign
  kPort,                    // 0..65535, decimal or hex
  kIp,                      // dotted-quad IPv4
  kFqdn,                    // host name or IPv4, optional :port, up to 63 characters
  kUserId,                  // user part of a URL, up to 63 characters
  kPhone,                   // phone number or user@host[:port], up to 39 characters
  kStr,                     // Str<n>: up to n characters
  kTime,                    // Time<n>: non-negative seconds; extra decimals are ignored
  kFloat,                   // Float<n>: decimal number with at most n decimals
  kCadScript,               // cadence miniscript, up to 127 characters
  kFreqScript,              // frequency miniscript, up to 127 characters
  kToneScript,              // tone miniscript, up to 127 characters
  kPhTmplt,                 // phone number template, up to 39 characters
  kRscTmplt,                // SIP response status code template, up to 39 characters
  kPwrLevel,                // dBm with at most one decimal
  kStarCode,                // "*69": up to 7 characters of * # and digits
  kDialPlanScript,          // dial plan; brackets balanced, up to 2047 characters
  kProvisioningRuleSyntax,  // resync/upgrade rule; quotes and brackets balanced
  kDelayList,               // project type: "3600", "600, 1200, 300" or "2400+30" (Resync_Periodic)
  kHHmm,                    // project type: time of day 0000..2400 (Resync_At (HHmm))
};

// The spec keyword of a kind ("Bool", "Uns", "ToneScript", "{}" for enumerations).
std::string_view TypeKindName(TypeKind kind);

struct DataType {
  TypeKind kind = TypeKind::kStr;
  unsigned bits = 0;                 // Uns/Sig width
  unsigned decimals = 0;             // Time/Float decimal places
  size_t max_length = 0;             // maximum characters (UTF-8 code points); 0 = no limit
  std::vector<std::string> choices;  // kEnum, in spec order

  // True when "" is an acceptable value (see the file comment).
  bool AllowsEmpty() const;
};

// Parses a type spec: Bool, {a,b,c} (or {a|b|c} when a choice contains a comma),
// Uns8/16/32, Sig<n> (1..64), Port, IP, FQDN, UserID, Phone, Str<n>, Time<n>, Float<n>,
// CadScript, FreqScript, ToneScript, PhTmplt, RscTmplt, PwrLevel, StarCode, DialPlanScript,
// ProvisioningRuleSyntax, DelayList, HHmm.
Result<DataType> ParseDataType(std::string_view spec);

// OK, or InvalidArgument whose message is the reason only (e.g. "is not an unsigned integer");
// Catalog::Validate adds the parameter name and the value.
Status ValidateValue(const DataType& type, std::string_view value);

}  // namespace cwmp::prov
