// ParseChallenges (a CPE's WWW-Authenticate header) and the Digest answer built from whatever it
// returns: no crash, no unbounded work, on any header value.
#include <cstdint>
#include <string>
#include <string_view>

#include "connreq/challenge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  auto challenges = acs::connreq::ParseChallenges(header);
  if (!challenges.ok()) return 0;
  const cwmp::Secret password("pw");
  for (const auto& c : *challenges) {
    if (c.scheme == "digest") {
      auto answer = acs::connreq::AnswerDigest(c, "GET", "/cr", "user", password, "0a4f113b");
      (void)answer;
    }
  }
  return 0;
}
