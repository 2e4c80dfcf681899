#pragma once
// The TR-069 view of the device (Device:2 root): every catalog parameter under its tr069_path,
// the agent-local parameters (LocalCatalog()), and live read-only values (Device.DeviceInfo.*
// identity and UpTime, ManagementServer.ConnectionRequestURL, ...). The view answers the
// parameter RPCs with CWMP values and faults; the store underneath keeps flat names.
//
// Values travel in CWMP form: Bool as xsd:boolean ("true"/"false"; "1"/"0" accepted on
// writes), Uns<n>/Port as xsd:unsignedInt (decimal), Sig<n> as xsd:int, everything else as
// xsd:string. Secret parameters (passwords, keys) read back as "".
//
// Writability: every store parameter is writable by the ACS (the ACS acts as the phone's admin,
// which has full access whatever the ua); ParameterKey and the live values are read-only. The
// ua maps to the TR-069 AccessList: ua=rw <=> AccessList {"Subscriber"}.
//
// Multi-instance objects (docs/agent-device-model.md): instance groups whose instances exist in
// several tables at once -- "line" (VoiceService CallControl.Line, SIP.Client, SIP.Network and
// X_TR069PHONE_Phone.Line, 1-4), "wifi" (WiFi.EndPoint.1.Profile and
// X_TR069PHONE_Phone.WiFiProfile, 1-4), "speeddial" (X_TR069PHONE_Phone.SpeedDial, 2-9). Every
// instance exists at factory defaults; DeleteObject removes one (its parameters return to the
// catalog defaults and leave the view), AddObject brings back the lowest-numbered removed one,
// and 9004 when none is removed (the phone's fixed capacity). Other {i} objects are fixed.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "agent/clock.h"
#include "agent/parameter_store.h"
#include "cwmp/soap/messages.h"

namespace agent {

// A value or the CWMP fault that answers the request.
template <typename T>
using FaultOr = std::variant<T, cwmp::soap::Fault>;

struct DeviceIdentity {
  std::string manufacturer = "Cisco";
  std::string model_name;     // e.g. "CP-6841-3PCC"; also the ProductClass unless set below
  std::string product_class;  // empty: model_name
  std::string serial_number;
  std::string mac_address;  // "00:1b:54:aa:bb:cc", "001B54AABBCC", ... (first 3 bytes = OUI)
  std::string description = "IP Phone";
  std::string hardware_version;
  std::string software_version;
};

// The OUI (6 upper-case hex digits) from a MAC address in any usual notation; "" if the
// address has fewer than 6 hex digits.
std::string OuiFromMac(std::string_view mac);

enum class ActiveNotify {
  kNormal,
  kForceEnabled,         // notification is always 2; other requests get 9009
  kForceDefaultEnabled,  // 2 unless the ACS sets otherwise
  kCanDeny,              // requests for 1 or 2 get 9009 (value changes constantly)
};

struct ParamNode {
  std::string path;
  std::string flat_name;  // store parameter; empty for live values
  std::string xsd_type;   // "xsd:string", "xsd:boolean", ...
  bool writable = false;
  bool secret = false;
  bool forced_inform = false;
  ActiveNotify active_notify = ActiveNotify::kNormal;
  std::string instance_key;  // "wifi.2" for instances of multi-instance objects, else ""
  int live = -1;             // index of a live value, -1 for store parameters
};

class DataModel {
 public:
  // `store` and `clock` must outlive the model. UpTime counts from construction.
  DataModel(ParameterStore& store, DeviceIdentity identity, Clock& clock);

  const DeviceIdentity& identity() const { return identity_; }
  // Values only the runtime knows (the transport's listening address, a new image's version).
  void SetConnectionRequestUrl(std::string url) { connection_request_url_ = std::move(url); }
  void SetUdpConnectionRequestAddress(std::string a) { udp_address_ = std::move(a); }
  void SetNatDetected(bool detected) { nat_detected_ = detected; }  // STUN (TR-111)
  void SetSoftwareVersion(std::string v) { identity_.software_version = std::move(v); }

  // The parameter at `path` if it is in the view (removed instances are not), else nullptr.
  const ParamNode* Find(std::string_view path) const;
  // The TR-069 path of a store parameter ("" when it has none in the view).
  std::string PathOf(std::string_view flat_name) const;
  // The CWMP form of a parameter's value (secrets "").
  cwmp::soap::ParameterValue Read(const ParamNode& node) const;

  FaultOr<std::vector<cwmp::soap::ParameterValue>> GetValues(
      const std::vector<std::string>& names) const;
  FaultOr<std::vector<cwmp::soap::ParameterInfo>> GetNames(std::string_view path,
                                                           bool next_level) const;
  FaultOr<std::vector<cwmp::soap::ParameterAttributeStruct>> GetAttributes(
      const std::vector<std::string>& names) const;
  // All or nothing; on success ParameterKey is stored with the values. Status 0.
  FaultOr<int> SetValues(const std::vector<cwmp::soap::ParameterValue>& values,
                         const std::string& parameter_key);
  FaultOr<std::monostate> SetAttributes(
      const std::vector<cwmp::soap::SetParameterAttributesStruct>& attributes);
  FaultOr<uint32_t> AddObject(std::string_view object_name, const std::string& parameter_key);
  FaultOr<int> DeleteObject(std::string_view object_name, const std::string& parameter_key);

  // The forced Inform parameters (TR-181 forcedInform), in a fixed order.
  std::vector<cwmp::soap::ParameterValue> ForcedInformParameters() const;
  // Live parameters whose effective notification is 1 or 2, with their current values (the
  // device compares them with what the last Inform reported).
  std::vector<std::pair<cwmp::soap::ParameterValue, int>> NotifiedLiveValues() const;
  // Effective notification of a node.
  int NotificationOf(const ParamNode& node) const;

 private:
  struct Group {
    std::string id;
    std::vector<std::string> tables;  // "Device.WiFi.EndPoint.1.Profile."
    std::vector<uint32_t> instances;  // capacity, from the catalog
  };
  bool Visible(const ParamNode& node) const;
  std::string LiveValue(int index) const;
  // Every visible node whose path starts with `prefix` (a partial path) or equals it.
  std::vector<const ParamNode*> Select(std::string_view name) const;
  // The group and instance of "<table>N." / the group of "<table>".
  const Group* GroupOfTable(std::string_view table) const;

  ParameterStore& store_;
  DeviceIdentity identity_;
  Clock& clock_;
  std::chrono::sys_seconds boot_time_;
  std::string connection_request_url_;
  std::string udp_address_;
  bool nat_detected_ = false;
  // Nodes, flat-name index and instance groups: identical for every phone, built once per
  // process (SharedSchema) and only read here.
  struct Schema;
  static const Schema& SharedSchema();
  static void BuildSchema(Schema& schema);
  const std::map<std::string, ParamNode, std::less<>>& nodes_;  // by path
  const std::map<std::string, std::string, std::less<>>& path_by_flat_;
  const std::vector<Group>& groups_;
};

}  // namespace agent
