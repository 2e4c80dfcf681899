// The NBI entry point: authentication, scope, routing.
#include <cctype>

#include "acs/http_client.h"
#include "nbi/api_impl.h"

namespace acs::nbi {
namespace {

using internal::Error;

bool IEqualsPrefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

http::Response Unauthorized(const std::string& message) {
  http::Response r = Error(401, message);
  r.headers.push_back({"WWW-Authenticate", "Bearer realm=\"acs\""});
  return r;
}

}  // namespace

Api::Api(Store& store, ConnectionRequester& requester, const ApiOptions& options)
    : store_(store), requester_(requester), options_(options) {}

http::Response Api::Handle(const http::Request& request, const http::ConnectionInfo& connection) {
  http::Response r = Route(request, connection);
  // HEAD answers as GET would, without the body (the status and headers still tell).
  if (request.method == "HEAD") r.body.clear();
  return r;
}

http::Response Api::Route(const http::Request& request, const http::ConnectionInfo&) {
  // 1. Who is asking.
  const std::string* auth = request.Find("Authorization");
  if (auth == nullptr) return Unauthorized("missing Authorization: Bearer <token>");
  if (!IEqualsPrefix(*auth, "Bearer ") || auth->size() <= 7 || auth->size() > 512) {
    return Unauthorized("Authorization must be \"Bearer <token>\"");
  }
  std::string token = auth->substr(7);
  while (!token.empty() && token.front() == ' ') token.erase(0, 1);
  auto scope = store_.LookupApiToken(cwmp::Secret(token));
  if (!scope.ok()) {
    if (scope.status().code() == cwmp::StatusCode::kNotFound) {
      return Unauthorized("unknown API token");
    }
    return internal::FromStatus(scope.status());
  }
  const std::string& m = request.method;
  bool write = m == "POST" || m == "DELETE" || m == "PUT" || m == "PATCH";
  if (write && *scope != ApiScope::kAdmin) {
    return Error(403, "this token has scope read; " + m + " needs an admin token");
  }

  // 2. Path and query.
  std::string_view target = request.target;
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  internal::Ctx ctx{store_, requester_, options_, request, {}, {}};
  if (path.empty() || path.front() != '/') return Error(400, "request target must be a path");
  size_t pos = 1;
  while (pos <= path.size()) {
    size_t slash = path.find('/', pos);
    std::string_view seg = path.substr(pos, slash == std::string_view::npos ? slash : slash - pos);
    auto decoded = http::PercentDecode(seg);
    if (!decoded.ok()) return Error(400, "path: " + decoded.status().message());
    if (!decoded->empty() || slash != std::string_view::npos) ctx.segments.push_back(*decoded);
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  while (!ctx.segments.empty() && ctx.segments.back().empty()) ctx.segments.pop_back();
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    if (item.empty()) continue;
    size_t eq = item.find('=');
    auto key = http::PercentDecode(item.substr(0, eq), true);
    auto value = http::PercentDecode(
        eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1), true);
    if (!key.ok() || !value.ok()) return Error(400, "query: bad %-escape");
    if (!ctx.query.emplace(*key, *value).second) {
      return Error(400, "query parameter \"" + *key + "\" given twice");
    }
  }

  // 3. Route.
  if (ctx.segments.empty()) return Error(404, "no resource at /");
  const std::string& root = ctx.segments[0];
  if (root == "devices") return internal::HandleDevices(ctx);
  if (root == "tasks") return internal::HandleTasks(ctx);
  if (root == "faults") return internal::HandleFaults(ctx);
  return Error(404, "no resource at " + std::string(path.substr(0, 200)));
}

}  // namespace acs::nbi
