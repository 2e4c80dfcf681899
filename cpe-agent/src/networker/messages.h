#pragma once
// The calls `cpe-agent run` makes to its network worker (network_worker.h) and their replies,
// in the wire format of wire.h.
//
// Request: [u8 protocol version][u8 call][call's fields]
// Reply:   [u32 status code][string status message][call's result fields when the status is OK]
// Calls:
//   kPerform       one transfer-layer request (transfer_internal::Request + the FetchOptions
//                  it uses) -> transfer_internal::Response
//   kSessionStart  HttpClientOptions: the worker opens an ACS HTTP session -> status only
//   kSessionPost   HttpRequest on that session -> HttpResponse
//   kDecode        fetched bytes + content::DecodeOptions -> content::Decoded
//   kCaCommonName  a PEM CA bundle -> the CN of its first certificate (every one must parse)
//   kVerifyFirmwareSignature  FirmwareManifest + public key (PEM) -> status only
// Decoders return false / an error for anything malformed; they never trust a length or a
// count beyond the bytes present.

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/firmware.h"
#include "agent/http_client.h"
#include "agent/transfer.h"
#include "cwmp/base/status.h"
#include "cwmp/content/content.h"
#include "networker/wire.h"
#include "transfer/curl_request.h"

namespace agent::networker {

inline constexpr uint8_t kProtocolVersion = 1;

enum class Call : uint8_t {
  kPerform = 1,
  kSessionStart = 2,
  kSessionPost = 3,
  kDecode = 4,
  kCaCommonName = 5,
  kVerifyFirmwareSignature = 6,
};

// Requests (daemon -> worker).
std::string EncodePerform(const transfer_internal::Request& request, const FetchOptions& options);
std::string EncodeSessionStart(const HttpClientOptions& options);
std::string EncodeSessionPost(const HttpRequest& request);
std::string EncodeDecode(std::string_view bytes, const cwmp::content::DecodeOptions& options);
std::string EncodeCaCommonName(std::string_view pem);
std::string EncodeVerifyFirmwareSignature(const FirmwareManifest& manifest,
                                          std::string_view public_key_pem);

// Reads [version][call]; kParseError for a short payload, kUnsupported for another version or
// an unknown call.
cwmp::Result<Call> DecodeCallHeader(WireReader& in);
// The call's fields (after DecodeCallHeader). Only the FetchOptions fields that Perform uses
// are carried; the rest keep their defaults.
bool DecodePerform(WireReader& in, transfer_internal::Request* request, FetchOptions* options);
bool DecodeSessionStart(WireReader& in, HttpClientOptions* options);
bool DecodeSessionPost(WireReader& in, HttpRequest* request);
bool DecodeDecode(WireReader& in, std::string* bytes, cwmp::content::DecodeOptions* options);
bool DecodeCaCommonName(WireReader& in, std::string* pem);
bool DecodeVerifyFirmwareSignature(WireReader& in, FirmwareManifest* manifest,
                                   std::string* public_key_pem);

// Replies (worker -> daemon).
std::string EncodeStatusReply(const cwmp::Status& status);
std::string EncodePerformReply(const transfer_internal::Response& response);
std::string EncodePostReply(const cwmp::Result<HttpResponse>& response);
std::string EncodeDecodeReply(const cwmp::Result<cwmp::content::Decoded>& decoded);
std::string EncodeStringReply(const cwmp::Result<std::string>& value);

cwmp::Status DecodeStatusReply(std::string_view payload);
cwmp::Result<transfer_internal::Response> DecodePerformReply(std::string_view payload);
cwmp::Result<HttpResponse> DecodePostReply(std::string_view payload);
cwmp::Result<cwmp::content::Decoded> DecodeDecodeReply(std::string_view payload);
cwmp::Result<std::string> DecodeStringReply(std::string_view payload);

}  // namespace agent::networker
