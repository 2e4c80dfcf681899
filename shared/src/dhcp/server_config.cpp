// Ready-to-paste DHCP server configuration for the options the encoder produces.
// dnsmasq: `dhcp-option=[tag:<tag>,]<opt>,<value>` where a value of colon-separated hex digits is
// sent as those bytes, and `dhcp-vendorclass=set:<tag>,<class>` matches option 60 by substring
// (dnsmasq(8)). ISC dhcpd: `option vendor-encapsulated-options` (43) and `option vivso` (125)
// take colon-separated hex; `~~` is its case-insensitive regular-expression match.
#include "cwmp/dhcp/options.h"

namespace cwmp::dhcp {

Result<std::string> FormatServerConfig(ServerFormat format, int code,
                                       std::span<const uint8_t> value) {
  if (code != 43 && code != 125) {
    return InvalidArgument("option " + std::to_string(code) + ": only 43 and 125 are encoded");
  }
  if (value.size() < 2 || value.size() > 255) {
    return InvalidArgument("option " + std::to_string(code) + " value is " +
                           std::to_string(value.size()) + " bytes; it must be 2-255");
  }
  const std::string hex = FormatColonHex(value);
  switch (format) {
    case ServerFormat::kHex:
      return hex + "\n";
    case ServerFormat::kDnsmasq:
      if (code == 43) {
        return "# TR-069 ACS discovery: option 43 for clients whose vendor class (option 60)\n"
               "# contains \"dslforum.org\".\n"
               "dhcp-vendorclass=set:cwmp,dslforum.org\n"
               "dhcp-option=tag:cwmp,43," +
               hex + "\n";
      }
      return "# TR-069 Annex F device-gateway association (option 125, enterprise 3561).\n"
             "dhcp-option=125," +
             hex + "\n";
    case ServerFormat::kIsc:
      if (code == 43) {
        return "# TR-069 ACS discovery: option 43 for clients whose vendor class (option 60)\n"
               "# contains \"dslforum.org\" (any case).\n"
               "class \"cwmp-dslforum\" {\n"
               "  match if option vendor-class-identifier ~~ \"dslforum\\.org\";\n"
               "  option vendor-encapsulated-options " +
               hex + ";\n}\n";
      }
      return "# TR-069 Annex F device-gateway association (option 125, enterprise 3561).\n"
             "option vivso " +
             hex + ";\n";
  }
  return Internal("unhandled server format");
}

}  // namespace cwmp::dhcp
