#pragma once
// DHCPv4 options for ACS and provisioning-server discovery: decode what a DHCP client received,
// encode what an operator configures on the DHCP server.
//
//   43   Vendor-Specific Information (RFC 2132 §8.4). For TR-069 CPEs (option 60 contains
//        "dslforum.org") it encapsulates sub-options 1 ACS URL, 2 ProvisioningCode,
//        3 CWMPRetryMinimumWaitInterval, 4 CWMPRetryIntervalMultiplier. Legacy servers send the
//        bare ACS URL as the whole option value; that form is recognised when the first byte is
//        an ASCII letter (a URL scheme starts with one; TR-069 sub-options are 1-4). Option 43
//        values for other vendors (other sub-option codes) decode to NotFound, not an error.
//   60   Vendor Class Identifier; the CPE sends "dslforum.org" (matched case-insensitively,
//        anywhere in the value).
//   125  V-I Vendor-Specific Information (RFC 3925): enterprise blocks. TR-069 Annex F uses
//        enterprise 3561 (Broadband Forum) for device-gateway association: sub-options 1/2/3
//        carry the device's ManufacturerOUI/SerialNumber/ProductClass (device to gateway),
//        4/5/6 the gateway's (gateway to device). Option 125 does not carry the ACS URL.
//   66   TFTP server name (text: host name or address; this phone also accepts a URL).
//   150  TFTP server address list (Cisco): one or more IPv4 addresses, 4 bytes each.
//   159, 160  provisioning server (text). The phone's guide gives no more than the option list
//        "DHCP_Option_To_Use" (default 66,160,159,150,60,43,125); like other phones these carry a
//        provisioning URL or server name, read with the Profile_Rule server syntax
//        ([scheme://]server[:port][/path], scheme tftp when omitted).
//
// Every decoder is bounded (kMaxOptionBytes, kMaxTextChars), rejects truncated and overlong
// encodings and names the option, sub-option and offset in its message.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cwmp/base/status.h"

namespace cwmp::dhcp {

using Bytes = std::vector<uint8_t>;

inline constexpr uint32_t kBroadbandForumEnterprise = 3561;
inline constexpr std::string_view kTr069VendorClass = "dslforum.org";
// A DHCPv4 option is at most 255 bytes, but clients concatenate split options (RFC 3396), so a
// decoded value may be longer; anything above this is refused.
inline constexpr size_t kMaxOptionBytes = 4096;
// Longest textual form accepted (hex of kMaxOptionBytes with separators, escaped text).
inline constexpr size_t kMaxTextChars = 4 * kMaxOptionBytes;
// TR-069 limits ManagementServer.URL to 256 characters; ProvisioningCode to 64.
inline constexpr size_t kMaxUrlChars = 256;
inline constexpr size_t kMaxProvisioningCodeChars = 64;

// ---- textual forms ------------------------------------------------------------------------

// How an option value is written when it reaches us as text.
enum class TextForm {
  kAuto,      // kColonHex, else kHex, else kEscaped (see DecodeOptionText)
  kHex,       // "0116687474..." even number of hex digits, either case (udhcpc "optNN")
  kColonHex,  // "1:16:68:74" groups of 1-2 hex digits joined by ':' (ISC dhclient, dnsmasq)
  kEscaped,   // text as ISC dhclient exports it: "\ooo" (3 octal digits) for a byte, "\c" for
              // the character c (dhclient escapes " ' $ ` \), everything else literally
  kIpList,    // dotted-quad IPv4 addresses separated by spaces or commas, 4 bytes each
  kLiteral,   // the text's bytes unchanged (udhcpc string options such as "tftp")
};

// Decodes text in the given form into bytes. kAuto picks kColonHex when the value has a ':' and
// every group is 1-2 hex digits, kHex when it is an even number (>= 2) of hex digits only,
// otherwise kEscaped. Errors name `what` (e.g. "option 43").
Result<Bytes> DecodeOptionText(std::string_view text, TextForm form, std::string_view what);

// Parses a command-line/env value with an optional explicit form prefix: "hex:..." (plain or
// colon hex), "str:..." (escaped text), "ip:..." (IPv4 list), "raw:..." (literal); without a
// prefix `default_form`.
Result<Bytes> DecodeTaggedValue(std::string_view value, TextForm default_form,
                                std::string_view what);

std::string FormatHex(std::span<const uint8_t> bytes);       // "011668..." lower case
std::string FormatColonHex(std::span<const uint8_t> bytes);  // "01:16:68:..."

// ---- option 43 (and the same TLVs in DHCPv6 option 17 / enterprise 3561) -----------------

struct AcsInfo {
  std::optional<std::string> url;                // sub-option 1
  std::optional<std::string> provisioning_code;  // sub-option 2
  std::optional<uint32_t> retry_min_wait;        // sub-option 3, 1..65535 seconds
  std::optional<uint32_t> retry_multiplier;      // sub-option 4, 1000..65535 (per mille)
  bool legacy_bare_url = false;                  // decoded from the legacy bare-URL form
  friend bool operator==(const AcsInfo&, const AcsInfo&) = default;
};

// Decodes option 43. Sub-options 3 and 4 are decimal ASCII digits (as the data model writes
// them); a value that is not all digits and is 2 or 4 bytes long is read as a big-endian
// unsigned integer. Unknown sub-options (5-254) are skipped; a repeated sub-option, a
// truncated or overflowing length, a non-UTF-8 or control-character text, a URL that is not
// http:// or https://, an empty option and out-of-range retry values are errors.
Result<AcsInfo> ParseOption43(std::span<const uint8_t> value);

// Encodes sub-options 1-4 (only those set), numbers as decimal ASCII. Validates like the
// decoder, so whatever EncodeOption43 returns, ParseOption43 accepts and returns unchanged.
// legacy_bare_url is ignored: the encoder always writes sub-options.
Result<Bytes> EncodeOption43(const AcsInfo& info);

// Checks an ACS URL: UTF-8, no controls or spaces, <= kMaxUrlChars, http:// or https:// with a
// non-empty host. `what` names the value in the message.
Status ValidateAcsUrl(std::string_view url, std::string_view what);

// ---- option 60 -----------------------------------------------------------------------------

// True when the vendor class contains "dslforum.org" (ASCII case-insensitive).
bool IsTr069VendorClass(std::span<const uint8_t> value);

// ---- option 125 (RFC 3925) -----------------------------------------------------------------

struct VendorBlock {
  uint32_t enterprise = 0;
  Bytes data;  // the enterprise's sub-options, undecoded
  friend bool operator==(const VendorBlock&, const VendorBlock&) = default;
};

// Splits option 125 into enterprise blocks (4-byte enterprise, 1-byte length, data). Blocks of
// the same enterprise are concatenated in order (RFC 3925 §3 allows a client to merge them).
Result<std::vector<VendorBlock>> ParseVendorIdentifyingOption(std::span<const uint8_t> value);
// The reverse; fails when a block's data exceeds 255 bytes or the option exceeds 255 bytes.
Result<Bytes> EncodeVendorIdentifyingOption(const std::vector<VendorBlock>& blocks);

// The TR-069 Annex F sub-options of enterprise 3561 in option 125.
struct GatewayAssociation {
  std::optional<std::string> device_oui;             // 1 (device to gateway)
  std::optional<std::string> device_serial;          // 2
  std::optional<std::string> device_product_class;   // 3
  std::optional<std::string> gateway_oui;            // 4 (gateway to device)
  std::optional<std::string> gateway_serial;         // 5
  std::optional<std::string> gateway_product_class;  // 6
  friend bool operator==(const GatewayAssociation&, const GatewayAssociation&) = default;
};

// Decodes option 125 and the enterprise-3561 block. NotFound (naming the enterprises present)
// when there is no 3561 block. OUIs must be 6 hex digits; texts <= 64 printable characters.
Result<GatewayAssociation> ParseOption125(std::span<const uint8_t> value);
// Encodes the set fields as an option 125 with one enterprise-3561 block.
Result<Bytes> EncodeOption125(const GatewayAssociation& info);

// ---- 66, 150, 159, 160 ---------------------------------------------------------------------

// A text option (66, 159, 160): printable UTF-8 without spaces, trailing NULs removed,
// 1..255 characters.
Result<std::string> ParseServerText(std::span<const uint8_t> value, std::string_view what);
// Option 150: a non-empty multiple of 4 bytes; returns dotted quads.
Result<std::vector<std::string>> ParseOption150(std::span<const uint8_t> value);

// ---- choosing the provisioning server ------------------------------------------------------

// Everything decoded from one lease. Empty members were not received.
struct DhcpLease {
  std::optional<AcsInfo> option43;
  std::optional<GatewayAssociation> option125;
  std::optional<std::string> option66;
  std::vector<std::string> option150;
  std::optional<std::string> option159;
  std::optional<std::string> option160;
};

// The phone's default DHCP_Option_To_Use.
inline constexpr std::string_view kDefaultOptionOrder = "66,160,159,150,60,43,125";

// Parses DHCP_Option_To_Use: decimal option codes 1-254 separated by commas (spaces allowed),
// no duplicates, at most 32 entries. An empty value means "use no DHCP option".
Result<std::vector<int>> ParseOptionOrder(std::string_view text);

struct ProvisioningServer {
  int option = 0;      // the option it came from
  std::string server;  // as received (first address for 150)
  std::string url;     // with a scheme: tftp:// added when the value had none
  friend bool operator==(const ProvisioningServer&, const ProvisioningServer&) = default;
};

// Walks `order` and returns the first option that yields a server:
//   66, 159, 160 their text; 150 its first address; 43 and 60 the option-43 ACS URL (option 43
//   is what the server returns to the "dslforum.org" vendor class of option 60, so both name the
//   same value); 125 never (it carries gateway identity, not a server); other codes are skipped.
std::optional<ProvisioningServer> SelectProvisioningServer(const DhcpLease& lease,
                                                           const std::vector<int>& order);

// ---- DHCP server configuration -------------------------------------------------------------

enum class ServerFormat { kDnsmasq, kIsc, kHex };

// Ready-to-paste configuration that makes the server send `value` as option `code` (43 or 125)
// to clients whose option 60 contains "dslforum.org" (43) or to every client (125):
//   dnsmasq  dhcp-vendorclass=set:cwmp,dslforum.org + dhcp-option=tag:cwmp,43,<colon hex>
//   isc      a class matching the vendor class with option vendor-encapsulated-options <hex>;
//            for 125 "option vivso <hex>;"
//   hex      the colon-hex value alone
// Fails with InvalidArgument for any other code.
Result<std::string> FormatServerConfig(ServerFormat format, int code,
                                       std::span<const uint8_t> value);

}  // namespace cwmp::dhcp
