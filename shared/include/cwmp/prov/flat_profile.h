#pragma once
// The phone's XML configuration profile (guide: "Provisioning Formats"): a <flat-profile>
// element, optionally inside <device>, whose children are parameters:
//
//   <flat-profile>
//     <Resync_Periodic ua="na"> 7200 </Resync_Periodic>
//     <Dial_Plan_1_ ua="ro"/>
//   </flat-profile>
//
// ParseFlatProfile turns the text into a list of elements in document order (duplicates kept;
// the last occurrence wins when the list is applied, see parameter_set.h). The rules, the
// choices where the guide contradicts itself and the security policy are in
// docs/flat-profile.md. In short:
//   - <X>v</X> sets the value (leading/trailing white space removed, every CR/LF inside the
//     value turned into a space, XML and numeric character escapes decoded);
//   - <X></X>, <X/> and <X>""</X> set the empty string;
//   - <X ua="rw"/> (empty-element tag with a ua attribute) changes the user access only;
//   - ua is na/ro/rw; when absent the access is left as it is;
//   - comments, processing instructions and the XML declaration are ignored;
//   - UTF-8 only; a DOCTYPE is rejected (no DTD, no entities, no network);
//   - input size, element count, value size, name size and depth are bounded (ParseLimits).
// A malformed or hostile profile yields kParseError / kLimitExceeded whose message starts
// with "LINE:COL: " (1-based; COL counts UTF-8 characters), so a tool can print
// "FILE:LINE:COL: msg".
//
// Profiles in the usual shape are read by a dedicated fast reader; anything else (and every
// error) goes through libxml2, which is the reference: both give the identical result
// (docs/flat-profile.md, "The fast path").

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"
#include "cwmp/prov/access.h"

namespace cwmp::prov {

// One parameter element of a profile.
struct ProfileElement {
  std::string name;                  // the tag name, e.g. "Dial_Plan_1_"
  std::optional<std::string> value;  // nullopt: ua-only element (<X ua="rw"/>), value unchanged
  std::optional<Access> ua;          // nullopt: ua attribute absent, access unchanged
  int line = 0;                      // 1-based position of the element's '<'; 0 if not parsed
  int column = 0;                    // 1-based, in UTF-8 characters (a leading BOM takes none)

  // Compares name, value and ua (not the position).
  bool SameContent(const ProfileElement& other) const {
    return name == other.name && value == other.value && ua == other.ua;
  }
};

struct FlatProfile {
  std::vector<ProfileElement> elements;  // document order, duplicates kept
};

struct ParseLimits {
  size_t max_bytes = size_t{8} << 20;         // whole input; checked before parsing
  size_t max_elements = 100000;               // parameter elements
  size_t max_value_bytes = size_t{64} << 10;  // one value, after escapes are decoded
  size_t max_name_bytes = 256;                // one element name
  int max_depth = 16;  // nesting, counting the root (only <device> may hold deeper elements)
};

// Parses a profile. On success nothing about the input is lost except comments, processing
// instructions, attributes other than ua, text between parameter elements and elements
// inside <device> other than <flat-profile>.
Result<FlatProfile> ParseFlatProfile(std::string_view xml, const ParseLimits& limits = {});

struct SerializeOptions {
  enum class SecretMode {
    kOmit,  // a secret's value is not written: <X ua=".."/> when ua is known, else nothing
    kMask,  // the value is written as Secret::kMask ("********"), for display only
  };
  bool xml_declaration = true;  // <?xml version="1.0" encoding="UTF-8"?>
  bool device_wrapper = false;  // <device><flat-profile>...</flat-profile></device>
  bool include_ua = true;       // write ua="..." when the element has one
  // Names whose values must not be exported (passwords, keys). Null: no secrets.
  std::function<bool(std::string_view name)> is_secret;
  SecretMode secret_mode = SecretMode::kOmit;
};

// Writes a profile that ParseFlatProfile reads back to the same elements, provided that the
// names are XML names (as ParseFlatProfile returns them) and the values are in the form
// ParseFlatProfile returns them (no leading/trailing white space, no CR/LF, not `""`); other
// values cannot be carried by the format and come back normalised. C0 control characters
// (not allowed in XML 1.0) are written as spaces and invalid UTF-8 as U+FFFD.
std::string SerializeFlatProfile(const FlatProfile& profile, const SerializeOptions& options = {});

}  // namespace cwmp::prov
