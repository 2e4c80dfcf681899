#pragma once
// The Inform a simulated CPE sends: written once with the shared codec (cwmp::soap::Encode),
// then specialised per session by substituting the serial number, the uptime, the current time
// and the IP address, so a session costs a few string copies, not an encode.
//
// It looks like a Cisco 6800-series phone's periodic Inform: DeviceId, one event
// ("2 PERIODIC", or "0 BOOTSTRAP" + "1 BOOT" for registration), and the 20 parameters a
// TR-181 phone forces into every Inform (DeviceInfo.*, ManagementServer.ConnectionRequestURL,
// ParameterKey, the WAN IP address, ...). Three of them change between Informs (UpTime, the
// local time, free memory), as on a real phone.

#include <cstdint>
#include <string>

#include "cwmp/base/status.h"

namespace acs_load {

struct DeviceNaming {
  std::string manufacturer = "Cisco Systems, Inc.";
  std::string oui = "000E08";
  std::string product_class = "CP-6861-3PCC";
  std::string serial_prefix = "LD";  // serial = prefix + 8 decimal digits of the device index
};

// The serial number of device `index`.
std::string SerialOf(const DeviceNaming& naming, uint64_t index);
// The device id acsd stores ("OUI-ProductClass-Serial").
std::string DeviceIdOf(const DeviceNaming& naming, uint64_t index);

class InformTemplate {
 public:
  // bootstrap: events "0 BOOTSTRAP" + "1 BOOT" instead of "2 PERIODIC".
  static cwmp::Result<InformTemplate> Create(const DeviceNaming& naming, bool bootstrap);
  // The envelope for device `index`; `unix_seconds` is the CPE's clock.
  std::string For(uint64_t index, int64_t unix_seconds) const;
  int parameter_count() const { return parameter_count_; }

 private:
  std::string xml_;
  DeviceNaming naming_;
  int parameter_count_ = 0;
};

}  // namespace acs_load
