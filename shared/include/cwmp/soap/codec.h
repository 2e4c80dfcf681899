#pragma once
// The CWMP envelope codec, shared by the ACS and the agent.
//
// Writing is strict: the output follows the official schema of the chosen version (xsi:type on
// every Value, soapenc:arrayType with the real count, the schema's length limits, no element or
// header the version does not define). Reading is tolerant of what deployed peers send (any
// prefixes, missing xsi:type or arrayType, wrong array counts, NoMoreRequests, BOM, CDATA, ...;
// see docs/cwmp-codec.md) but bounded by DecodeLimits, and never loads a DTD or an entity.
//
// The functions are thread-safe; each thread reuses one internal parser context.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/soap/messages.h"

namespace cwmp::soap {

// Protocol versions. 1.0 and 1.1 have their own namespace; 1.2, 1.3 and 1.4 all use
// urn:dslforum-org:cwmp-1-2. When reading, k1_3 means the peer used the non-standard URN
// urn:dslforum-org:cwmp-1-3 (some ACSs do); it is never written.
enum class CwmpVersion { k1_0, k1_1, k1_2, k1_3, k1_4 };

// "1.0" ... "1.4".
std::string_view VersionString(CwmpVersion version);
// Parses "1.0" ... "1.4".
std::optional<CwmpVersion> ParseVersion(std::string_view text);
// The namespace URN written for `version`.
std::string_view NamespaceOf(CwmpVersion version);

// CWMP 1.4 negotiation. `supported` is the peer's SupportedCWMPVersions header
// ("1.0,1.1,1.2,1.3,1.4", spaces tolerated); returns the highest version both sides support, not
// above `ours`. Without the header (an older peer), returns min(`ours`, `fallback`), where
// `fallback` is the version implied by the namespace of the peer's Inform.
CwmpVersion NegotiateVersion(std::optional<std::string_view> supported, CwmpVersion ours,
                             CwmpVersion fallback);

struct DecodeLimits {
  size_t max_bytes = 4 * 1024 * 1024;  // whole envelope
  size_t max_depth = 32;               // element nesting (CWMP needs 8)
  size_t max_string = 64 * 1024;       // one text value
  size_t max_items = 100000;           // entries in any one list
};

struct Decoded {
  Envelope envelope;
  // Namespace of the cwmp elements seen: k1_0, k1_1, k1_2 (1.2-1.4) or k1_3 (the non-standard
  // cwmp-1-3 URN). Answer in the same namespace. k1_2 when no cwmp element was present.
  CwmpVersion namespace_version = CwmpVersion::k1_2;
};

// Decodes one SOAP envelope. An empty HTTP body is not an envelope (the caller handles that
// before calling); it is rejected with kInvalidArgument.
// Errors: kLimitExceeded (size, depth, string length, list length), kParseError (not XML, not a
// SOAP 1.1 envelope, DTD or entity reference, malformed value), kUnsupported (a header with
// mustUnderstand="1" that CWMP does not define: answer MustUnderstandFault()).
// A body element the codec does not know decodes to UnknownMethod.
Result<Decoded> Decode(std::string_view xml, const DecodeLimits& limits = {});

// Encodes `envelope` for `version` (1.2-1.4 write urn:dslforum-org:cwmp-1-2). Errors:
// kInvalidArgument naming the field, value and limit (a CommandKey over 32 characters, a Value
// without type, a SessionTimeout header in a 1.0 envelope, an RPC the version does not define,
// UnknownMethod, ...).
Result<std::string> Encode(const Envelope& envelope, CwmpVersion version);

// The first CWMP version whose schema defines `method` (an element name such as "ChangeDUState").
std::optional<CwmpVersion> FirstVersionWith(std::string_view method);

// A CWMP fault with the SOAP faultcode the code calls for (Client for 8003, 9003, 9005-9008,
// 9020 and 9021; Server otherwise) and `text`, or the standard fault text when `text` is empty.
Fault MakeFault(uint32_t code, std::string text = {});
// The standard text of a CWMP fault code ("Method not supported", ...); empty when unknown.
std::string_view FaultText(uint32_t code);
// The SOAP 1.1 MustUnderstand fault (no CWMP detail) for a header that was not understood.
Fault MustUnderstandFault(std::string_view header_name);

// Checks an HTTP SOAPAction header against the decoded body, leniently: absent (nullopt), empty,
// `""`, or naming the body's method (bare, quoted, or after a '#', '/' or ':' as in
// "urn:dslforum-org:cwmp-1-0#Inform") are accepted; any other name is kInvalidArgument.
Status CheckSoapAction(std::optional<std::string_view> soap_action, const Body& body);

// xs:dateTime helpers. ParseDateTime accepts "YYYY-MM-DDThh:mm:ss" with optional fractions and
// an optional zone ("Z", "+hh:mm", "-hh:mm"); no zone is taken as UTC. Fractions are truncated.
Result<std::chrono::sys_seconds> ParseDateTime(std::string_view text);
// "YYYY-MM-DDThh:mm:ssZ".
std::string FormatDateTime(std::chrono::sys_seconds time);

}  // namespace cwmp::soap
