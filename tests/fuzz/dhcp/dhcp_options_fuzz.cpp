// Fuzzes every DHCP decoder. Input: one selector byte, then the payload.
//   selector % 8: 0 option 43, 1 option 125, 2 option 150, 3 server text (66/159/160),
//   4 a textual form (selector / 8 picks it) then option 43, 5 DHCP_Option_To_Use,
//   6 dhcp.json, 7 the bootstrap ack.
// Invariants checked: whatever option 43/125 decodes re-encodes (when it fits in 255 bytes) to
// bytes that decode to the same value; the text forms round-trip; state files that parse
// serialise to text that parses to the same state.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/dhcp/options.h"
#include "cwmp/dhcp/state.h"

namespace {

using namespace cwmp::dhcp;

void Check(bool ok) {
  if (!ok) std::abort();
}

void Option43(std::span<const uint8_t> in) {
  auto r = ParseOption43(in);
  if (!r.ok()) return;
  Check(r->url.has_value() || r->provisioning_code || r->retry_min_wait || r->retry_multiplier);
  if (!r->url) return;
  auto bytes = EncodeOption43(*r);
  if (!bytes.ok()) {
    Check(bytes.status().code() == cwmp::StatusCode::kLimitExceeded);
    return;
  }
  auto back = ParseOption43(*bytes);
  Check(back.ok());
  AcsInfo want = *r;
  want.legacy_bare_url = false;
  Check(*back == want);
  DhcpLease lease;
  lease.option43 = *r;
  auto server = SelectProvisioningServer(lease, {43});
  Check(server.has_value() && server->url == *r->url);
}

void Option125(std::span<const uint8_t> in) {
  auto blocks = ParseVendorIdentifyingOption(in);
  if (blocks.ok()) {
    size_t total = 0;
    for (const auto& b : *blocks) total += b.data.size();
    Check(total <= in.size());
  }
  auto r = ParseOption125(in);
  if (!r.ok()) return;
  auto bytes = EncodeOption125(*r);
  if (!bytes.ok()) return;  // several fields may not fit one 255-byte block
  auto back = ParseOption125(*bytes);
  Check(back.ok() && *back == *r);
}

void TextForms(uint8_t selector, std::string_view text) {
  static constexpr TextForm kForms[] = {TextForm::kAuto,    TextForm::kHex,    TextForm::kColonHex,
                                        TextForm::kEscaped, TextForm::kIpList, TextForm::kLiteral};
  const TextForm form = kForms[(selector / 8) % 6];
  auto bytes = DecodeOptionText(text, form, "fuzz");
  if (!bytes.ok()) return;
  Check(bytes->size() <= kMaxOptionBytes);
  auto again = DecodeOptionText(FormatColonHex(*bytes), TextForm::kAuto, "fuzz");
  if (bytes->size() >= 1 && FormatColonHex(*bytes).find(':') != std::string::npos) {
    Check(again.ok() && *again == *bytes);
  }
  Option43(*bytes);
}

void State(std::string_view text) {
  auto s = ParseState(text);
  if (!s.ok()) return;
  auto back = ParseState(SerializeState(*s));
  Check(back.ok() && *back == *s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > 2 * kMaxOptionBytes) return 0;
  const uint8_t selector = data[0];
  const std::span<const uint8_t> in(data + 1, size - 1);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (selector % 8) {
    case 0:
      Option43(in);
      break;
    case 1:
      Option125(in);
      break;
    case 2: {
      auto r = ParseOption150(in);
      if (r.ok()) Check(r->size() * 4 == in.size());
      break;
    }
    case 3: {
      auto r = ParseServerText(in, "option 66");
      if (r.ok()) {
        DhcpLease lease;
        lease.option66 = *r;
        Check(SelectProvisioningServer(lease, {66}).has_value());
      }
      break;
    }
    case 4:
      TextForms(selector, text);
      break;
    case 5: {
      auto r = ParseOptionOrder(text);
      if (r.ok()) Check(r->size() <= 32);
      break;
    }
    case 6:
      State(text);
      break;
    case 7:
      (void)ParseBootstrapAck(text);
      break;
  }
  return 0;
}
