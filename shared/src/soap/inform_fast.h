#pragma once
// The ACS's hot path: a dedicated reader for an Inform envelope in the shape CPEs send, beside
// the gSOAP reader that handles everything else.
//
// DecodeInformFast is a small, strict, bounded single-pass reader. It understands only this:
//   [<?xml ...?> without an encoding other than UTF-8]
//   <P:Envelope xmlns:...>                      namespaces are declared here and nowhere else,
//     [<P:Header> [<C:ID [P:mustUnderstand=..]>text</C:ID>] </P:Header>]    no default one
//     <P:Body [P:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"]>
//       <C:Inform> DeviceId{Manufacturer,OUI,ProductClass,SerialNumber} Event{EventStruct*}
//         MaxEnvelopes CurrentTime RetryCount ParameterList{ParameterValueStruct{Name,Value}*}
//       </C:Inform></P:Body></P:Envelope>
// with the children unprefixed, in the schema's order, every one present; printable ASCII text
// with the five predefined entities, no leading or trailing space; unsigned numbers as plain
// digits; xsi:type only on Value and only in the XML Schema namespace. On anything else (another
// method or header, a comment, CDATA, other attributes, white space inside a value, non-ASCII
// text, a value or list over the decode limits, ...) it returns nullopt and the caller decodes
// the envelope with gSOAP, so every tolerance and every error stays gSOAP's. Whatever it
// accepts it decodes exactly as the gSOAP path does (tests/unit/soap/inform_fast_test.cpp and
// the cwmp_inform_fast fuzz target compare both).
//
// The caller must have run Prescan() first (size, depth, DTD and entity checks).

#include <optional>
#include <string_view>

#include "cwmp/base/status.h"
#include "cwmp/soap/codec.h"

namespace cwmp::soap::internal {

std::optional<Decoded> DecodeInformFast(std::string_view xml, const DecodeLimits& limits);

// The gSOAP path alone, without the fast path (Prescan included); Decode() is the fast path
// with this as its fallback. Exposed for the differential tests.
Result<Decoded> DecodeWithGsoap(std::string_view xml, const DecodeLimits& limits);

}  // namespace cwmp::soap::internal
