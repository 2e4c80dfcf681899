// SerializeFlatProfile: the inverse of ParseFlatProfile for the elements it returns.

#include <string>

#include "cwmp/base/secret.h"
#include "cwmp/prov/flat_profile.h"
#include "prov/flat_profile_text.h"

namespace cwmp::prov {

std::string SerializeFlatProfile(const FlatProfile& profile, const SerializeOptions& options) {
  std::string out;
  size_t estimate = 96;
  for (const ProfileElement& e : profile.elements) {
    estimate += 2 * e.name.size() + (e.value ? e.value->size() : 0) + 16;
  }
  out.reserve(estimate);
  if (options.xml_declaration) out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (options.device_wrapper) out += "<device>\n";
  out += "<flat-profile>\n";
  for (const ProfileElement& e : profile.elements) {
    // A plain bool and enum rather than a copied optional: gcc 12 warns (maybe-uninitialized)
    // on the optional's payload.
    const bool has_ua = options.include_ua && e.ua.has_value();
    const Access ua = has_ua ? *e.ua : Access::kNa;
    const std::string* value = e.value ? &*e.value : nullptr;
    const bool secret = value != nullptr && options.is_secret && options.is_secret(e.name);
    static const std::string kMask(Secret::kMask);
    if (secret) {
      value = options.secret_mode == SerializeOptions::SecretMode::kMask ? &kMask : nullptr;
    }
    // Without a value, only the access can be written; <X/> alone would set the empty string.
    if (value == nullptr && !has_ua) continue;
    out += "  <";
    out += e.name;
    if (has_ua) {
      out += " ua=\"";
      out += AccessName(ua);
      out += '"';
    }
    if (value == nullptr) {
      out += "/>\n";
      continue;
    }
    out += '>';  // <X></X>, never <X/>, for the empty string: <X ua=".."/> is access only
    AppendEscapedText(out, *value);
    out += "</";
    out += e.name;
    out += ">\n";
  }
  out += "</flat-profile>\n";
  if (options.device_wrapper) out += "</device>\n";
  return out;
}

}  // namespace cwmp::prov
