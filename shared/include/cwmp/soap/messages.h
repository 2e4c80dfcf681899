#pragma once
// CWMP (TR-069) messages as plain C++ values: every RPC and response of CWMP 1.0-1.4 in both
// directions, the SOAP Fault with its cwmp:Fault detail, and the envelope headers.
// Field names follow the official schemas (cwmp-1-*.xsd); the codec (codec.h) turns them into
// XML and back. No gSOAP type appears here.
//
// dateTime fields are kept as the text that travels (xs:dateTime, e.g. "2026-11-26T11:00:00Z");
// ParseDateTime()/FormatDateTime() in codec.h convert. "0001-01-01T00:00:00Z" is the unknown time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cwmp/base/secret.h"

namespace cwmp::soap {

// The unknown time of CWMP ("no value").
inline constexpr std::string_view kUnknownTime = "0001-01-01T00:00:00Z";

// ---- building blocks -------------------------------------------------------------------------

// ParameterValueStruct. `type` is the xsi:type as "xsd:<name>" (xsd:string, xsd:int,
// xsd:unsignedInt, xsd:long, xsd:unsignedLong, xsd:boolean, xsd:dateTime, xsd:base64Binary,
// xsd:hexBinary). Decoding leaves it empty when the sender gave no xsi:type; encoding requires it.
struct ParameterValue {
  std::string name;
  std::string value;
  std::string type = "xsd:string";
  bool operator==(const ParameterValue&) const = default;
};

struct DeviceId {
  std::string manufacturer;   // <= 64
  std::string oui;            // 6 upper-case hex digits
  std::string product_class;  // <= 64
  std::string serial_number;  // <= 64
  bool operator==(const DeviceId&) const = default;
};

struct EventStruct {
  std::string event_code;   // "0 BOOTSTRAP", "M Reboot", ... (<= 64)
  std::string command_key;  // <= 32
  bool operator==(const EventStruct&) const = default;
};

struct ParameterInfo {
  std::string name;
  bool writable = false;
  bool operator==(const ParameterInfo&) const = default;
};

struct SetParameterAttributesStruct {
  std::string name;
  bool notification_change = false;
  int notification = 0;  // 0..6 (3..6 need CWMP 1.4 lightweight notification)
  bool access_list_change = false;
  std::vector<std::string> access_list;  // only "Subscriber" is defined
  bool operator==(const SetParameterAttributesStruct&) const = default;
};

struct ParameterAttributeStruct {
  std::string name;
  int notification = 0;
  std::vector<std::string> access_list;
  bool operator==(const ParameterAttributeStruct&) const = default;
};

struct TimeWindow {
  uint32_t window_start = 0;  // seconds from the call
  uint32_t window_end = 0;
  std::string window_mode;  // "1 At Any Time", "2 Immediately", "3 When Idle", ...
  std::string user_message;
  int32_t max_retries = 0;
  bool operator==(const TimeWindow&) const = default;
};

struct QueuedTransfer {
  std::string command_key;
  int state = 1;  // 1 not yet started, 2 in progress, 3 completed
  bool operator==(const QueuedTransfer&) const = default;
};

struct AllQueuedTransfer {
  std::string command_key;
  int state = 1;
  bool is_download = true;
  std::string file_type;
  uint32_t file_size = 0;
  std::string target_file_name;
  bool operator==(const AllQueuedTransfer&) const = default;
};

// TransferCompleteFaultStruct: code 0 means success.
struct TransferFault {
  uint32_t fault_code = 0;
  std::string fault_string;
  bool operator==(const TransferFault&) const = default;
};

struct InstallOp {
  std::string url;
  std::optional<std::string> uuid;
  std::optional<std::string> username;
  std::optional<Secret> password;
  std::optional<std::string> execution_env_ref;
  bool operator==(const InstallOp&) const = default;
};
struct UpdateOp {
  std::optional<std::string> uuid;
  std::optional<std::string> version;
  std::optional<std::string> url;
  std::optional<std::string> username;
  std::optional<Secret> password;
  bool operator==(const UpdateOp&) const = default;
};
struct UninstallOp {
  std::string uuid;
  std::optional<std::string> version;
  std::optional<std::string> execution_env_ref;
  bool operator==(const UninstallOp&) const = default;
};
using DuOperation = std::variant<InstallOp, UpdateOp, UninstallOp>;

struct DeploymentUnitFault {
  uint32_t fault_code = 0;
  std::optional<std::string> fault_string;
  bool operator==(const DeploymentUnitFault&) const = default;
};

struct OpResult {
  std::string uuid;
  std::string deployment_unit_ref;
  std::string version;
  std::string current_state;  // Installed, Uninstalled, Failed
  bool resolved = false;
  std::string execution_unit_ref_list;
  std::string start_time{kUnknownTime};
  std::string complete_time{kUnknownTime};
  DeploymentUnitFault fault;
  bool operator==(const OpResult&) const = default;
};

struct AutonOpResult {
  OpResult result;
  std::string operation_performed;  // Install, Update, Uninstall
  bool operator==(const AutonOpResult&) const = default;
};

struct ArgStruct {
  std::string name;   // <= 64
  std::string value;  // <= 256
  bool operator==(const ArgStruct&) const = default;
};

// ---- CPE methods (the ACS calls them) --------------------------------------------------------
#define CWMP_SOAP_NAME(n) static constexpr std::string_view kName = n

struct GetRPCMethods {
  CWMP_SOAP_NAME("GetRPCMethods");
  bool operator==(const GetRPCMethods&) const = default;
};
struct GetRPCMethodsResponse {
  CWMP_SOAP_NAME("GetRPCMethodsResponse");
  std::vector<std::string> methods;
  bool operator==(const GetRPCMethodsResponse&) const = default;
};

struct SetParameterValues {
  CWMP_SOAP_NAME("SetParameterValues");
  std::vector<ParameterValue> parameters;
  std::string parameter_key;
  bool operator==(const SetParameterValues&) const = default;
};
struct SetParameterValuesResponse {
  CWMP_SOAP_NAME("SetParameterValuesResponse");
  int status = 0;  // 0 applied, 1 committed but not yet applied
  bool operator==(const SetParameterValuesResponse&) const = default;
};

struct GetParameterValues {
  CWMP_SOAP_NAME("GetParameterValues");
  std::vector<std::string> names;
  bool operator==(const GetParameterValues&) const = default;
};
struct GetParameterValuesResponse {
  CWMP_SOAP_NAME("GetParameterValuesResponse");
  std::vector<ParameterValue> parameters;
  bool operator==(const GetParameterValuesResponse&) const = default;
};

struct GetParameterNames {
  CWMP_SOAP_NAME("GetParameterNames");
  std::string parameter_path;
  bool next_level = false;
  bool operator==(const GetParameterNames&) const = default;
};
struct GetParameterNamesResponse {
  CWMP_SOAP_NAME("GetParameterNamesResponse");
  std::vector<ParameterInfo> parameters;
  bool operator==(const GetParameterNamesResponse&) const = default;
};

struct SetParameterAttributes {
  CWMP_SOAP_NAME("SetParameterAttributes");
  std::vector<SetParameterAttributesStruct> parameters;
  bool operator==(const SetParameterAttributes&) const = default;
};
struct SetParameterAttributesResponse {
  CWMP_SOAP_NAME("SetParameterAttributesResponse");
  bool operator==(const SetParameterAttributesResponse&) const = default;
};

struct GetParameterAttributes {
  CWMP_SOAP_NAME("GetParameterAttributes");
  std::vector<std::string> names;
  bool operator==(const GetParameterAttributes&) const = default;
};
struct GetParameterAttributesResponse {
  CWMP_SOAP_NAME("GetParameterAttributesResponse");
  std::vector<ParameterAttributeStruct> parameters;
  bool operator==(const GetParameterAttributesResponse&) const = default;
};

struct AddObject {
  CWMP_SOAP_NAME("AddObject");
  std::string object_name;  // ends in "."
  std::string parameter_key;
  bool operator==(const AddObject&) const = default;
};
struct AddObjectResponse {
  CWMP_SOAP_NAME("AddObjectResponse");
  uint32_t instance_number = 1;
  int status = 0;
  bool operator==(const AddObjectResponse&) const = default;
};

struct DeleteObject {
  CWMP_SOAP_NAME("DeleteObject");
  std::string object_name;
  std::string parameter_key;
  bool operator==(const DeleteObject&) const = default;
};
struct DeleteObjectResponse {
  CWMP_SOAP_NAME("DeleteObjectResponse");
  int status = 0;
  bool operator==(const DeleteObjectResponse&) const = default;
};

struct Reboot {
  CWMP_SOAP_NAME("Reboot");
  std::string command_key;
  bool operator==(const Reboot&) const = default;
};
struct RebootResponse {
  CWMP_SOAP_NAME("RebootResponse");
  bool operator==(const RebootResponse&) const = default;
};

struct Download {
  CWMP_SOAP_NAME("Download");
  std::string command_key;
  std::string file_type;  // "1 Firmware Upgrade Image", ...
  std::string url;
  std::string username;
  Secret password;
  uint32_t file_size = 0;
  std::string target_file_name;
  uint32_t delay_seconds = 0;
  std::string success_url;
  std::string failure_url;
  bool operator==(const Download&) const = default;
};
struct DownloadResponse {
  CWMP_SOAP_NAME("DownloadResponse");
  int status = 0;
  std::string start_time{kUnknownTime};
  std::string complete_time{kUnknownTime};
  bool operator==(const DownloadResponse&) const = default;
};

struct Upload {
  CWMP_SOAP_NAME("Upload");
  std::string command_key;
  std::string file_type;  // "1 Vendor Configuration File", ...
  std::string url;
  std::string username;
  Secret password;
  uint32_t delay_seconds = 0;
  bool operator==(const Upload&) const = default;
};
struct UploadResponse {
  CWMP_SOAP_NAME("UploadResponse");
  int status = 0;
  std::string start_time{kUnknownTime};
  std::string complete_time{kUnknownTime};
  bool operator==(const UploadResponse&) const = default;
};

struct FactoryReset {
  CWMP_SOAP_NAME("FactoryReset");
  bool operator==(const FactoryReset&) const = default;
};
struct FactoryResetResponse {
  CWMP_SOAP_NAME("FactoryResetResponse");
  bool operator==(const FactoryResetResponse&) const = default;
};

struct ScheduleInform {
  CWMP_SOAP_NAME("ScheduleInform");
  uint32_t delay_seconds = 0;
  std::string command_key;
  bool operator==(const ScheduleInform&) const = default;
};
struct ScheduleInformResponse {
  CWMP_SOAP_NAME("ScheduleInformResponse");
  bool operator==(const ScheduleInformResponse&) const = default;
};

struct ScheduleDownload {
  CWMP_SOAP_NAME("ScheduleDownload");
  std::string command_key;
  std::string file_type;
  std::string url;
  std::string username;
  Secret password;
  uint32_t file_size = 0;
  std::string target_file_name;
  std::vector<TimeWindow> time_windows;  // 1 or 2
  bool operator==(const ScheduleDownload&) const = default;
};
struct ScheduleDownloadResponse {
  CWMP_SOAP_NAME("ScheduleDownloadResponse");
  bool operator==(const ScheduleDownloadResponse&) const = default;
};

struct GetQueuedTransfers {
  CWMP_SOAP_NAME("GetQueuedTransfers");
  bool operator==(const GetQueuedTransfers&) const = default;
};
struct GetQueuedTransfersResponse {
  CWMP_SOAP_NAME("GetQueuedTransfersResponse");
  std::vector<QueuedTransfer> transfers;  // <= 16
  bool operator==(const GetQueuedTransfersResponse&) const = default;
};

struct GetAllQueuedTransfers {
  CWMP_SOAP_NAME("GetAllQueuedTransfers");
  bool operator==(const GetAllQueuedTransfers&) const = default;
};
struct GetAllQueuedTransfersResponse {
  CWMP_SOAP_NAME("GetAllQueuedTransfersResponse");
  std::vector<AllQueuedTransfer> transfers;  // <= 16
  bool operator==(const GetAllQueuedTransfersResponse&) const = default;
};

struct CancelTransfer {
  CWMP_SOAP_NAME("CancelTransfer");
  std::string command_key;
  bool operator==(const CancelTransfer&) const = default;
};
struct CancelTransferResponse {
  CWMP_SOAP_NAME("CancelTransferResponse");
  bool operator==(const CancelTransferResponse&) const = default;
};

struct ChangeDUState {
  CWMP_SOAP_NAME("ChangeDUState");
  std::vector<DuOperation> operations;  // at least one
  std::optional<std::string> command_key;
  bool operator==(const ChangeDUState&) const = default;
};
struct ChangeDUStateResponse {
  CWMP_SOAP_NAME("ChangeDUStateResponse");
  bool operator==(const ChangeDUStateResponse&) const = default;
};

// ---- ACS methods (the CPE calls them) --------------------------------------------------------

struct Inform {
  CWMP_SOAP_NAME("Inform");
  DeviceId device_id;
  std::vector<EventStruct> events;  // <= 64
  uint32_t max_envelopes = 1;
  std::string current_time{kUnknownTime};
  uint32_t retry_count = 0;
  std::vector<ParameterValue> parameters;
  bool operator==(const Inform&) const = default;
};
struct InformResponse {
  CWMP_SOAP_NAME("InformResponse");
  uint32_t max_envelopes = 1;
  bool operator==(const InformResponse&) const = default;
};

struct TransferComplete {
  CWMP_SOAP_NAME("TransferComplete");
  std::string command_key;
  TransferFault fault;
  std::string start_time{kUnknownTime};
  std::string complete_time{kUnknownTime};
  bool operator==(const TransferComplete&) const = default;
};
struct TransferCompleteResponse {
  CWMP_SOAP_NAME("TransferCompleteResponse");
  bool operator==(const TransferCompleteResponse&) const = default;
};

struct AutonomousTransferComplete {
  CWMP_SOAP_NAME("AutonomousTransferComplete");
  std::string announce_url;
  std::string transfer_url;
  bool is_download = true;
  std::string file_type;
  uint32_t file_size = 0;
  std::string target_file_name;
  TransferFault fault;
  std::string start_time{kUnknownTime};
  std::string complete_time{kUnknownTime};
  bool operator==(const AutonomousTransferComplete&) const = default;
};
struct AutonomousTransferCompleteResponse {
  CWMP_SOAP_NAME("AutonomousTransferCompleteResponse");
  bool operator==(const AutonomousTransferCompleteResponse&) const = default;
};

struct Kicked {
  CWMP_SOAP_NAME("Kicked");
  std::string command;  // <= 32
  std::string referer;  // <= 64
  std::string arg;      // <= 256
  std::string next;     // <= 1024
  bool operator==(const Kicked&) const = default;
};
struct KickedResponse {
  CWMP_SOAP_NAME("KickedResponse");
  std::string next_url;
  bool operator==(const KickedResponse&) const = default;
};

struct RequestDownload {
  CWMP_SOAP_NAME("RequestDownload");
  std::string file_type;
  std::vector<ArgStruct> file_type_args;  // <= 16
  bool operator==(const RequestDownload&) const = default;
};
struct RequestDownloadResponse {
  CWMP_SOAP_NAME("RequestDownloadResponse");
  bool operator==(const RequestDownloadResponse&) const = default;
};

struct DUStateChangeComplete {
  CWMP_SOAP_NAME("DUStateChangeComplete");
  std::vector<OpResult> results;  // at least one
  std::optional<std::string> command_key;
  bool operator==(const DUStateChangeComplete&) const = default;
};
struct DUStateChangeCompleteResponse {
  CWMP_SOAP_NAME("DUStateChangeCompleteResponse");
  bool operator==(const DUStateChangeCompleteResponse&) const = default;
};

struct AutonomousDUStateChangeComplete {
  CWMP_SOAP_NAME("AutonomousDUStateChangeComplete");
  std::vector<AutonOpResult> results;  // at least one
  bool operator==(const AutonomousDUStateChangeComplete&) const = default;
};
struct AutonomousDUStateChangeCompleteResponse {
  CWMP_SOAP_NAME("AutonomousDUStateChangeCompleteResponse");
  bool operator==(const AutonomousDUStateChangeCompleteResponse&) const = default;
};

// ---- faults ----------------------------------------------------------------------------------

struct SetParameterValuesFault {
  std::string parameter_name;
  uint32_t fault_code = 9007;
  std::string fault_string;  // optional in the schema; empty = absent
  bool operator==(const SetParameterValuesFault&) const = default;
};

// A SOAP Fault. A CWMP fault carries `code` (8000-8899 from the ACS, 9000-9899 from the CPE)
// in detail/cwmp:Fault; `code == 0` is a plain SOAP fault without CWMP detail (for example a
// MustUnderstand fault). MakeFault() (codec.h) fills soap_faultcode from the code.
struct Fault {
  CWMP_SOAP_NAME("Fault");
  std::string soap_faultcode = "Client";  // Client, Server, MustUnderstand, VersionMismatch
  std::string soap_faultstring = "CWMP fault";
  uint32_t code = 0;
  std::string string;  // cwmp:FaultString; empty = absent
  std::vector<SetParameterValuesFault> set_parameter_values_faults;
  bool operator==(const Fault&) const = default;
};

// A body element the codec does not know (SetVouchers, GetOptions, a vendor "X_..." method, or a
// method from a later CWMP version). Decode() yields it so that the receiver can answer with
// fault 9000/8000 "Method not supported" under the request's cwmp:ID; Encode() refuses it.
struct UnknownMethod {
  CWMP_SOAP_NAME("UnknownMethod");
  std::string name;  // local name of the body element, e.g. "SetVouchers"
  bool operator==(const UnknownMethod&) const = default;
};

#undef CWMP_SOAP_NAME

using Body = std::variant<
    // CPE methods and their responses
    GetRPCMethods, GetRPCMethodsResponse, SetParameterValues, SetParameterValuesResponse,
    GetParameterValues, GetParameterValuesResponse, GetParameterNames, GetParameterNamesResponse,
    SetParameterAttributes, SetParameterAttributesResponse, GetParameterAttributes,
    GetParameterAttributesResponse, AddObject, AddObjectResponse, DeleteObject,
    DeleteObjectResponse, Reboot, RebootResponse, Download, DownloadResponse, Upload,
    UploadResponse, FactoryReset, FactoryResetResponse, ScheduleInform, ScheduleInformResponse,
    ScheduleDownload, ScheduleDownloadResponse, GetQueuedTransfers, GetQueuedTransfersResponse,
    GetAllQueuedTransfers, GetAllQueuedTransfersResponse, CancelTransfer, CancelTransferResponse,
    ChangeDUState, ChangeDUStateResponse,
    // ACS methods and their responses
    Inform, InformResponse, TransferComplete, TransferCompleteResponse, AutonomousTransferComplete,
    AutonomousTransferCompleteResponse, Kicked, KickedResponse, RequestDownload,
    RequestDownloadResponse, DUStateChangeComplete, DUStateChangeCompleteResponse,
    AutonomousDUStateChangeComplete, AutonomousDUStateChangeCompleteResponse,
    // SOAP Fault (either direction), and what Decode() could not map
    Fault, UnknownMethod>;

// The element name of the body ("Inform", "GetParameterValuesResponse", "Fault").
std::string_view MethodName(const Body& body);

// One SOAP envelope. Optional headers are absent when empty.
struct Envelope {
  std::string id;                                      // cwmp:ID; empty = no header
  std::optional<bool> hold_requests;                   // cwmp:HoldRequests (ACS -> CPE)
  std::optional<uint32_t> session_timeout;             // cwmp:SessionTimeout (1.3+, ACS -> CPE)
  std::optional<std::string> supported_cwmp_versions;  // cwmp:SupportedCWMPVersions (1.4, CPE)
  std::optional<std::string> use_cwmp_version;         // cwmp:UseCWMPVersion (1.4, ACS)
  bool no_more_requests = false;                       // deprecated cwmp:NoMoreRequests
  Body body;
  bool operator==(const Envelope&) const = default;
};

}  // namespace cwmp::soap
