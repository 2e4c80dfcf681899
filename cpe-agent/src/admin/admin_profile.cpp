// AdminSettings from the parameter store, and config.xml's ua rules over the store (export for
// both accounts, the user account's write check).
#include <cctype>
#include <cstdlib>
#include <string>

#include "agent/admin_server.h"
#include "agent/parameter_store.h"

namespace agent {
namespace {

namespace prov = cwmp::prov;

// Catalog Bool values: yes/no, 1/0, any case (the store only holds validated values).
bool IsYes(std::string_view v) {
  std::string lower;
  for (char c : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "yes" || lower == "1" || lower == "true";
}

// Catalog Port values: decimal or hex ("0x50"); `fallback` for anything else.
uint16_t PortOf(const std::string& v, uint16_t fallback) {
  if (v.empty()) return fallback;
  char* end = nullptr;
  unsigned long n = std::strtoul(v.c_str(), &end, 0);
  if (end == v.c_str() || *end != '\0' || n > 65535) return fallback;
  return static_cast<uint16_t>(n);
}

bool UserVisible(prov::Access a) { return a == prov::Access::kRo || a == prov::Access::kRw; }

}  // namespace

AdminSettings ReadAdminSettings(const ParameterStore& store) {
  AdminSettings s;
  s.web_server_enabled = IsYes(store.Get("Enable_Web_Server"));
  s.web_server_port = PortOf(store.Get("Web_Server_Port"), 80);
  s.web_admin_access = IsYes(store.Get("Enable_Web_Admin_Access"));
  s.admin_password = cwmp::Secret(store.Get("Admin_Password"));
  s.user_password = cwmp::Secret(store.Get("User_Password"));
  s.resync_from_sip = IsYes(store.Get("Resync_From_SIP"));
  s.sip_port = PortOf(store.Get("SIP_Port_1_"), 5060);
  s.sip_auth_user = store.Get("Auth_ID_1_");
  if (s.sip_auth_user.empty()) s.sip_auth_user = store.Get("User_ID_1_");
  s.sip_password = cwmp::Secret(store.Get("Password_1_"));
  return s;
}

std::string ExportProfileXml(const ParameterStore& store, bool user_view) {
  prov::FlatProfile profile = store.ExportProfile(/*all=*/true);
  if (user_view) {
    std::erase_if(profile.elements,
                  [](const prov::ProfileElement& e) { return !e.ua || !UserVisible(*e.ua); });
  }
  prov::SerializeOptions opt;
  // ExportProfile already dropped secret values; this keeps a future change there from leaking.
  opt.is_secret = [&store](std::string_view name) {
    const auto* def = store.Find(name);
    return def != nullptr && def->secret;
  };
  return prov::SerializeFlatProfile(profile, opt);
}

cwmp::Result<prov::FlatProfile> CheckAdminProfile(const ParameterStore& store, std::string_view xml,
                                                  bool user_account) {
  auto profile = prov::ParseFlatProfile(xml);
  if (!profile.ok()) return profile.status();
  if (!user_account) return profile;
  std::string refused;
  for (const auto& e : profile->elements) {
    if (store.Find(e.name) == nullptr) continue;  // unknown: ignored and reported by the apply
    prov::Access current = store.GetAccess(e.name);
    std::string why;
    if (e.value && current != prov::Access::kRw) {
      why = e.name + " (ua=" + std::string(prov::AccessName(current)) + ")";
    } else if (e.ua && *e.ua != current) {
      why = e.name + " (the user account cannot change ua)";
    }
    if (why.empty()) continue;
    if (!refused.empty()) refused += ", ";
    refused += why;
  }
  if (!refused.empty()) {
    return cwmp::FailedPrecondition(
        "the user account may change only ua=rw parameters; nothing was applied: " + refused);
  }
  return profile;
}

cwmp::Result<AdminApplyReport> ApplyProfileXml(ParameterStore& store, std::string_view xml,
                                               bool user_account) {
  auto profile = CheckAdminProfile(store, xml, user_account);
  if (!profile.ok()) return profile.status();
  auto applied = store.ApplyProfile(*profile, ChangeSource::kLocal);
  if (!applied.ok()) return applied.status();
  return AdminApplyReport{applied->applied, applied->unknown};
}

}  // namespace agent
