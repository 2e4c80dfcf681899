#include "samples.h"

namespace cwmp::soap::testing {
namespace {

constexpr const char* kUuid = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";

OpResult SampleOpResult() {
  OpResult r;
  r.uuid = kUuid;
  r.deployment_unit_ref = "Device.SoftwareModules.DeploymentUnit.1";
  r.version = "1.2.3";
  r.current_state = "Installed";
  r.resolved = true;
  r.execution_unit_ref_list = "Device.SoftwareModules.ExecutionUnit.1";
  r.start_time = "2026-11-26T10:00:00Z";
  r.complete_time = "2026-11-26T10:00:05Z";
  r.fault = {0, std::nullopt};
  return r;
}

Envelope With(std::string id, Body body) {
  Envelope e;
  e.id = std::move(id);
  e.body = std::move(body);
  return e;
}

}  // namespace

std::vector<Sample> AllSamples() {
  std::vector<Sample> s;
  auto add = [&](std::string name, Body body) {
    s.push_back({std::move(name), With("id-" + std::to_string(s.size()), std::move(body))});
  };
  add("GetRPCMethods", GetRPCMethods{});
  add("GetRPCMethodsResponse",
      GetRPCMethodsResponse{.methods = {"GetRPCMethods", "SetParameterValues", "Download"}});
  add("SetParameterValues",
      SetParameterValues{
          .parameters = {{"Device.ManagementServer.PeriodicInformInterval", "300",
                          "xsd:unsignedInt"},
                         {"Device.X_CISCO_Phone.Display_Name", "Reception & <Lobby>", "xsd:string"},
                         {"Device.ManagementServer.PeriodicInformEnable", "true", "xsd:boolean"}},
          .parameter_key = "pk-17"});
  add("SetParameterValuesResponse", SetParameterValuesResponse{.status = 1});
  add("GetParameterValues",
      GetParameterValues{.names = {"Device.DeviceInfo.", "Device.ManagementServer.URL"}});
  add("GetParameterValuesResponse",
      GetParameterValuesResponse{
          .parameters = {{"Device.DeviceInfo.SoftwareVersion", "sip68xx.12-0-1", "xsd:string"},
                         {"Device.DeviceInfo.UpTime", "86400", "xsd:unsignedInt"},
                         {"Device.Time.CurrentLocalTime", "2026-11-26T11:00:00Z", "xsd:dateTime"},
                         {"Device.X_Test.Offset", "-5", "xsd:int"},
                         {"Device.X_Test.Bytes", "12345678901", "xsd:unsignedLong"},
                         {"Device.X_Test.Delta", "-12345678901", "xsd:long"},
                         {"Device.X_Test.Blob", "aGVsbG8=", "xsd:base64Binary"},
                         {"Device.X_Test.Hex", "0aff", "xsd:hexBinary"}}});
  add("GetParameterNames",
      GetParameterNames{.parameter_path = "Device.Services.", .next_level = true});
  add("GetParameterNamesResponse",
      GetParameterNamesResponse{.parameters = {{"Device.Services.VoiceService.", false},
                                               {"Device.ManagementServer.URL", true}}});
  add("SetParameterAttributes",
      SetParameterAttributes{
          .parameters = {{"Device.DeviceInfo.SoftwareVersion", true, 2, true, {"Subscriber"}},
                         {"Device.ManagementServer.URL", true, 1, false, {}}}});
  add("SetParameterAttributesResponse", SetParameterAttributesResponse{});
  add("GetParameterAttributes", GetParameterAttributes{.names = {"Device.DeviceInfo."}});
  add("GetParameterAttributesResponse",
      GetParameterAttributesResponse{
          .parameters = {{"Device.DeviceInfo.SoftwareVersion", 2, {"Subscriber"}},
                         {"Device.DeviceInfo.UpTime", 0, {}}}});
  add("AddObject",
      AddObject{.object_name = "Device.Services.VoiceService.1.Line.", .parameter_key = "pk-18"});
  add("AddObjectResponse", AddObjectResponse{.instance_number = 3, .status = 0});
  add("DeleteObject", DeleteObject{.object_name = "Device.Services.VoiceService.1.Line.3.",
                                   .parameter_key = "pk-19"});
  add("DeleteObjectResponse", DeleteObjectResponse{.status = 1});
  add("Reboot", Reboot{.command_key = "reboot-1"});
  add("RebootResponse", RebootResponse{});
  {
    Download d;
    d.command_key = "fw-2026-11";
    d.file_type = "1 Firmware Upgrade Image";
    d.url = "https://acs.example.net/fw/sip68xx.12-0-2.loads";
    d.username = "cpe";
    d.password = Secret("s3cret");
    d.file_size = 12345678;
    d.target_file_name = "sip68xx.12-0-2.loads";
    d.delay_seconds = 10;
    d.success_url = "https://acs.example.net/ok";
    d.failure_url = "";
    add("Download", d);
  }
  add("DownloadResponse", DownloadResponse{.status = 1});
  {
    Upload u;
    u.command_key = "log-1";
    u.file_type = "2 Vendor Log File";
    u.url = "https://acs.example.net/upload/log";
    u.username = "u";
    u.password = Secret("p");
    u.delay_seconds = 0;
    add("Upload", u);
  }
  add("UploadResponse", UploadResponse{.status = 0,
                                       .start_time = "2026-11-26T11:00:00Z",
                                       .complete_time = "2026-11-26T11:00:02.250Z"});
  add("FactoryReset", FactoryReset{});
  add("FactoryResetResponse", FactoryResetResponse{});
  add("ScheduleInform", ScheduleInform{.delay_seconds = 60, .command_key = "si-1"});
  add("ScheduleInformResponse", ScheduleInformResponse{});
  {
    ScheduleDownload d;
    d.command_key = "sd-1";
    d.file_type = "3 Vendor Configuration File";
    d.url = "http://acs.example.net/cfg.xml";
    d.username = "";
    d.password = Secret("");
    d.file_size = 0;
    d.target_file_name = "cfg.xml";
    d.time_windows = {{0, 3600, "1 At Any Time", "", -1},
                      {7200, 10800, "4 Confirmation Needed", "Update tonight?", 2}};
    add("ScheduleDownload", d);
  }
  add("ScheduleDownloadResponse", ScheduleDownloadResponse{});
  add("GetQueuedTransfers", GetQueuedTransfers{});
  add("GetQueuedTransfersResponse",
      GetQueuedTransfersResponse{.transfers = {{"fw-2026-11", 2}, {"cfg", 1}}});
  add("GetAllQueuedTransfers", GetAllQueuedTransfers{});
  add("GetAllQueuedTransfersResponse",
      GetAllQueuedTransfersResponse{
          .transfers = {{"fw-2026-11", 2, true, "1 Firmware Upgrade Image", 1000, "fw.bin"},
                        {"", 1, false, "4 Vendor Log File", 0, ""}}});
  add("CancelTransfer", CancelTransfer{.command_key = "fw-2026-11"});
  add("CancelTransferResponse", CancelTransferResponse{});
  {
    ChangeDUState c;
    c.operations.push_back(InstallOp{"http://acs.example.net/du/app.ipk", std::string(kUuid),
                                     std::string("u"), Secret("p"),
                                     std::string("Device.SoftwareModules.ExecEnv.1")});
    c.operations.push_back(
        UpdateOp{std::string(kUuid), std::string("2.0"), std::nullopt, std::nullopt, std::nullopt});
    c.operations.push_back(UninstallOp{kUuid, std::nullopt, std::nullopt});
    c.command_key = "du-1";
    add("ChangeDUState", c);
  }
  add("ChangeDUStateResponse", ChangeDUStateResponse{});
  {
    Inform inf;
    inf.device_id = {"Cisco", "00562B", "CP-6841-3PCC", "FCH2411ABCD"};
    inf.events = {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}, {"M Download", "fw-2026-11"}};
    inf.max_envelopes = 1;
    inf.current_time = "2026-11-26T11:00:00+01:00";
    inf.retry_count = 2;
    inf.parameters = {{"Device.DeviceInfo.HardwareVersion", "V03", "xsd:string"},
                      {"Device.DeviceInfo.SoftwareVersion", "sip68xx.12-0-1", "xsd:string"},
                      {"Device.ManagementServer.ConnectionRequestURL",
                       "http://10.0.0.7:7547/cr/abc", "xsd:string"},
                      {"Device.ManagementServer.ParameterKey", "", "xsd:string"}};
    add("Inform", inf);
  }
  add("InformResponse", InformResponse{.max_envelopes = 1});
  add("TransferComplete", TransferComplete{.command_key = "fw-2026-11",
                                           .fault = {9010, "Download failed: HTTP 404"},
                                           .start_time = "2026-11-26T11:00:00Z",
                                           .complete_time = "2026-11-26T11:00:30Z"});
  add("TransferCompleteResponse", TransferCompleteResponse{});
  add("AutonomousTransferComplete",
      AutonomousTransferComplete{.announce_url = "",
                                 .transfer_url = "tftp://10.0.0.1/sip68xx.loads",
                                 .is_download = true,
                                 .file_type = "1 Firmware Upgrade Image",
                                 .file_size = 4096,
                                 .target_file_name = "sip68xx.loads",
                                 .fault = {0, ""},
                                 .start_time = "2026-11-26T09:00:00Z",
                                 .complete_time = "2026-11-26T09:01:00Z"});
  add("AutonomousTransferCompleteResponse", AutonomousTransferCompleteResponse{});
  add("Kicked", Kicked{.command = "provision",
                       .referer = "https://portal.example.net/",
                       .arg = "plan=gold",
                       .next = "https://portal.example.net/done"});
  add("KickedResponse", KickedResponse{.next_url = "https://portal.example.net/next"});
  add("RequestDownload", RequestDownload{.file_type = "3 Vendor Configuration File",
                                         .file_type_args = {{"Version", "12.0"}}});
  add("RequestDownloadResponse", RequestDownloadResponse{});
  add("DUStateChangeComplete",
      DUStateChangeComplete{.results = {SampleOpResult()}, .command_key = "du-1"});
  add("DUStateChangeCompleteResponse", DUStateChangeCompleteResponse{});
  {
    OpResult failed = SampleOpResult();
    failed.current_state = "Failed";
    failed.fault = {9017, std::string("checksum mismatch")};
    add("AutonomousDUStateChangeComplete",
        AutonomousDUStateChangeComplete{
            .results = {{SampleOpResult(), "Install"}, {failed, "Update"}}});
  }
  add("AutonomousDUStateChangeCompleteResponse", AutonomousDUStateChangeCompleteResponse{});
  add("Fault", MakeFault(9000));
  {
    Fault f = MakeFault(9003);
    f.set_parameter_values_faults = {
        {"Device.ManagementServer.PeriodicInformInterval", 9007, "Invalid parameter value"},
        {"Device.DeviceInfo.SoftwareVersion", 9008, ""}};
    add("SetParameterValuesFault", f);
  }
  add("AcsFault", MakeFault(8005, "Retry later"));
  // Header variants.
  {
    Envelope e = With("hold-1", InformResponse{});
    e.hold_requests = false;
    e.session_timeout = 60;
    e.use_cwmp_version = "1.4";
    s.push_back({"InformResponseWithHeaders", e});
  }
  {
    Envelope e = With("", GetRPCMethods{});
    e.hold_requests = true;
    s.push_back({"HoldRequestsWithoutId", e});
  }
  return s;
}

}  // namespace cwmp::soap::testing
