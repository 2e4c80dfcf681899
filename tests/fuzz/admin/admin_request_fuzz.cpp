// Fuzz target for the admin web server's request handling: the bytes of a connection go through
// HttpRequestReader (split at an input-chosen point, as TCP may deliver them) and every
// complete request through AdminRouter (targets, credentials, Basic/Digest, endpoints). Every
// outcome must be a well-formed status; nothing may crash or grow without bound.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "admin/admin_router.h"
#include "admin/http_request_reader.h"
#include "cwmp/prov/flat_profile.h"

namespace {

// The phone's side, reduced to what the router needs: the fuzzer checks the server, not the
// store (tests/unit/agent_admin covers the real one).
class FuzzActions final : public agent::AdminActions {
 public:
  agent::AdminSettings Settings() override {
    agent::AdminSettings s;
    s.admin_password = cwmp::Secret("admin");
    return s;
  }
  cwmp::Status Resync(std::optional<std::string>) override { return cwmp::Status::Ok(); }
  cwmp::Status Upgrade(std::string url) override {
    return url.empty() ? cwmp::InvalidArgument("empty") : cwmp::Status::Ok();
  }
  cwmp::Status Reboot() override { return cwmp::Status::Ok(); }
  cwmp::Status Restart() override { return cwmp::Status::Ok(); }
  std::string ExportProfile(bool) override { return "<flat-profile/>"; }
  cwmp::Result<agent::AdminApplyReport> ApplyProfile(std::string_view xml, bool) override {
    auto p = cwmp::prov::ParseFlatProfile(xml);
    if (!p.ok()) return p.status();
    return agent::AdminApplyReport{p->elements.size(), {}};
  }
  agent::AdminStatus Status() override { return {}; }
  cwmp::Status SetLineBusy(int line, bool) override {
    return line >= 1 && line <= 4 ? cwmp::Status::Ok() : cwmp::InvalidArgument("line");
  }
  std::vector<bool> LineStates() override { return std::vector<bool>(4, false); }
  bool LinesIdle() override { return true; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static FuzzActions actions;
  static agent::AdminServerOptions options;
  static unsigned counter = 0;
  static agent::internal::AdminRouter router(options, actions, [] {
    std::string hex = std::to_string(++counter);
    return std::string(32 - std::min<size_t>(32, hex.size()), '0') + hex;
  });
  static const agent::AdminSettings settings = actions.Settings();

  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t split = std::min<size_t>(data[0] * 4u, input.size());
  agent::internal::HttpRequestReader reader(8192, 65536);
  for (std::string_view part : {input.substr(0, split), input.substr(split)}) {
    reader.Append(part);
    for (int i = 0; i < 64; ++i) {
      auto step = reader.Next();
      using Kind = agent::internal::HttpRequestReader::Kind;
      if (step.kind == Kind::kNeedMore || step.kind == Kind::kExpectContinue) {
        if (step.kind == Kind::kNeedMore) break;
        continue;
      }
      if (step.kind == Kind::kError) {
        if (step.error_status < 400 || step.error_status > 505) std::abort();
        return 0;
      }
      if (step.request.body.size() > 65536) std::abort();
      auto response = router.Handle(step.request, settings, "fuzz");
      if (response.status < 200 || response.status > 505) std::abort();
      if (response.after) response.after();
    }
  }
  return 0;
}
