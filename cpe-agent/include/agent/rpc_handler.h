#pragma once
// Answers the ACS's requests (the CPE methods of TR-069 Annex A) against the data model and the
// event queue. Every state change an answer reports is persisted before the answer is returned
// (the store and the queue write atomically), so an acknowledged request survives kill -9.
//
// Supported: GetRPCMethods, Get/SetParameterValues, GetParameterNames, Get/SetParameterAttributes,
// AddObject, DeleteObject, Reboot, FactoryReset, Download, ScheduleDownload, Upload,
// ScheduleInform, GetQueuedTransfers, GetAllQueuedTransfers, CancelTransfer. Anything else:
// 9000 Method not supported. Reboot and FactoryReset only record the request; the device acts at
// the end of the session. Download/ScheduleDownload/Upload are queued (status 1) and run by
// Device::Tick() when due.

#include <optional>
#include <string>
#include <vector>

#include "agent/clock.h"
#include "agent/data_model.h"
#include "agent/event_queue.h"
#include "cwmp/soap/messages.h"

namespace agent {

class RpcHandler {
 public:
  RpcHandler(DataModel& model, EventQueue& events, Clock& clock)
      : model_(model), events_(events), clock_(clock) {}

  // The response body, or a cwmp::soap::Fault.
  cwmp::soap::Body Handle(const cwmp::soap::Body& request);

  // The methods GetRPCMethodsResponse lists.
  static std::vector<std::string> SupportedMethods();

 private:
  cwmp::soap::Body Download(const cwmp::soap::Download& r);
  cwmp::soap::Body ScheduleDownload(const cwmp::soap::ScheduleDownload& r);
  cwmp::soap::Body Upload(const cwmp::soap::Upload& r);
  std::optional<cwmp::soap::Fault> Queue(QueuedTransferItem item);

  DataModel& model_;
  EventQueue& events_;
  Clock& clock_;
};

}  // namespace agent
