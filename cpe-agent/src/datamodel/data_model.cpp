#include "agent/data_model.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "cwmp/soap/codec.h"

namespace agent {
namespace {

namespace prov = cwmp::prov;
namespace soap = cwmp::soap;
using soap::MakeFault;

enum Live {
  kManufacturer,
  kManufacturerOui,
  kModelName,
  kDescription,
  kProductClass,
  kSerialNumber,
  kHardwareVersion,
  kSoftwareVersion,
  kUpTime,
  kRootDataModelVersion,
  kConnectionRequestUrl,
  kUdpConnectionRequestAddress,
  kNatDetected,
  kLiveCount,
};

struct LiveDef {
  Live id;
  const char* path;
  const char* xsd;
};
constexpr LiveDef kLiveDefs[] = {
    {kManufacturer, "Device.DeviceInfo.Manufacturer", "xsd:string"},
    {kManufacturerOui, "Device.DeviceInfo.ManufacturerOUI", "xsd:string"},
    {kModelName, "Device.DeviceInfo.ModelName", "xsd:string"},
    {kDescription, "Device.DeviceInfo.Description", "xsd:string"},
    {kProductClass, "Device.DeviceInfo.ProductClass", "xsd:string"},
    {kSerialNumber, "Device.DeviceInfo.SerialNumber", "xsd:string"},
    {kHardwareVersion, "Device.DeviceInfo.HardwareVersion", "xsd:string"},
    {kSoftwareVersion, "Device.DeviceInfo.SoftwareVersion", "xsd:string"},
    {kUpTime, "Device.DeviceInfo.UpTime", "xsd:unsignedInt"},
    {kRootDataModelVersion, "Device.RootDataModelVersion", "xsd:string"},
    {kConnectionRequestUrl, "Device.ManagementServer.ConnectionRequestURL", "xsd:string"},
    {kUdpConnectionRequestAddress, "Device.ManagementServer.UDPConnectionRequestAddress",
     "xsd:string"},
    {kNatDetected, "Device.ManagementServer.NATDetected", "xsd:boolean"},
};

// TR-181 Device:2 forcedInform parameters that this model has, in Inform order.
constexpr const char* kForcedInform[] = {
    "Device.RootDataModelVersion",
    "Device.DeviceInfo.HardwareVersion",
    "Device.DeviceInfo.SoftwareVersion",
    "Device.DeviceInfo.ProvisioningCode",
    "Device.ManagementServer.ParameterKey",
    "Device.ManagementServer.ConnectionRequestURL",
};

struct GroupDef {
  const char* id;
  std::vector<std::string> tables;
};
const std::vector<GroupDef>& GroupDefs() {
  static const std::vector<GroupDef> defs = {
      {"line",
       {"Device.Services.VoiceService.1.CallControl.Line.",
        "Device.Services.VoiceService.1.SIP.Client.", "Device.Services.VoiceService.1.SIP.Network.",
        "Device.X_TR069PHONE_Phone.Line."}},
      {"wifi", {"Device.WiFi.EndPoint.1.Profile.", "Device.X_TR069PHONE_Phone.WiFiProfile."}},
      {"speeddial", {"Device.X_TR069PHONE_Phone.SpeedDial."}},
  };
  return defs;
}

std::string XsdOf(const prov::DataType& type) {
  switch (type.kind) {
    case prov::TypeKind::kBool: return "xsd:boolean";
    case prov::TypeKind::kUns:
    case prov::TypeKind::kPort: return "xsd:unsignedInt";
    case prov::TypeKind::kSig: return type.bits <= 32 ? "xsd:int" : "xsd:long";
    default: return "xsd:string";
  }
}

// Instance number after `table` in `path` ("<table>3.X" -> 3), or 0.
uint32_t InstanceAfter(std::string_view path, std::string_view table) {
  if (!path.starts_with(table)) return 0;
  std::string_view rest = path.substr(table.size());
  size_t digits = 0;
  uint32_t n = 0;
  while (digits < rest.size() && digits < 9 && std::isdigit(static_cast<unsigned char>(rest[digits]))) {
    n = n * 10 + static_cast<uint32_t>(rest[digits] - '0');
    ++digits;
  }
  if (digits == 0 || digits >= rest.size() || rest[digits] != '.') return 0;
  return n;
}

bool IsAllDigits(std::string_view s, bool allow_sign) {
  if (allow_sign && !s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The phone's Uns/Port/Sig values may be written in 0x hex; CWMP wants decimal.
std::string NumberToDecimal(const std::string& stored) {
  if (stored.size() > 2 && stored[0] == '0' && (stored[1] == 'x' || stored[1] == 'X')) {
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(stored.data() + 2, stored.data() + stored.size(), n, 16);
    if (ec == std::errc() && p == stored.data() + stored.size()) return std::to_string(n);
  }
  return stored;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string OuiFromMac(std::string_view mac) {
  std::string hex;
  for (char c : mac) {
    if (std::isxdigit(static_cast<unsigned char>(c))) {
      hex += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return hex.size() >= 6 ? hex.substr(0, 6) : std::string();
}

// The view's nodes depend on the catalogs only, never on the phone: built once per process and
// shared read-only by every DataModel (a fleet of 10,000 phones would otherwise hold 10,000
// copies of ~1,000 nodes, about 400 KB each).
struct DataModel::Schema {
  std::map<std::string, ParamNode, std::less<>> nodes;  // by path
  std::map<std::string, std::string, std::less<>> path_by_flat;
  std::vector<Group> groups;
};

const DataModel::Schema& DataModel::SharedSchema() {
  static const Schema schema = [] {
    Schema s;
    BuildSchema(s);
    return s;
  }();
  return schema;
}

DataModel::DataModel(ParameterStore& store, DeviceIdentity identity, Clock& clock)
    : store_(store),
      identity_(std::move(identity)),
      clock_(clock),
      boot_time_(clock.Now()),
      nodes_(SharedSchema().nodes),
      path_by_flat_(SharedSchema().path_by_flat),
      groups_(SharedSchema().groups) {}

void DataModel::BuildSchema(Schema& schema) {
  auto& nodes_ = schema.nodes;
  auto& path_by_flat_ = schema.path_by_flat;
  auto& groups_ = schema.groups;
  for (const auto& g : GroupDefs()) groups_.push_back({g.id, g.tables, {}});
  auto add_store_param = [&](const prov::ParamDef& def) {
    ParamNode node;
    node.path = def.tr069_path;
    node.flat_name = def.name;
    node.xsd_type = XsdOf(def.type);
    node.writable = true;
    node.secret = def.secret;
    for (auto& g : groups_) {
      for (const auto& t : g.tables) {
        if (uint32_t n = InstanceAfter(def.tr069_path, t)) {
          node.instance_key = g.id + "." + std::to_string(n);
          if (std::find(g.instances.begin(), g.instances.end(), n) == g.instances.end()) {
            g.instances.push_back(n);
          }
        }
      }
    }
    path_by_flat_[def.name] = def.tr069_path;
    nodes_[def.tr069_path] = std::move(node);
  };
  for (const auto& def : prov::Catalog::Builtin().params()) add_store_param(def);
  for (const auto& def : LocalCatalog().params()) add_store_param(def);
  for (auto& g : groups_) std::sort(g.instances.begin(), g.instances.end());
  nodes_["Device.ManagementServer.ParameterKey"].writable = false;
  nodes_["Device.ManagementServer.PeriodicInformTime"].xsd_type = "xsd:dateTime";
  for (const auto& live : kLiveDefs) {
    ParamNode node;
    node.path = live.path;
    node.xsd_type = live.xsd;
    node.live = live.id;
    nodes_[live.path] = std::move(node);
  }
  for (const char* p : kForcedInform) nodes_[p].forced_inform = true;
  nodes_["Device.DeviceInfo.SoftwareVersion"].active_notify = ActiveNotify::kForceEnabled;
  nodes_["Device.DeviceInfo.ProvisioningCode"].active_notify = ActiveNotify::kForceEnabled;
  nodes_["Device.ManagementServer.ConnectionRequestURL"].active_notify =
      ActiveNotify::kForceDefaultEnabled;
  nodes_["Device.DeviceInfo.UpTime"].active_notify = ActiveNotify::kCanDeny;
}

bool DataModel::Visible(const ParamNode& node) const {
  return node.instance_key.empty() || store_.InstancePresent(node.instance_key);
}

const ParamNode* DataModel::Find(std::string_view path) const {
  auto it = nodes_.find(path);
  if (it == nodes_.end() || !Visible(it->second)) return nullptr;
  return &it->second;
}

std::string DataModel::PathOf(std::string_view flat_name) const {
  auto it = path_by_flat_.find(flat_name);
  return it == path_by_flat_.end() ? std::string() : it->second;
}

std::string DataModel::LiveValue(int index) const {
  switch (static_cast<Live>(index)) {
    case kManufacturer: return identity_.manufacturer;
    case kManufacturerOui: return OuiFromMac(identity_.mac_address);
    case kModelName: return identity_.model_name;
    case kDescription: return identity_.description;
    case kProductClass:
      return identity_.product_class.empty() ? identity_.model_name : identity_.product_class;
    case kSerialNumber: return identity_.serial_number;
    case kHardwareVersion: return identity_.hardware_version;
    case kSoftwareVersion: return identity_.software_version;
    case kUpTime: {
      auto up = clock_.Now() - boot_time_;
      return std::to_string(std::max<int64_t>(0, up.count()));
    }
    case kRootDataModelVersion: return "2.17";
    case kConnectionRequestUrl: return connection_request_url_;
    case kUdpConnectionRequestAddress: return udp_address_;
    case kNatDetected: return nat_detected_ ? "true" : "false";
    case kLiveCount: break;
  }
  return {};
}

soap::ParameterValue DataModel::Read(const ParamNode& node) const {
  soap::ParameterValue pv;
  pv.name = node.path;
  pv.type = node.xsd_type;
  if (node.live >= 0) {
    pv.value = LiveValue(node.live);
    return pv;
  }
  if (node.secret) return pv;
  std::string stored = store_.Get(node.flat_name);
  if (node.xsd_type == "xsd:boolean") {
    std::string l = ToLower(stored);
    pv.value = (l == "yes" || l == "1" || l == "true") ? "true" : "false";
  } else if (node.xsd_type == "xsd:unsignedInt" || node.xsd_type == "xsd:int") {
    pv.value = NumberToDecimal(stored);
  } else {
    pv.value = std::move(stored);
  }
  return pv;
}

std::vector<const ParamNode*> DataModel::Select(std::string_view name) const {
  std::vector<const ParamNode*> out;
  if (name.empty()) name = "Device.";
  if (!name.ends_with('.')) {
    if (const auto* n = Find(name)) out.push_back(n);
    return out;
  }
  for (auto it = nodes_.lower_bound(name); it != nodes_.end() && it->first.starts_with(name); ++it) {
    if (Visible(it->second)) out.push_back(&it->second);
  }
  return out;
}

FaultOr<std::vector<soap::ParameterValue>> DataModel::GetValues(
    const std::vector<std::string>& names) const {
  std::vector<soap::ParameterValue> out;
  for (const auto& name : names) {
    auto nodes = Select(name);
    if (nodes.empty()) return MakeFault(9005, "Invalid parameter name: " + name);
    for (const auto* n : nodes) out.push_back(Read(*n));
  }
  return out;
}

FaultOr<std::vector<soap::ParameterInfo>> DataModel::GetNames(std::string_view path,
                                                              bool next_level) const {
  std::vector<soap::ParameterInfo> out;
  std::string_view base = path.empty() ? std::string_view("Device.") : path;
  if (!base.ends_with('.')) {
    const auto* n = Find(base);
    if (!n) return MakeFault(9005, "Invalid parameter name: " + std::string(base));
    if (next_level) return MakeFault(9003, "NextLevel must be false for a parameter");
    out.push_back({n->path, n->writable});
    return out;
  }
  auto nodes = Select(base);
  if (nodes.empty()) return MakeFault(9005, "Invalid parameter name: " + std::string(base));
  // Objects are writable when they are multi-instance tables (AddObject) or their instances
  // (DeleteObject).
  auto object_writable = [&](std::string_view obj) {
    for (const auto& g : groups_) {
      for (const auto& t : g.tables) {
        if (obj == t || InstanceAfter(obj, t) != 0) {
          return obj == t || obj.find('.', t.size()) == obj.size() - 1;
        }
      }
    }
    return false;
  };
  std::set<std::string, std::less<>> seen_objects;
  auto add_object = [&](std::string_view obj) {
    if (seen_objects.insert(std::string(obj)).second) {
      out.push_back({std::string(obj), object_writable(obj)});
    }
  };
  if (path.empty() && next_level) {
    out.push_back({"Device.", false});
    return out;
  }
  if (!next_level) add_object(base);
  for (const auto* n : nodes) {
    std::string_view rest = std::string_view(n->path).substr(base.size());
    if (next_level) {
      size_t dot = rest.find('.');
      if (dot == std::string_view::npos) {
        out.push_back({n->path, n->writable});
      } else {
        add_object(std::string_view(n->path).substr(0, base.size() + dot + 1));
      }
      continue;
    }
    // Every object between `base` and the parameter, then the parameter.
    for (size_t dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.', dot + 1)) {
      add_object(std::string_view(n->path).substr(0, base.size() + dot + 1));
    }
    out.push_back({n->path, n->writable});
  }
  return out;
}

int DataModel::NotificationOf(const ParamNode& node) const {
  if (node.active_notify == ActiveNotify::kForceEnabled) return 2;
  auto attr = store_.GetAttributes(node.flat_name.empty() ? node.path : node.flat_name);
  if (attr.notification) return *attr.notification;
  return node.active_notify == ActiveNotify::kForceDefaultEnabled ? 2 : 0;
}

FaultOr<std::vector<soap::ParameterAttributeStruct>> DataModel::GetAttributes(
    const std::vector<std::string>& names) const {
  std::vector<soap::ParameterAttributeStruct> out;
  for (const auto& name : names) {
    auto nodes = Select(name);
    if (nodes.empty()) return MakeFault(9005, "Invalid parameter name: " + name);
    for (const auto* n : nodes) {
      soap::ParameterAttributeStruct a;
      a.name = n->path;
      a.notification = NotificationOf(*n);
      if (!n->flat_name.empty()) {
        if (store_.GetAccess(n->flat_name) == prov::Access::kRw) a.access_list = {"Subscriber"};
      } else {
        a.access_list = store_.GetAttributes(n->path).access_list.value_or(
            std::vector<std::string>{});
      }
      out.push_back(std::move(a));
    }
  }
  return out;
}

FaultOr<int> DataModel::SetValues(const std::vector<soap::ParameterValue>& values,
                                  const std::string& parameter_key) {
  soap::Fault fault = MakeFault(9003);
  StoreEdit edit;
  std::set<std::string, std::less<>> names;
  auto reject = [&](const std::string& name, uint32_t code, std::string text) {
    fault.set_parameter_values_faults.push_back(
        {name, code, text.empty() ? std::string(soap::FaultText(code)) : std::move(text)});
  };
  for (const auto& pv : values) {
    if (!names.insert(pv.name).second) {
      reject(pv.name, 9003, "parameter appears more than once");
      continue;
    }
    const ParamNode* n = Find(pv.name);
    if (!n) {
      reject(pv.name, 9005, "");
      continue;
    }
    if (!n->writable) {
      reject(pv.name, 9008, "");
      continue;
    }
    if (!pv.type.empty() && pv.type != n->xsd_type) {
      reject(pv.name, 9006, "expected " + n->xsd_type + ", got " + pv.type);
      continue;
    }
    std::string stored = pv.value;
    bool ok = true;
    if (n->xsd_type == "xsd:boolean") {
      if (pv.value == "true" || pv.value == "1") {
        stored = "Yes";
      } else if (pv.value == "false" || pv.value == "0") {
        stored = "No";
      } else {
        ok = false;
      }
    } else if (n->xsd_type == "xsd:unsignedInt") {
      ok = IsAllDigits(pv.value, false);
    } else if (n->xsd_type == "xsd:int" || n->xsd_type == "xsd:long") {
      ok = IsAllDigits(pv.value, true);
    } else if (n->xsd_type == "xsd:dateTime") {
      ok = soap::ParseDateTime(pv.value).ok();
    }
    if (ok && n->flat_name == "CWMP_Retry_Minimum_Wait_Interval") ok = stored != "0";
    if (ok && n->flat_name == "CWMP_Retry_Interval_Multiplier") {
      ok = stored.size() <= 5 && std::stoul(stored) >= 1000;
    }
    cwmp::Status valid = ok ? cwmp::Status::Ok() : cwmp::InvalidArgument("");
    if (ok) {
      const auto& cat = prov::Catalog::Builtin().Find(n->flat_name) ? prov::Catalog::Builtin()
                                                                    : LocalCatalog();
      valid = cat.Validate(n->flat_name, stored);
    }
    if (!valid.ok()) {
      // The catalog masks secret values in its message; the value itself is never echoed.
      reject(pv.name, 9007, valid.message().empty() ? std::string() : valid.message());
      continue;
    }
    edit.values.emplace_back(n->flat_name, std::move(stored));
  }
  if (!fault.set_parameter_values_faults.empty()) return fault;
  if (parameter_key.size() > 32) return MakeFault(9003, "ParameterKey longer than 32 characters");
  edit.values.emplace_back("Parameter_Key", parameter_key);
  if (auto st = store_.Commit(edit, ChangeSource::kAcs); !st.ok()) {
    return MakeFault(9002, st.message());
  }
  return 0;
}

FaultOr<std::monostate> DataModel::SetAttributes(
    const std::vector<soap::SetParameterAttributesStruct>& attributes) {
  StoreEdit edit;
  for (const auto& s : attributes) {
    auto nodes = Select(s.name);
    if (nodes.empty()) return MakeFault(9005, "Invalid parameter name: " + s.name);
    if (s.notification_change && (s.notification < 0 || s.notification > 2)) {
      return MakeFault(9009, s.name + ": notification " + std::to_string(s.notification) +
                                 " is not supported (0, 1 or 2)");
    }
    if (s.access_list_change) {
      for (const auto& entry : s.access_list) {
        if (entry != "Subscriber") {
          return MakeFault(9003, s.name + ": unknown AccessList entry \"" + entry + "\"");
        }
      }
    }
    for (const auto* n : nodes) {
      AttributeChange change;
      change.key = n->flat_name.empty() ? n->path : n->flat_name;
      if (s.notification_change) {
        bool denied = (n->active_notify == ActiveNotify::kForceEnabled && s.notification != 2) ||
                      (n->active_notify == ActiveNotify::kCanDeny && s.notification != 0);
        if (denied) {
          // A partial path covers such parameters too; only a direct request is refused.
          if (nodes.size() == 1) return MakeFault(9009, n->path + ": notification request rejected");
        } else {
          change.notification = s.notification;
        }
      }
      if (s.access_list_change) {
        if (!n->flat_name.empty()) {
          bool subscriber = !s.access_list.empty();
          prov::Access ua = store_.GetAccess(n->flat_name);
          if (subscriber) {
            change.ua = prov::Access::kRw;
          } else if (ua == prov::Access::kRw) {
            change.ua = prov::Access::kRo;
          }
        } else {
          change.access_list = s.access_list;
        }
      }
      edit.attributes.push_back(std::move(change));
    }
  }
  if (auto st = store_.Commit(edit, ChangeSource::kAcs); !st.ok()) {
    return MakeFault(9002, st.message());
  }
  return std::monostate{};
}

const DataModel::Group* DataModel::GroupOfTable(std::string_view table) const {
  for (const auto& g : groups_) {
    if (std::find(g.tables.begin(), g.tables.end(), table) != g.tables.end()) return &g;
  }
  return nullptr;
}

FaultOr<uint32_t> DataModel::AddObject(std::string_view object_name,
                                       const std::string& parameter_key) {
  if (!object_name.ends_with('.')) return MakeFault(9003, "ObjectName must end in \".\"");
  const Group* g = GroupOfTable(object_name);
  if (!g) return MakeFault(9005, "Not a multi-instance object: " + std::string(object_name));
  if (parameter_key.size() > 32) return MakeFault(9003, "ParameterKey longer than 32 characters");
  for (uint32_t n : g->instances) {
    std::string key = g->id + "." + std::to_string(n);
    if (store_.InstancePresent(key)) continue;
    StoreEdit edit;
    edit.instances.emplace_back(key, true);
    edit.values.emplace_back("Parameter_Key", parameter_key);
    if (auto st = store_.Commit(edit, ChangeSource::kAcs); !st.ok()) {
      return MakeFault(9002, st.message());
    }
    return n;
  }
  return MakeFault(9004, std::string(object_name) + " has all " +
                             std::to_string(g->instances.size()) + " instances");
}

FaultOr<int> DataModel::DeleteObject(std::string_view object_name,
                                     const std::string& parameter_key) {
  if (!object_name.ends_with('.')) return MakeFault(9003, "ObjectName must end in \".\"");
  std::string_view without_dot = object_name.substr(0, object_name.size() - 1);
  size_t last = without_dot.rfind('.');
  std::string_view table = last == std::string_view::npos ? "" : object_name.substr(0, last + 1);
  const Group* g = GroupOfTable(table);
  uint32_t n = g ? InstanceAfter(object_name, table) : 0;
  std::string key = g ? g->id + "." + std::to_string(n) : "";
  if (!g || n == 0 || std::find(g->instances.begin(), g->instances.end(), n) == g->instances.end() ||
      !store_.InstancePresent(key)) {
    return MakeFault(9005, "Not an existing instance: " + std::string(object_name));
  }
  if (parameter_key.size() > 32) return MakeFault(9003, "ParameterKey longer than 32 characters");
  StoreEdit edit;
  for (const auto& [path, node] : nodes_) {
    if (node.instance_key == key) edit.resets.push_back(node.flat_name);
  }
  edit.instances.emplace_back(key, false);
  edit.values.emplace_back("Parameter_Key", parameter_key);
  if (auto st = store_.Commit(edit, ChangeSource::kAcs); !st.ok()) {
    return MakeFault(9002, st.message());
  }
  return 0;
}

std::vector<soap::ParameterValue> DataModel::ForcedInformParameters() const {
  std::vector<soap::ParameterValue> out;
  for (const char* p : kForcedInform) out.push_back(Read(*Find(p)));
  return out;
}

std::vector<std::pair<soap::ParameterValue, int>> DataModel::NotifiedLiveValues() const {
  std::vector<std::pair<soap::ParameterValue, int>> out;
  for (const auto& [path, node] : nodes_) {
    if (node.live < 0) continue;
    int n = NotificationOf(node);
    if (n >= 1) out.emplace_back(Read(node), n);
  }
  return out;
}

}  // namespace agent
