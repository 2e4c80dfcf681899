// Fuzz target for the STUN decoder and the binding state machine fed with hostile responses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agent/stun.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto message = agent::DecodeStunMessage(input);
  if (message.ok() && !agent::LooksLikeStun(input)) std::abort();
  (void)agent::VerifyStunIntegrity(input, cwmp::Secret("stunpw"));

  // Answer a fixed request with the input, with its transaction id patched in so that the
  // state machine reaches its response handling.
  agent::StunBindingOptions options;
  options.username = "phone-1";
  options.password = cwmp::Secret("stunpw");
  agent::StunBindingClient client(options, [] { return agent::StunTransactionId{1, 2, 3}; });
  agent::ClientClock::TimePoint t{};
  auto request = client.Poll(t);
  if (!request) std::abort();
  std::string reply(input);
  if (reply.size() >= 20) {
    for (size_t i = 0; i < 12; ++i) reply[8 + i] = (*request)[8 + i];
  }
  (void)client.OnDatagram(reply, t);
  (void)client.Poll(t);
  return 0;
}
