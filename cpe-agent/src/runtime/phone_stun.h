#pragma once
// One phone's TR-069 Annex G / TR-111 STUN binding in the runtime. Private to the runtime.
//
// The state machine is agent::StunBindingClient (agent/stun.h); this class feeds it from the
// phone's strand: Binding Requests leave through the phone's UDP connection-request socket
// (PhoneHost::SendUdp, so the NAT mapping learnt is the one of that socket), wake-ups are
// strand timers (the host's timer queue), and STUN answers come back from the reactor's
// demultiplexer (UdpConnectionRequestEndpoint::on_stun). No thread, no socket of its own.
// Not thread-safe: every call on the phone's strand.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/stun.h"
#include "cwmp/base/status.h"

namespace agent {

class ParameterStore;

// The Device.ManagementServer.STUN* parameters (flat names TR-069_STUN_*, the agent-local
// catalog in parameter_store.cpp).
struct StunSettings {
  bool enable = false;
  std::string server_address;  // host name or IPv4; empty: the host of the ACS URL
  uint16_t server_port = 3478;
  std::string username;
  std::string password;
  uint32_t min_keepalive_s = 30;
  int64_t max_keepalive_s = -1;  // -1: no maximum
  bool operator==(const StunSettings&) const = default;
  static StunSettings From(const ParameterStore& store);
  // The keep-alive period: 30 s within [min, max].
  std::chrono::milliseconds KeepAlive() const;
};

class PhoneStun {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Hooks {
    // Sends one Binding Request to the server from the phone's UDP connection-request socket.
    std::function<void(const StunAddress& server, std::string_view datagram)> send;
    // Calls OnWake(generation, when) on the strand at `when`.
    std::function<void(uint64_t generation, TimePoint when)> wake_at;
  };
  explicit PhoneStun(Hooks hooks);

  // Starts, restarts (another server, credentials or period) or stops the binding. A restart
  // forgets the mapping, so the next binding carries BINDING-CHANGE. `acs_url` gives the
  // server when STUNServerAddress is empty. An unresolvable server: the error, and the binding
  // stays off. Host names are resolved here (getaddrinfo, on the strand).
  cwmp::Status Configure(const StunSettings& settings, const std::string& acs_url);
  void Stop();

  // A strand timer set through hooks.wake_at fired.
  void OnWake(uint64_t generation, TimePoint when);
  // A STUN datagram arrived on the socket. True when the public mapping changed.
  bool OnDatagram(std::string_view datagram);

  bool running() const { return client_ != nullptr; }
  // The public address learnt (nullopt while unknown or off).
  std::optional<StunAddress> mapped() const;
  // The mapping differs from the socket's own address (TR-181 NATDetected).
  bool NatDetected(uint16_t local_port) const;
  const StunAddress& server() const { return server_; }
  uint64_t requests_sent() const { return client_ ? client_->transmissions() : 0; }

 private:
  void SendDue(TimePoint now);
  void Arm(TimePoint when);

  Hooks hooks_;
  StunSettings settings_;
  std::string acs_url_;
  StunAddress server_;
  std::string local_ip_;
  std::unique_ptr<StunBindingClient> client_;
  uint64_t generation_ = 0;  // bumped by every (re)configuration: older timers do nothing
  std::optional<TimePoint> armed_;
};

}  // namespace agent
