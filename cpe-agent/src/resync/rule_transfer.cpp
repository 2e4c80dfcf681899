#include "resync/rule_transfer.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>

#include "agent/network_worker.h"
#include "cwmp/content/content.h"
#include "cwmp/prov/flat_profile.h"
#include "cwmp/prov/url.h"
#include "resync/alias_map.h"
#include "resync/resync_state.h"

namespace agent::resync_internal {
namespace {

namespace prov = cwmp::prov;

// TR-069 TransferComplete fault codes (transfer_executor.h).
constexpr uint32_t kFaultTransfer = 9010;
constexpr uint32_t kFaultServerAuth = 9012;
constexpr uint32_t kFaultContact = 9015;
constexpr uint32_t kFaultAccess = 9016;
constexpr uint32_t kFaultCorrupt = 9018;
constexpr uint32_t kFaultFileAuth = 9019;

// The URL as it will be requested: the DHCP option 66 server stands in for a missing host.
std::optional<prov::ProvisioningUrl> EffectiveTarget(const prov::ProvisioningUrl& url,
                                                     const std::string& dhcp_server) {
  if (!url.uses_dhcp_server()) return url;
  if (dhcp_server.empty()) return std::nullopt;
  auto server = prov::ParseProvisioningUrl("tftp://" + dhcp_server + "/");
  if (!server.ok()) return std::nullopt;
  prov::ProvisioningUrl out = url;
  out.host = server->host;
  if (!out.port_given) out.port = server->port;
  return out;
}

// $SERVIP before the request: a literal, the static host table, else the first DNS A record.
std::string ResolveForLog(const std::string& host, const FetchOptions& fetch) {
  in_addr a4{};
  in6_addr a6{};
  if (inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1) {
    return host;
  }
  if (auto it = fetch.hosts.find(host); it != fetch.hosts.end() && !it->second.empty()) {
    return it->second.front();
  }
  addrinfo hints{};
  hints.ai_family = AF_INET;
  addrinfo* res = nullptr;
  std::string out = host;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) == 0 && res != nullptr) {
    char buf[INET_ADDRSTRLEN];
    auto* sin = reinterpret_cast<sockaddr_in*>(res->ai_addr);
    if (inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf)) != nullptr) out = buf;
    freeaddrinfo(res);
  }
  return out;
}

void SetTargetVariables(const std::string& expanded_url, const RuleTransferContext& ctx,
                        prov::MacroVariables* vars) {
  auto parsed = prov::ParseProvisioningUrl(expanded_url);
  if (!parsed.ok()) return;
  auto target = EffectiveTarget(*parsed, ctx.dhcp_tftp_server);
  prov::SetRequestTargetVariables(target ? *target : *parsed, vars);
  if (target) (void)vars->Set("SERVIP", ResolveForLog(target->host, *ctx.fetch));
}

void Log(SyslogClient* syslog, ProvisioningLogEvent event, const prov::MacroVariables& vars) {
  if (syslog != nullptr) (void)syslog->LogProvisioning(event, vars);
}

FetchOptions RequestOptions(const prov::RuleSelection& sel, const RuleTransferContext& ctx) {
  FetchOptions o = *ctx.fetch;
  o.dhcp_tftp_server = ctx.dhcp_tftp_server;
  if (sel.options.uid) o.username = *sel.options.uid;
  if (sel.options.pwd) o.password = *sel.options.pwd;
  if (sel.options.post_parameter) {
    o.post = true;
    o.post_body = sel.options.post_body;
  }
  return o;
}

uint32_t FetchFault(const FetchResult& r) {
  if (r.outcome == FetchOutcome::kFileNotFound) return kFaultAccess;
  if (r.http_status == 401 || r.http_status == 407) return kFaultServerAuth;
  if (r.http_status == 0 && r.error.find("certificate") != std::string::npos) {
    return kFaultServerAuth;
  }
  if (r.http_status == 0) return kFaultContact;
  if (r.http_status >= 400) return kFaultAccess;
  return kFaultTransfer;
}

// Content-Encoding tokens are case-insensitive ("aes128gcm", "AES128GCM").
bool ContainsToken(const std::string& header, std::string_view token) {
  std::string lower;
  for (char c : header) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find(token) != std::string::npos;
}

// Applies the assignments of the chosen alternative as a one-off local profile.
cwmp::Status ApplyAssignments(const prov::RuleSelection& sel, const RuleTransferContext& ctx,
                              size_t* applied) {
  if (sel.assignments.empty()) return cwmp::Status::Ok();
  prov::FlatProfile p;
  for (const prov::RuleAssignment& a : sel.assignments) {
    prov::ProfileElement e;
    e.name = a.name;
    e.value = a.value;
    p.elements.push_back(std::move(e));
  }
  auto r = ctx.apply(p);
  if (!r.ok()) return r.status().WithPrefix("assignment failed");
  *applied += r->applied;
  return cwmp::Status::Ok();
}

// Decode, parse, alias: the content half. The error message is $ERR; *fault the TR-069 code.
cwmp::Result<prov::FlatProfile> DecodeProfile(const FetchResult& fetched,
                                              const prov::RuleSelection& sel,
                                              const RuleTransferContext& ctx, uint32_t* fault,
                                              uint64_t* digest) {
  cwmp::content::DecodeOptions d;
  d.key = sel.options.key;
  d.ikm = ctx.ikm;
  d.aes128gcm = ContainsToken(fetched.content_encoding, "aes128gcm");
  d.max_input = ctx.fetch->max_bytes;
  auto decoded = DecodeContentIsolated(fetched.body, d);
  if (!decoded.ok()) {
    *fault =
        decoded.status().code() == cwmp::StatusCode::kDecryptError ? kFaultFileAuth : kFaultCorrupt;
    return cwmp::Status(decoded.status().code(), "decode failed: " + decoded.status().message());
  }
  *digest = ContentDigest(decoded->plaintext);
  auto profile = prov::ParseFlatProfile(decoded->plaintext);
  if (!profile.ok()) {
    *fault = kFaultCorrupt;
    return cwmp::Status(profile.status().code(), "parse failed: " + profile.status().message());
  }
  if (sel.options.alias_parameter) {
    auto aliases = ParseAliasMap(sel.options.alias_map);
    if (!aliases.ok()) {
      *fault = kFaultTransfer;
      return aliases.status().WithPrefix(*sel.options.alias_parameter);
    }
    ApplyAliases(*aliases, &profile.value());
  }
  return profile;
}

// True when applying `profile` would change nothing; *known counts its known elements.
bool ProfileChangesNothing(const prov::FlatProfile& profile, const ParameterStore* store,
                           size_t* known) {
  if (store == nullptr) return false;
  *known = 0;
  for (const prov::ProfileElement& e : profile.elements) {
    if (store->Find(e.name) == nullptr) continue;  // unknown: ignored by ApplyProfile too
    ++*known;
    if (e.value && (!store->IsSet(e.name) || store->Get(e.name) != *e.value)) return false;
    if (e.ua && store->GetAccess(e.name) != *e.ua) return false;
  }
  return true;
}

RuleTransfer Failed(RuleTransfer t, std::string error, uint32_t fault, SyslogClient* syslog,
                    prov::MacroVariables* vars) {
  t.file.ok = false;
  t.file.error = std::move(error);
  t.fault_code = fault;
  LogRuleFailure(t.file.error, syslog, vars);
  return t;
}

}  // namespace

void LogRuleFailure(const std::string& error, SyslogClient* syslog, prov::MacroVariables* vars) {
  (void)vars->Set("ERR", error);
  Log(syslog, ProvisioningLogEvent::kResyncFailure, *vars);
}

RuleTransfer RunRuleSelection(const std::string& rule_name, const prov::RuleSelection& sel,
                              const RuleTransferContext& ctx, prov::MacroVariables* vars) {
  RuleTransfer t;
  t.file.rule = rule_name;
  t.file.url = sel.expanded_url;
  t.start = t.complete = ctx.clock->Now();
  if (cwmp::Status st = ApplyAssignments(sel, ctx, &t.file.applied); !st.ok()) {
    return Failed(std::move(t), st.message(), kFaultTransfer, ctx.syslog, vars);
  }
  if (sel.expanded_url.empty()) {
    t.file.ok = true;
    return t;
  }
  t.transferred = true;
  (void)vars->Set("ERR", "");
  SetTargetVariables(sel.expanded_url, ctx, vars);
  Log(ctx.syslog, ProvisioningLogEvent::kResyncRequest, *vars);

  FetchResult fetched = Fetch(sel.expanded_url, RequestOptions(sel, ctx));
  t.complete = ctx.clock->Now();
  if (!fetched.server_ip.empty()) (void)vars->Set("SERVIP", fetched.server_ip);
  if (fetched.outcome == FetchOutcome::kFileNotFound && !ctx.fails_on_fnf) {
    t.file.ok = true;
    t.file.error = fetched.error;
    (void)vars->Set("ERR", fetched.error);
    Log(ctx.syslog, ProvisioningLogEvent::kResyncSuccess, *vars);
    return t;
  }
  if (!fetched.ok()) {
    return Failed(std::move(t), fetched.error, FetchFault(fetched), ctx.syslog, vars);
  }
  t.file_size = fetched.body.size();
  uint32_t fault = 0;
  uint64_t digest = 0;
  auto profile = DecodeProfile(fetched, sel, ctx, &fault, &digest);
  if (!profile.ok()) {
    return Failed(std::move(t), profile.status().message(), fault, ctx.syslog, vars);
  }
  size_t known = 0;
  if (ProfileChangesNothing(*profile, ctx.store, &known)) {
    t.file.applied += known;
  } else {
    auto applied = ctx.apply(*profile);
    if (!applied.ok()) {
      return Failed(std::move(t), "apply failed: " + applied.status().message(), kFaultCorrupt,
                    ctx.syslog, vars);
    }
    t.file.applied += applied->applied;
  }
  t.file.ok = true;
  t.digest = digest;
  Log(ctx.syslog, ProvisioningLogEvent::kResyncSuccess, *vars);
  return t;
}

}  // namespace agent::resync_internal
