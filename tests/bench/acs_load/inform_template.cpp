#include "inform_template.h"

#include <chrono>
#include <cstdio>

#include "cwmp/soap/codec.h"
#include "cwmp/soap/messages.h"

namespace acs_load {
namespace {

namespace soap = cwmp::soap;

// Markers substituted per session. Each is unique in the envelope and survives XML escaping.
constexpr const char* kSerialMark = "ZZSERIALZZ";
constexpr const char* kUptimeMark = "999999991";
constexpr const char* kFreeMemMark = "999999992";
constexpr const char* kIpMark = "10.255.255.254";
constexpr const char* kMacMark = "02:ff:ff:ff:ff:fe";
const std::string kTimeMark = "2099-12-31T23:59:58Z";

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

}  // namespace

std::string SerialOf(const DeviceNaming& naming, uint64_t index) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%08llu", static_cast<unsigned long long>(index));
  return naming.serial_prefix + digits;
}

std::string DeviceIdOf(const DeviceNaming& naming, uint64_t index) {
  return naming.oui + "-" + naming.product_class + "-" + SerialOf(naming, index);
}

cwmp::Result<InformTemplate> InformTemplate::Create(const DeviceNaming& naming, bool bootstrap) {
  soap::Inform inform;
  inform.device_id = {naming.manufacturer, naming.oui, naming.product_class, kSerialMark};
  if (bootstrap) {
    inform.events = {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}};
  } else {
    inform.events = {{"2 PERIODIC", ""}};
  }
  inform.current_time = kTimeMark;
  const std::string d = "Device.DeviceInfo.";
  const std::string m = "Device.ManagementServer.";
  inform.parameters = {
      {"Device.RootDataModelVersion", "2.12", "xsd:string"},
      {d + "Manufacturer", naming.manufacturer, "xsd:string"},
      {d + "ManufacturerOUI", naming.oui, "xsd:string"},
      {d + "ModelName", "CP-6861-3PCC", "xsd:string"},
      {d + "Description", "Cisco IP Phone 6861 Multiplatform", "xsd:string"},
      {d + "ProductClass", naming.product_class, "xsd:string"},
      {d + "SerialNumber", kSerialMark, "xsd:string"},
      {d + "HardwareVersion", "V04", "xsd:string"},
      {d + "SoftwareVersion", "sip68xx.12-0-1MPP-12", "xsd:string"},
      {d + "ProvisioningCode", "carrier-a", "xsd:string"},
      {d + "UpTime", kUptimeMark, "xsd:unsignedInt"},
      {d + "MemoryStatus.Free", kFreeMemMark, "xsd:unsignedInt"},
      {"Device.Time.CurrentLocalTime", kTimeMark, "xsd:dateTime"},
      {m + "ConnectionRequestURL", std::string("http://") + kIpMark + ":7547/cr/" + kSerialMark,
       "xsd:string"},
      {m + "ParameterKey", "prov-2026-11", "xsd:string"},
      {m + "PeriodicInformEnable", "true", "xsd:boolean"},
      {m + "PeriodicInformInterval", "3600", "xsd:unsignedInt"},
      {m + "UDPConnectionRequestAddress", std::string(kIpMark) + ":7547", "xsd:string"},
      {"Device.IP.Interface.1.IPv4Address.1.IPAddress", kIpMark, "xsd:string"},
      {"Device.Ethernet.Interface.1.MACAddress", kMacMark, "xsd:string"},
  };
  soap::Envelope env;
  env.id = "1";
  env.body = inform;
  auto xml = soap::Encode(env, soap::CwmpVersion::k1_2);
  if (!xml.ok()) return xml.status();
  InformTemplate t;
  t.xml_ = std::move(*xml);
  t.naming_ = naming;
  t.parameter_count_ = static_cast<int>(inform.parameters.size());
  return t;
}

std::string InformTemplate::For(uint64_t index, int64_t unix_seconds) const {
  std::string xml = xml_;
  ReplaceAll(xml, kSerialMark, SerialOf(naming_, index));
  // Uptime: as if every device booted at a different second of the last ten days.
  int64_t uptime = 3600 + static_cast<int64_t>((index * 7919) % 864000) + unix_seconds % 86400;
  ReplaceAll(xml, kUptimeMark, std::to_string(uptime));
  ReplaceAll(xml, kFreeMemMark, std::to_string(40'000'000 + (unix_seconds % 1000) * 1024));
  char ip[32];
  std::snprintf(ip, sizeof ip, "10.%u.%u.%u", static_cast<unsigned>((index >> 16) & 0xff),
                static_cast<unsigned>((index >> 8) & 0xff), static_cast<unsigned>(index & 0xff));
  ReplaceAll(xml, kIpMark, ip);
  char mac[32];
  std::snprintf(mac, sizeof mac, "00:0e:08:%02x:%02x:%02x", static_cast<unsigned>((index >> 16) & 0xff),
                static_cast<unsigned>((index >> 8) & 0xff), static_cast<unsigned>(index & 0xff));
  ReplaceAll(xml, kMacMark, mac);
  ReplaceAll(xml, kTimeMark,
             soap::FormatDateTime(std::chrono::sys_seconds(std::chrono::seconds(unix_seconds))));
  return xml;
}

}  // namespace acs_load
