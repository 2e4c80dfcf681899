#pragma once
// acsctl: commands over the NBI. Run() parses the arguments, talks to the API and prints.
// Exit codes: 0 success, 1 the request failed (ACS unreachable, 401/403/404, task fault),
// 2 usage error.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace acsctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr const char* kDefaultUrl = "http://127.0.0.1:7557";

struct Environment {
  std::optional<std::string> token;  // ACSCTL_TOKEN
  std::optional<std::string> url;    // ACSCTL_URL
};

int Run(const std::vector<std::string>& args, const Environment& env, std::ostream& out,
        std::ostream& err);

}  // namespace acsctl
