#pragma once
// The process side of the agent runtime, shared by every phone of a process (`cpe-agent run`
// hosts one, `cpe-agent fleet` thousands):
//
//   * a small pool of worker threads that run the phones' work;
//   * Strand: one phone's serialized context. Work posted to a strand runs on some worker, one
//     item at a time and in posting order, never two at once; so a phone's session, its
//     Device::Tick and every service attached to it never run concurrently;
//   * one reactor thread with a timer queue (work due at a wall-clock time is posted to its
//     strand) and ONE epoll set holding every phone's HTTP connection-request listening socket
//     and UDP (Annex G) socket. The reactor reads each connection-request with a deadline and
//     a size cap, answers it with the phone's ConnectionRequestAuthenticator and, after a 200,
//     calls the endpoint's on_trigger (which posts to the phone's strand). On a UDP socket it
//     checks Annex G requests itself and hands STUN datagrams to the phone (on_stun); the
//     phone's STUN binding sends through SendUdp, from the same socket.
//
// Nothing here creates a thread per phone. Start() raises RLIMIT_NOFILE to the hard limit so
// that ten thousand listening sockets fit.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/connection_request.h"
#include "agent/connection_request_udp.h"
#include "cwmp/base/status.h"

namespace agent {

class PhoneHost;

// A serialized execution context. Create with PhoneHost::MakeStrand(). Thread-safe.
class Strand : public std::enable_shared_from_this<Strand> {
 public:
  using Task = std::function<void()>;
  using TimePoint = std::chrono::system_clock::time_point;
  ~Strand();

  // Runs `task` on a worker after everything posted before it. Dropped once Close() began.
  void Post(Task task);
  // Posts `task` at (or shortly after) `when`. Dropped when the strand is closed by then.
  void PostAt(TimePoint when, Task task);
  // Stops accepting work, drops what is queued and waits until the running item (if any) has
  // returned. Must not be called from the strand itself.
  void Close();
  // True when called from a task running on this strand.
  bool RunningHere() const;

 private:
  friend class PhoneHost;
  struct State;
  explicit Strand(PhoneHost& host);
  void Drain();
  PhoneHost& host_;
  std::unique_ptr<State> state_;
};

// One phone's HTTP connection-request endpoint, served by the host's reactor. The
// authenticator is only ever used on the reactor thread.
struct ConnectionRequestEndpoint {
  ConnectionRequestOptions options;  // the authenticator keeps a reference to these
  std::unique_ptr<ConnectionRequestAuthenticator> authenticator;
  std::function<void()> on_trigger;  // after a 200 was sent; runs on the reactor thread
};

// Builds an endpoint whose authenticator checks options.username/password on `path`.
std::shared_ptr<ConnectionRequestEndpoint> MakeConnectionRequestEndpoint(
    ConnectionRequestOptions options, std::string path, std::function<void()> on_trigger);

// One phone's UDP connection-request endpoint (TR-069 Annex G), served by the reactor. The same
// socket carries the phone's STUN binding (TR-111: the NAT mapping must be the one of this
// port), so the reactor demultiplexes: a datagram with a STUN header (LooksLikeStun) goes to
// on_stun; anything else is parsed and checked by the validator (signature, ts, id).
struct UdpConnectionRequestEndpoint {
  UdpConnectionRequestValidator validator;
  std::function<void()> on_trigger;  // for each accepted request; runs on the reactor thread
  // For each STUN datagram (the STUN client checks the transaction id); reactor thread. Null:
  // STUN datagrams are dropped.
  std::function<void(std::string datagram)> on_stun;
};

struct PhoneHostOptions {
  size_t worker_threads = 1;
  // Connection-request connections: read deadline and size cap.
  std::chrono::milliseconds read_timeout{2000};
  size_t max_request_bytes = 8192;
};

class PhoneHost {
 public:
  static cwmp::Result<std::unique_ptr<PhoneHost>> Start(PhoneHostOptions options);
  ~PhoneHost();  // Stop()
  PhoneHost(const PhoneHost&) = delete;
  PhoneHost& operator=(const PhoneHost&) = delete;

  std::shared_ptr<Strand> MakeStrand();

  // Binds address:port (port 0: any free port), non-blocking, and serves it with `endpoint`.
  struct Listener {
    uint64_t id = 0;
    uint16_t port = 0;
  };
  cwmp::Result<Listener> Listen(const std::string& address, uint16_t port,
                                std::shared_ptr<ConnectionRequestEndpoint> endpoint);
  // New credentials for a listener (takes effect for the next request).
  void ReplaceEndpoint(uint64_t id, std::shared_ptr<ConnectionRequestEndpoint> endpoint);
  // A UDP socket on address:port for Annex G connection requests and the phone's STUN
  // binding (the binding's state machine runs on the phone's strand; see agent/phone.h).
  cwmp::Result<Listener> ListenUdp(const std::string& address, uint16_t port,
                                   std::shared_ptr<UdpConnectionRequestEndpoint> endpoint);
  void ReplaceUdpEndpoint(uint64_t id, std::shared_ptr<UdpConnectionRequestEndpoint> endpoint);
  // Sends one datagram from UDP socket `id` to ip:port (IPv4 literal), without blocking: a full
  // socket buffer drops it (STUN retransmits). kNotFound when the socket is closed.
  cwmp::Status SendUdp(uint64_t id, const std::string& ip, uint16_t port, std::string_view data);
  // Closes the socket (TCP or UDP); once this returns, the endpoint is never called again.
  void CloseListener(uint64_t id);

  // Joins the reactor and the workers. Close every strand first.
  void Stop();

  size_t listeners() const;
  // The RLIMIT_NOFILE soft limit after Start() raised it.
  static uint64_t OpenFileLimit();

 private:
  friend class Strand;
  struct Impl;
  explicit PhoneHost(PhoneHostOptions options);
  void Submit(std::shared_ptr<Strand> strand);
  void AddTimer(Strand::TimePoint when, std::weak_ptr<Strand> strand, Strand::Task task);
  std::unique_ptr<Impl> impl_;
};

}  // namespace agent
