#pragma once
// Which CWMP version first defines each body element (from cwmp-1-0/1-1/1-2.xsd), used to keep
// the writer from emitting an RPC that the negotiated version's schema does not have.

#include <array>
#include <string_view>

#include "cwmp/soap/codec.h"

namespace cwmp::soap {

struct MethodInfo {
  std::string_view name;
  CwmpVersion since;
};

inline constexpr std::array kMethods = {
    MethodInfo{"GetRPCMethods", CwmpVersion::k1_0},
    MethodInfo{"GetRPCMethodsResponse", CwmpVersion::k1_0},
    MethodInfo{"SetParameterValues", CwmpVersion::k1_0},
    MethodInfo{"SetParameterValuesResponse", CwmpVersion::k1_0},
    MethodInfo{"GetParameterValues", CwmpVersion::k1_0},
    MethodInfo{"GetParameterValuesResponse", CwmpVersion::k1_0},
    MethodInfo{"GetParameterNames", CwmpVersion::k1_0},
    MethodInfo{"GetParameterNamesResponse", CwmpVersion::k1_0},
    MethodInfo{"SetParameterAttributes", CwmpVersion::k1_0},
    MethodInfo{"SetParameterAttributesResponse", CwmpVersion::k1_0},
    MethodInfo{"GetParameterAttributes", CwmpVersion::k1_0},
    MethodInfo{"GetParameterAttributesResponse", CwmpVersion::k1_0},
    MethodInfo{"AddObject", CwmpVersion::k1_0},
    MethodInfo{"AddObjectResponse", CwmpVersion::k1_0},
    MethodInfo{"DeleteObject", CwmpVersion::k1_0},
    MethodInfo{"DeleteObjectResponse", CwmpVersion::k1_0},
    MethodInfo{"Reboot", CwmpVersion::k1_0},
    MethodInfo{"RebootResponse", CwmpVersion::k1_0},
    MethodInfo{"Download", CwmpVersion::k1_0},
    MethodInfo{"DownloadResponse", CwmpVersion::k1_0},
    MethodInfo{"Upload", CwmpVersion::k1_0},
    MethodInfo{"UploadResponse", CwmpVersion::k1_0},
    MethodInfo{"FactoryReset", CwmpVersion::k1_0},
    MethodInfo{"FactoryResetResponse", CwmpVersion::k1_0},
    MethodInfo{"ScheduleInform", CwmpVersion::k1_0},
    MethodInfo{"ScheduleInformResponse", CwmpVersion::k1_0},
    MethodInfo{"GetQueuedTransfers", CwmpVersion::k1_0},
    MethodInfo{"GetQueuedTransfersResponse", CwmpVersion::k1_0},
    MethodInfo{"Inform", CwmpVersion::k1_0},
    MethodInfo{"InformResponse", CwmpVersion::k1_0},
    MethodInfo{"TransferComplete", CwmpVersion::k1_0},
    MethodInfo{"TransferCompleteResponse", CwmpVersion::k1_0},
    MethodInfo{"Kicked", CwmpVersion::k1_0},
    MethodInfo{"KickedResponse", CwmpVersion::k1_0},
    MethodInfo{"RequestDownload", CwmpVersion::k1_0},
    MethodInfo{"RequestDownloadResponse", CwmpVersion::k1_0},
    MethodInfo{"Fault", CwmpVersion::k1_0},
    MethodInfo{"GetAllQueuedTransfers", CwmpVersion::k1_1},
    MethodInfo{"GetAllQueuedTransfersResponse", CwmpVersion::k1_1},
    MethodInfo{"AutonomousTransferComplete", CwmpVersion::k1_1},
    MethodInfo{"AutonomousTransferCompleteResponse", CwmpVersion::k1_1},
    MethodInfo{"ScheduleDownload", CwmpVersion::k1_2},
    MethodInfo{"ScheduleDownloadResponse", CwmpVersion::k1_2},
    MethodInfo{"CancelTransfer", CwmpVersion::k1_2},
    MethodInfo{"CancelTransferResponse", CwmpVersion::k1_2},
    MethodInfo{"ChangeDUState", CwmpVersion::k1_2},
    MethodInfo{"ChangeDUStateResponse", CwmpVersion::k1_2},
    MethodInfo{"DUStateChangeComplete", CwmpVersion::k1_2},
    MethodInfo{"DUStateChangeCompleteResponse", CwmpVersion::k1_2},
    MethodInfo{"AutonomousDUStateChangeComplete", CwmpVersion::k1_2},
    MethodInfo{"AutonomousDUStateChangeCompleteResponse", CwmpVersion::k1_2},
};

inline const MethodInfo* FindMethod(std::string_view name) {
  for (const MethodInfo& m : kMethods) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

}  // namespace cwmp::soap
