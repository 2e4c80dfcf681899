#pragma once
// The admin web server's endpoints (private): one complete request in, one answer out. No
// sockets, so every endpoint and account rule is testable directly; AdminServer adds the
// connections. Contract of the endpoints: agent/admin_server.h and docs/agent-admin.md.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/digest_server.h"
#include "admin/http_request_reader.h"
#include "agent/admin_server.h"

namespace agent::internal {

struct AdminResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;           // close the connection after this answer
  std::function<void()> after;  // run once the answer was sent (reboot)
};

// "/admin/resync?x&xuser=a&xpassword=b" and the guide's "/admin/config.xml&xuser=a&..." form.
struct AdminTarget {
  std::string path;                  // "/admin/resync"
  std::optional<std::string> query;  // after '?', credentials removed, not decoded; nullopt: none
  std::optional<std::string> xuser;  // decoded
  std::optional<std::string> xpassword;
};
// nullopt for a target that is not origin- or absolute-form or has a bad %-escape in the
// credentials.
std::optional<AdminTarget> ParseAdminTarget(std::string_view target);

// %XX decoding ('+' stays '+'); nullopt for a malformed escape.
std::optional<std::string> PercentDecode(std::string_view text);

std::string_view ReasonPhrase(int status);

class AdminRouter {
 public:
  AdminRouter(const AdminServerOptions& options, AdminActions& actions,
              std::function<std::string()> random_hex);

  // `settings` are the ones read for this request; `peer` is for the log.
  AdminResponse Handle(const HttpRequest& request, const AdminSettings& settings,
                       std::string_view peer);

 private:
  enum class Access { kAny, kAdminOnly };
  struct Login {
    std::optional<AdminAccount> account;
    std::optional<AdminResponse> refusal;  // 401 / 403
  };
  Login Authenticate(const HttpRequest& request, const AdminTarget& target,
                     const AdminSettings& settings, std::string_view peer);
  AdminResponse Unauthorized(bool stale);
  AdminResponse Resync(const AdminTarget& target, std::string_view peer);
  AdminResponse Upgrade(const AdminTarget& target, std::string_view peer);
  AdminResponse Reboot(std::string_view peer);
  AdminResponse ConfigGet(AdminAccount account);
  AdminResponse ConfigPost(const HttpRequest& request, AdminAccount account, std::string_view peer);
  AdminResponse StatusPage();
  AdminResponse Call(const AdminTarget& target);
  AdminResponse Index(AdminAccount account);
  void Log(const std::string& line) const;

  const AdminServerOptions& options_;
  AdminActions& actions_;
  DigestAuth digest_;
};

}  // namespace agent::internal
