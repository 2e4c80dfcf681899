// The network worker's messages (cpe-agent/src/networker/messages.h). The first byte picks the
// decoder: 0 a request as the worker reads it, 1 a transfer reply, 2 a POST reply, 3 a status
// reply, 4 a decode reply, 5 a string reply, as the daemon reads them. Whatever decodes must encode again and decode to the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "networker/messages.h"

namespace nw = agent::networker;

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

void Request(std::string_view data) {
  nw::WireReader in(data);
  auto call = nw::DecodeCallHeader(in);
  if (!call.ok()) return;
  switch (*call) {
    case nw::Call::kPerform: {
      agent::transfer_internal::Request r;
      agent::FetchOptions o;
      if (!nw::DecodePerform(in, &r, &o)) return;
      Check(nw::EncodePerform(r, o) == data);
      break;
    }
    case nw::Call::kSessionStart: {
      agent::HttpClientOptions o;
      if (!nw::DecodeSessionStart(in, &o)) return;
      Check(nw::EncodeSessionStart(o) == data);
      break;
    }
    case nw::Call::kSessionPost: {
      agent::HttpRequest r;
      if (nw::DecodeSessionPost(in, &r)) {
        // A timeout flag of 0 with a non-zero value is accepted but not kept.
        agent::HttpRequest again;
        std::string wire = nw::EncodeSessionPost(r);
        nw::WireReader second(wire);
        Check(nw::DecodeCallHeader(second).ok() && nw::DecodeSessionPost(second, &again));
        Check(again.url == r.url && again.body == r.body && again.headers == r.headers &&
              again.timeout == r.timeout);
      }
      break;
    }
    case nw::Call::kDecode: {
      std::string bytes;
      cwmp::content::DecodeOptions o;
      if (!nw::DecodeDecode(in, &bytes, &o)) return;
      Check(nw::EncodeDecode(bytes, o) == data);
      break;
    }
    case nw::Call::kCaCommonName: {
      std::string pem;
      if (!nw::DecodeCaCommonName(in, &pem)) return;
      Check(nw::EncodeCaCommonName(pem) == data);
      break;
    }
    case nw::Call::kVerifyFirmwareSignature: {
      agent::FirmwareManifest m;
      std::string key;
      if (!nw::DecodeVerifyFirmwareSignature(in, &m, &key)) return;
      Check(nw::EncodeVerifyFirmwareSignature(m, key) == data);
      break;
    }
  }
}

void PerformReply(std::string_view data) {
  auto r = nw::DecodePerformReply(data);
  if (!r.ok()) return;
  auto again = nw::DecodePerformReply(nw::EncodePerformReply(*r));
  Check(again.ok() && again->body == r->body && again->headers == r->headers &&
        again->http_status == r->http_status && again->error == r->error);
}

void PostReply(std::string_view data) {
  auto r = nw::DecodePostReply(data);
  if (!r.ok()) return;
  Check(nw::EncodePostReply(*r) == data);
}

void StatusReply(std::string_view data) { (void)nw::DecodeStatusReply(data); }

void DecodeReply(std::string_view data) {
  auto r = nw::DecodeDecodeReply(data);
  if (r.ok()) Check(nw::EncodeDecodeReply(*r) == data);
}

void StringReply(std::string_view data) {
  auto r = nw::DecodeStringReply(data);
  if (r.ok()) Check(nw::EncodeStringReply(*r) == data);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  if (size == 0) return 0;
  std::string_view data(reinterpret_cast<const char*>(bytes) + 1, size - 1);
  switch (bytes[0] % 6) {
    case 0:
      Request(data);
      break;
    case 1:
      PerformReply(data);
      break;
    case 2:
      PostReply(data);
      break;
    case 3:
      StatusReply(data);
      break;
    case 4:
      DecodeReply(data);
      break;
    default:
      StringReply(data);
      break;
  }
  return 0;
}
