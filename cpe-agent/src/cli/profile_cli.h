#pragma once
// `cpe-agent profile …`: the carrier's tool for the phone's provisioning language.
//   check   validate flat profiles against the parameter catalog
//   decode  decrypt + decompress a profile exactly as the phone does, print it (secrets masked)
//   encode  the reverse: gzip, then AES-256-CBC (`openssl enc` format) or RFC 8188 aes128gcm
//   expand  evaluate a Profile_Rule, Upgrade_Rule or Resync_Trigger for one phone
// Exit codes: 0 success, 1 the input is bad (invalid profile, wrong key, rule error), 2 usage.

#include <string>
#include <vector>

namespace agent::cli {

// args: the words after "profile".
int RunProfileCommand(const std::vector<std::string>& args);

int RunProfileCheck(const std::vector<std::string>& args);
int RunProfileDecode(const std::vector<std::string>& args);
int RunProfileEncode(const std::vector<std::string>& args);
int RunProfileExpand(const std::vector<std::string>& args);

}  // namespace agent::cli
