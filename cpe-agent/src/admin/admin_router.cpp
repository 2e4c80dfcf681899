// The admin endpoints and the account rules (see agent/admin_server.h).
#include "admin/admin_router.h"

#include <cctype>
#include <ctime>

#include "cwmp/base/http_reason.h"
#include "cwmp/content/base64.h"
#include "common/text.h"

namespace agent::internal {
namespace {
using text::Lower;


bool SameSecret(std::string_view given, const cwmp::Secret& expected) {
  const std::string& e = expected.Reveal();
  if (given.size() != e.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < e.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ e[i]);
  return diff == 0;
}

// A user-supplied name, safe for a log line.
std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 64)) {
    out += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
  }
  return out;
}

// One line of a text page: no CR/LF inside a value.
std::string OneLine(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// mm/dd/yyyy HH:MM:SS (UTC), as the guide's "Custom CA Status" shows times.
std::string GuideTime(std::chrono::sys_seconds t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%m/%d/%Y %H:%M:%S", &tm);
  return buf;
}

std::string OutcomeLine(const std::optional<AdminOutcome>& o, std::string_view what,
                        std::string_view never) {
  if (!o) return std::string(never);
  std::string line = "Last " + std::string(what) + (o->success ? " succeeded" : " failed") +
                     " on " + GuideTime(o->time);
  if (!o->detail.empty()) line += ": " + OneLine(o->detail);
  return line;
}

int HttpStatusOf(const cwmp::Status& st) {
  switch (st.code()) {
    case cwmp::StatusCode::kOk:
      return 200;
    case cwmp::StatusCode::kFailedPrecondition:
      return 403;
    case cwmp::StatusCode::kInvalidArgument:
    case cwmp::StatusCode::kParseError:
    case cwmp::StatusCode::kNotFound:
    case cwmp::StatusCode::kDecryptError:
      return 400;
    case cwmp::StatusCode::kLimitExceeded:
      return 413;
    case cwmp::StatusCode::kUnsupported:
      return 501;
    default:
      return 500;
  }
}

AdminResponse Text(int status, std::string body) {
  AdminResponse r;
  r.status = status;
  r.body = std::move(body);
  if (r.body.empty() || r.body.back() != '\n') r.body += '\n';
  return r;
}

AdminResponse FromStatus(const cwmp::Status& st, std::string ok_text) {
  if (st.ok()) return Text(200, std::move(ok_text));
  return Text(HttpStatusOf(st), OneLine(st.message()));
}

// "a=1&b=2" -> pairs (decoded); nullopt for a bad escape.
std::optional<std::vector<std::pair<std::string, std::string>>> FormPairs(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t pos = 0;
  while (pos < q.size()) {
    size_t amp = q.find('&', pos);
    if (amp == std::string_view::npos) amp = q.size();
    std::string_view piece = q.substr(pos, amp - pos);
    pos = amp + 1;
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    auto k = PercentDecode(piece.substr(0, eq));
    auto v = PercentDecode(eq == std::string_view::npos ? "" : piece.substr(eq + 1));
    if (!k || !v) return std::nullopt;
    out.emplace_back(std::move(*k), std::move(*v));
  }
  return out;
}

}  // namespace

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = hex(text[i + 1]), lo = hex(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<AdminTarget> ParseAdminTarget(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (Lower(target.substr(0, scheme.size())) == scheme) {
      size_t slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      break;
    }
  }
  if (target.empty() || target.front() != '/') return std::nullopt;
  AdminTarget out;
  size_t end = target.find_first_of("?&");
  out.path = std::string(target.substr(0, end));
  if (end == std::string_view::npos) return out;
  bool has_query = target[end] == '?';
  std::string_view rest = target.substr(end + (has_query ? 1 : 0));
  // The credentials are the trailing "xuser=" / "xpassword=" pieces (each after '&', or at the
  // start of the query); everything before them is the query (a rule may contain '&').
  size_t creds = std::string_view::npos;
  for (std::string_view key : {"xuser=", "xpassword="}) {
    if (rest.substr(0, key.size()) == key) creds = 0;
    size_t at = rest.find("&" + std::string(key));
    if (at != std::string_view::npos && (creds == std::string_view::npos || at < creds)) {
      creds = at;
    }
  }
  std::string query(rest.substr(0, creds));
  if (creds != std::string_view::npos) {
    std::string_view tail = rest.substr(creds);
    size_t pos = 0;
    while (pos <= tail.size()) {
      size_t amp = tail.find('&', pos);
      if (amp == std::string_view::npos) amp = tail.size();
      std::string_view piece = tail.substr(pos, amp - pos);
      pos = amp + 1;
      if (piece.empty()) continue;
      if (piece.rfind("xuser=", 0) == 0 || piece.rfind("xpassword=", 0) == 0) {
        size_t eq = piece.find('=');
        auto value = PercentDecode(piece.substr(eq + 1));
        if (!value) return std::nullopt;
        (piece[1] == 'u' ? out.xuser : out.xpassword) = std::move(*value);
      } else {
        if (!query.empty()) query += '&';
        query += std::string(piece);
      }
    }
  }
  if (has_query || !query.empty()) out.query = std::move(query);
  return out;
}

std::string_view ReasonPhrase(int status) { return cwmp::HttpReasonPhrase(status); }

AdminRouter::AdminRouter(const AdminServerOptions& options, AdminActions& actions,
                         std::function<std::string()> random_hex)
    : options_(options),
      actions_(actions),
      digest_(DigestAuth::Options{options.realm, options.nonce_lifetime, 256, false},
              std::move(random_hex)) {}

void AdminRouter::Log(const std::string& line) const {
  if (options_.log) options_.log("admin: " + line);
}

AdminResponse AdminRouter::Unauthorized(bool stale) {
  AdminResponse r = Text(401, "Authentication required (accounts: admin, user)");
  r.headers.emplace_back("WWW-Authenticate",
                         digest_.Challenge(std::chrono::system_clock::now(), stale));
  r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"" + options_.realm + "\"");
  return r;
}

AdminRouter::Login AdminRouter::Authenticate(const HttpRequest& request, const AdminTarget& target,
                                             const AdminSettings& settings, std::string_view peer) {
  auto password_of = [&settings](std::string_view user) -> const cwmp::Secret* {
    if (user == "admin") return &settings.admin_password;
    if (user == "user") return &settings.user_password;
    return nullptr;
  };
  auto account_of = [](std::string_view user) {
    return user == "admin" ? AdminAccount::kAdmin : AdminAccount::kUser;
  };
  auto admin_disabled = [&] {
    Log("admin login refused from " + std::string(peer) + ": Enable_Web_Admin_Access is No");
    return Login{std::nullopt, Text(403, "Admin access is disabled (Enable_Web_Admin_Access)")};
  };
  auto failed = [&](std::string_view user, bool stale) {
    if (!stale) Log("failed login as \"" + Printable(user) + "\" from " + std::string(peer));
    return Login{std::nullopt, Unauthorized(stale)};
  };
  std::optional<std::pair<std::string, std::string>> basic;
  if (target.xuser || target.xpassword) {
    basic.emplace(target.xuser.value_or(""), target.xpassword.value_or(""));
  } else if (auto auth = request.head.Header("Authorization")) {
    std::string_view v = *auth;
    if (Lower(v.substr(0, 6)) == "basic ") {
      auto decoded = cwmp::content::Base64Decode(v.substr(6));
      if (!decoded.ok()) return failed("", false);
      size_t colon = decoded->find(':');
      if (colon == std::string::npos) return failed("", false);
      basic.emplace(decoded->substr(0, colon), decoded->substr(colon + 1));
    } else {
      auto outcome = digest_.Verify(v, request.head.method, request.head.target, password_of,
                                    std::chrono::system_clock::now());
      switch (outcome.verdict) {
        case DigestAuth::Verdict::kOk:
          break;
        case DigestAuth::Verdict::kStale:
          return failed(outcome.username, true);
        case DigestAuth::Verdict::kUnknownNonce:
          return failed(outcome.username, true);  // a restarted server: re-challenge quietly
        default:
          return failed(outcome.username, false);
      }
      AdminAccount account = account_of(outcome.username);
      if (account == AdminAccount::kAdmin && !settings.web_admin_access) return admin_disabled();
      return Login{account, std::nullopt};
    }
  }
  if (basic) {
    const cwmp::Secret* expected = password_of(basic->first);
    if (expected == nullptr || !SameSecret(basic->second, *expected)) {
      return failed(basic->first, false);
    }
    AdminAccount account = account_of(basic->first);
    if (account == AdminAccount::kAdmin && !settings.web_admin_access) return admin_disabled();
    return Login{account, std::nullopt};
  }
  // No credentials: an account without a password needs none.
  if (settings.admin_password.empty() && settings.web_admin_access) {
    return Login{AdminAccount::kAdmin, std::nullopt};
  }
  if (settings.user_password.empty()) return Login{AdminAccount::kUser, std::nullopt};
  return Login{std::nullopt, Unauthorized(false)};
}

AdminResponse AdminRouter::Handle(const HttpRequest& request, const AdminSettings& settings,
                                  std::string_view peer) {
  auto target = ParseAdminTarget(request.head.target);
  if (!target) {
    AdminResponse r = Text(400, "Malformed request target");
    r.close = true;
    return r;
  }
  struct Route {
    std::string_view path;
    bool post;  // POST allowed besides GET
    Access access;
  };
  static constexpr Route kRoutes[] = {
      {"/admin/resync", false, Access::kAdminOnly},
      {"/admin/upgrade", false, Access::kAdminOnly},
      {"/admin/reboot", false, Access::kAdminOnly},
      {"/admin/config.xml", true, Access::kAny},
      {"/admin/status", false, Access::kAny},
      {"/admin/call", false, Access::kAny},
      {"/", false, Access::kAny},
      {"/admin", false, Access::kAny},
      {"/admin/", false, Access::kAny},
      {"/admin/advanced", false, Access::kAny},
  };
  const Route* route = nullptr;
  for (const auto& r : kRoutes) {
    if (r.path == target->path) route = &r;
  }
  if (route == nullptr) return Text(404, "Not found");
  const std::string& method = request.head.method;
  if (method != "GET" && !(route->post && method == "POST")) {
    AdminResponse r = Text(405, "Method not allowed");
    r.headers.emplace_back("Allow", route->post ? "GET, POST" : "GET");
    return r;
  }
  Login login = Authenticate(request, *target, settings, peer);
  if (!login.account) return std::move(*login.refusal);
  AdminAccount account = *login.account;
  if (route->access == Access::kAdminOnly && account != AdminAccount::kAdmin) {
    return Text(403, "This command needs the admin account");
  }
  const std::string_view path = target->path;
  if (path == "/admin/resync") return Resync(*target, peer);
  if (path == "/admin/upgrade") return Upgrade(*target, peer);
  if (path == "/admin/reboot") return Reboot(peer);
  if (path == "/admin/config.xml") {
    return method == "POST" ? ConfigPost(request, account, peer) : ConfigGet(account);
  }
  if (path == "/admin/status") return StatusPage();
  if (path == "/admin/call") return Call(*target);
  return Index(account);
}

AdminResponse AdminRouter::Resync(const AdminTarget& target, std::string_view peer) {
  std::optional<std::string> rule;
  if (target.query && !target.query->empty()) {
    rule = PercentDecode(*target.query);
    if (!rule) return Text(400, "Malformed %-escape in the resync rule");
  }
  Log(std::string("resync requested") + (rule ? " with a rule" : "") + " from " +
      std::string(peer));
  return FromStatus(actions_.Resync(std::move(rule)), "Resync requested");
}

AdminResponse AdminRouter::Upgrade(const AdminTarget& target, std::string_view peer) {
  if (!target.query || target.query->empty()) {
    return Text(400, "Usage: /admin/upgrade?<scheme>://<server[:port]>/<path>");
  }
  auto url = PercentDecode(*target.query);
  if (!url) return Text(400, "Malformed %-escape in the upgrade URL");
  Log("upgrade requested from " + std::string(peer));
  return FromStatus(actions_.Upgrade(std::move(*url)), "Upgrade requested");
}

AdminResponse AdminRouter::Reboot(std::string_view peer) {
  Log("reboot requested from " + std::string(peer));
  AdminResponse r = Text(200, "Rebooting");
  r.close = true;
  r.after = [this] {
    cwmp::Status st = actions_.Reboot();
    if (!st.ok()) Log("reboot failed: " + OneLine(st.message()));
  };
  return r;
}

AdminResponse AdminRouter::ConfigGet(AdminAccount account) {
  AdminResponse r;
  r.content_type = "application/xml; charset=utf-8";
  r.body = actions_.ExportProfile(account == AdminAccount::kUser);
  return r;
}

AdminResponse AdminRouter::ConfigPost(const HttpRequest& request, AdminAccount account,
                                      std::string_view peer) {
  if (request.body.empty()) return Text(400, "Empty profile: POST a <flat-profile> document");
  auto report = actions_.ApplyProfile(request.body, account == AdminAccount::kUser);
  Log(std::string("profile POST by ") + (account == AdminAccount::kUser ? "user" : "admin") +
      " from " + std::string(peer) + ": " + (report.ok() ? "applied" : "refused"));
  if (!report.ok()) return FromStatus(report.status(), "");
  std::string body = "Applied " + std::to_string(report->applied) + " parameter elements\n";
  if (!report->unknown.empty()) {
    body += "Ignored unknown parameters:";
    size_t shown = 0;
    for (const auto& name : report->unknown) {
      if (shown++ == 50) {
        body += " ... (" + std::to_string(report->unknown.size() - 50) + " more)";
        break;
      }
      body += " " + Printable(name);
    }
    body += "\n";
  }
  return Text(200, std::move(body));
}

AdminResponse AdminRouter::StatusPage() {
  AdminStatus s = actions_.Status();
  std::string body;
  auto line = [&body](std::string_view name, std::string_view value) {
    body += std::string(name) + ": " + OneLine(value) + "\n";
  };
  line("Software Version", s.software_version);
  line("Provisioning Status", s.provisioning_status);
  line("Last Resync Status", OutcomeLine(s.last_resync, "resync", "No resync yet"));
  line("Last Upgrade Status", OutcomeLine(s.last_upgrade, "upgrade", "No upgrade yet"));
  line("Custom CA Provisioning Status",
       OutcomeLine(s.custom_ca, "provisioning", "No custom CA provisioning yet"));
  line("Custom CA Info", s.custom_ca_info.empty() ? "Not Installed" : s.custom_ca_info);
  auto lines = actions_.LineStates();
  for (size_t i = 0; i < lines.size(); ++i) {
    line("Line " + std::to_string(i + 1) + " Call State", lines[i] ? "busy" : "idle");
  }
  for (const auto& [name, value] : s.extra) line(OneLine(name), value);
  return Text(200, std::move(body));
}

AdminResponse AdminRouter::Call(const AdminTarget& target) {
  if (target.query && !target.query->empty()) {
    auto pairs = FormPairs(*target.query);
    if (!pairs) return Text(400, "Malformed %-escape");
    std::optional<std::string> line_text, state;
    for (auto& [k, v] : *pairs) {
      if (k == "line") {
        line_text = v;
      } else if (k == "state") {
        state = v;
      } else {
        return Text(400, "Unknown parameter \"" + Printable(k) + "\" (use line=N&state=busy|idle)");
      }
    }
    if (!line_text || !state || (*state != "busy" && *state != "idle") || line_text->empty() ||
        line_text->size() > 3 || line_text->find_first_not_of("0123456789") != std::string::npos) {
      return Text(400, "Usage: /admin/call?line=N&state=busy|idle");
    }
    cwmp::Status st = actions_.SetLineBusy(std::stoi(*line_text), *state == "busy");
    if (!st.ok()) return FromStatus(st, "");
  }
  std::string body;
  auto lines = actions_.LineStates();
  for (size_t i = 0; i < lines.size(); ++i) {
    body += "Line " + std::to_string(i + 1) + ": " + (lines[i] ? "busy" : "idle") + "\n";
  }
  body += std::string("All lines idle: ") + (actions_.LinesIdle() ? "yes" : "no") + "\n";
  return Text(200, std::move(body));
}

AdminResponse AdminRouter::Index(AdminAccount account) {
  std::string body = "cpe-agent phone web server (";
  body += account == AdminAccount::kAdmin ? "admin" : "user";
  body +=
      " account)\n"
      "GET  /admin/status\n"
      "GET  /admin/config.xml\n"
      "POST /admin/config.xml\n"
      "GET  /admin/call[?line=N&state=busy|idle]\n";
  if (account == AdminAccount::kAdmin) {
    body +=
        "GET  /admin/resync[?<rule>]\n"
        "GET  /admin/upgrade?<url>\n"
        "GET  /admin/reboot\n";
  }
  return Text(200, std::move(body));
}

}  // namespace agent::internal
