#pragma once
// The seam between the CWMP client (transport: HTTP(S), auth, cookies, retries, the session's
// message loop) and the device (parameters, events, RPC handlers, transfers). The client drives
// one session at a time and asks the device, through this interface, what to say and how to
// answer. Calls come from the session's thread only.
//
// A session (TR-069 §3.7): Inform → InformResponse; then the CPE's own requests
// (TransferComplete, AutonomousTransferComplete, GetRPCMethods, Kicked, RequestDownload, ...);
// then an empty POST, after which the ACS sends requests that the device answers, until the
// ACS answers 204 (or an empty body).

#include <cstdint>
#include <optional>

#include "cwmp/soap/messages.h"

namespace agent {

class SessionDelegate {
 public:
  virtual ~SessionDelegate() = default;

  // The Inform that opens a session: DeviceId, pending events (with CommandKeys), the current
  // time, retry_count (TR-069 §3.2.1.1: sessions failed in a row), forced and changed parameters.
  virtual cwmp::soap::Inform BuildInform(uint32_t retry_count) = 0;

  // The ACS answered the Inform: events that were delivered may be dropped (those that wait for
  // a later RPC, such as "M Download" until its TransferComplete, stay as the rules require).
  virtual void OnInformAccepted(const cwmp::soap::Inform& sent) = 0;

  // The next CPE→ACS request to send before the empty POST, or nullopt when there is none.
  // Called again after each acknowledged request. HoldRequests from the ACS defers these.
  virtual std::optional<cwmp::soap::Body> NextCpeRequest() = 0;

  // The ACS acknowledged `request` with `response` (e.g. TransferCompleteResponse): the device
  // may now forget it. A Fault response leaves it pending for the next session.
  virtual void OnCpeRequestAnswered(const cwmp::soap::Body& request,
                                    const cwmp::soap::Body& response) = 0;

  // Answers one ACS→CPE request: its response body, or a cwmp::soap::Fault.
  virtual cwmp::soap::Body HandleAcsRequest(const cwmp::soap::Body& request) = 0;

  // The session is over. success=false: it failed (transport error, fault, timeout) and the
  // client will retry with a back-off. Actions that must wait for the end of a successful
  // session (Reboot, FactoryReset, scheduled downloads) start from here.
  virtual void OnSessionEnd(bool success) = 0;
};

}  // namespace agent
