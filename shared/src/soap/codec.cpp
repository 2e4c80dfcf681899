// Decode/Encode on top of the gSOAP runtime. One soap context per thread is reused; its
// namespace table is reset before every message, so one message never influences the next.

#include "cwmp/soap/codec.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "soap/convert.h"
#include "soap/inform_fast.h"
#include "soap/method_table.h"
#include "soap/prescan.h"
#include "soapH.h"

namespace cwmp::soap {
namespace {

using internal::PreparedBody;
using internal::Reader;
using internal::Writer;

// Index of the cwmp entry in the tables below.
constexpr int kCwmpIndex = 4;
// Every cwmp namespace version is accepted on input by the pattern; the first column is what
// is written. A SOAP 1.2 envelope is not matched, so it fails as a version mismatch.
// clang-format off
#define CWMP_SOAP_TABLE(urn)                                                                     \
  {                                                                                              \
    {"SOAP-ENV", "http://schemas.xmlsoap.org/soap/envelope/", nullptr, nullptr},                 \
    {"SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", nullptr, nullptr},                 \
    {"xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", \
     nullptr},                                                                                   \
    {"xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", nullptr},       \
    {"cwmp", urn, "urn:dslforum-org:cwmp-1-*", nullptr},                                         \
    {nullptr, nullptr, nullptr, nullptr}                                                         \
  }
// clang-format on

const Namespace kNs10[] = CWMP_SOAP_TABLE("urn:dslforum-org:cwmp-1-0");
const Namespace kNs11[] = CWMP_SOAP_TABLE("urn:dslforum-org:cwmp-1-1");
const Namespace kNs12[] = CWMP_SOAP_TABLE("urn:dslforum-org:cwmp-1-2");

const Namespace* TableFor(CwmpVersion v) {
  switch (v) {
    case CwmpVersion::k1_0:
      return kNs10;
    case CwmpVersion::k1_1:
      return kNs11;
    default:
      return kNs12;
  }
}

struct Input {
  const char* data;
  size_t size;
};

size_t ReadInput(struct soap* s, char* buf, size_t len) {
  auto* in = static_cast<Input*>(s->user);
  size_t n = std::min(len, in->size);
  std::memcpy(buf, in->data, n);
  in->data += n;
  in->size -= n;
  return n;
}

int WriteOutput(struct soap* s, const char* buf, size_t len) {
  static_cast<std::string*>(s->user)->append(buf, len);
  return SOAP_OK;
}

class Context {
 public:
  // Naming the generated global namespaces[] here also makes the linker keep it: libgsoap++
  // needs the symbol, and nothing else in a static link would pull its object file in.
  Context() : s_(soap_new1(SOAP_XML_TREE | SOAP_C_UTFSTRING)) {
    if (s_ != nullptr) soap_set_namespaces(s_, namespaces);
  }
  ~Context() {
    if (s_ != nullptr) {
      soap_destroy(s_);
      soap_end(s_);
      soap_free(s_);
    }
  }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // A clean context for one message (the previous one ended with Finish(), which freed its
  // data; each soap_end() walks gSOAP's 2,000-slot id table, so it is not repeated here).
  struct soap* Begin(const Namespace* table) {
    s_->header = nullptr;
    s_->fault = nullptr;
    s_->user = nullptr;
    s_->is = nullptr;
    s_->os = nullptr;
    soap_set_namespaces(s_, table);
    return s_;
  }
  // Frees what the message allocated (also on error).
  void Finish() {
    soap_destroy(s_);
    soap_end(s_);
    s_->user = nullptr;
  }

  struct soap* get() const {
    return s_;
  }

 private:
  struct soap* s_;
};

Context& ThreadContext() {
  thread_local Context context;
  return context;
}

// Translates a gSOAP error after a failed read.
Status ReadError(struct soap* s) {
  int e = s->error;
  const char* text = soap_fault_string(s);
  std::string detail = text != nullptr ? text : "unknown gSOAP error";
  if (e == SOAP_MUSTUNDERSTAND) {
    return Unsupported(
        "MustUnderstand: a header element with mustUnderstand=\"1\" is not "
        "understood (" +
        detail + ")");
  }
  if (e == SOAP_EOM || e == SOAP_LENGTH || e == SOAP_OCCURS) {
    return LimitExceeded("envelope exceeds a decode limit: " + detail);
  }
  if (e == SOAP_VERSIONMISMATCH) {
    return ParseError("not a SOAP 1.1 envelope: " + detail);
  }
  return ParseError("malformed CWMP envelope: " + detail);
}

std::string LocalName(std::string_view tag) {
  size_t colon = tag.rfind(':');
  return std::string(colon == std::string_view::npos ? tag : tag.substr(colon + 1));
}

Result<CwmpVersion> SeenVersion(struct soap* s) {
  const Namespace& entry = s->local_namespaces[kCwmpIndex];
  std::string_view uri = entry.out != nullptr ? entry.out : entry.ns;
  if (uri == "urn:dslforum-org:cwmp-1-0") return CwmpVersion::k1_0;
  if (uri == "urn:dslforum-org:cwmp-1-1") return CwmpVersion::k1_1;
  if (uri == "urn:dslforum-org:cwmp-1-2") return CwmpVersion::k1_2;
  if (uri == "urn:dslforum-org:cwmp-1-3") return CwmpVersion::k1_3;
  return ParseError("unknown CWMP namespace \"" + std::string(uri.substr(0, 64)) + "\"");
}

void ConvertHeader(const SOAP_ENV__Header* h, Envelope* env) {
  if (h == nullptr) return;
  if (h->cwmp__ID != nullptr) env->id = *h->cwmp__ID;
  if (h->cwmp__HoldRequests != nullptr) env->hold_requests = *h->cwmp__HoldRequests;
  if (h->cwmp__SessionTimeout != nullptr) env->session_timeout = *h->cwmp__SessionTimeout;
  if (h->cwmp__SupportedCWMPVersions != nullptr) {
    env->supported_cwmp_versions = *h->cwmp__SupportedCWMPVersions;
  }
  if (h->cwmp__UseCWMPVersion != nullptr) env->use_cwmp_version = *h->cwmp__UseCWMPVersion;
  if (h->cwmp__NoMoreRequests != nullptr) env->no_more_requests = *h->cwmp__NoMoreRequests;
}

Result<Decoded> DecodeWith(struct soap* s, const DecodeLimits& limits) {
  if (soap_begin_recv(s) != SOAP_OK) return ReadError(s);
  // gSOAP would also take a SOAP 1.2 envelope or no envelope at all (REST); CWMP is SOAP 1.1.
  if (soap_peek_element(s) != SOAP_OK) return ReadError(s);
  if (soap_match_tag(s, s->tag, "SOAP-ENV:Envelope") != SOAP_OK) {
    return ParseError("the root element <" + std::string(s->tag).substr(0, 64) +
                      "> is not a SOAP 1.1 Envelope");
  }
  if (soap_envelope_begin_in(s) != SOAP_OK || soap_recv_header(s) != SOAP_OK ||
      soap_body_begin_in(s) != SOAP_OK) {
    return ReadError(s);
  }
  Decoded out;
  ConvertHeader(s->header, &out.envelope);
  if (soap_peek_element(s) != SOAP_OK) {
    return ParseError("the SOAP Body has no element");
  }
  Reader reader(limits);
  if (soap_match_tag(s, s->tag, "SOAP-ENV:Fault") == SOAP_OK) {
    if (soap_getfault(s) != SOAP_OK || s->fault == nullptr) return ReadError(s);
    out.envelope.body = internal::ConvertFault(reader, *s->fault);
  } else {
    std::string tag = s->tag;
    int type = 0;
    void* object = soap_getelement(s, nullptr, &type);
    if (object == nullptr) {
      if (s->error != SOAP_TAG_MISMATCH && s->error != SOAP_NO_TAG) return ReadError(s);
      out.envelope.body = UnknownMethod{LocalName(tag)};
      Result<CwmpVersion> seen = SeenVersion(s);
      if (!seen.ok()) return seen.status();
      out.namespace_version = *seen;
      return out;
    }
    if (!internal::ConvertBody(reader, type, object, &out.envelope.body)) {
      out.envelope.body = UnknownMethod{LocalName(tag)};
    }
  }
  if (!reader.status().ok()) return reader.status();
  Result<CwmpVersion> seen = SeenVersion(s);
  if (!seen.ok()) return seen.status();
  out.namespace_version = *seen;
  // soap_end_recv() is not called: with SOAP_XML_TREE there are no id/href references to
  // resolve, its id-table walk was a third of the cost of a small message, and the pre-scan has
  // already checked that every element is closed. Context::Finish() frees the message.
  if (soap_body_end_in(s) != SOAP_OK || soap_envelope_end_in(s) != SOAP_OK) {
    return ReadError(s);
  }
  return out;
}

// Decode() after Prescan(), on gSOAP.
Result<Decoded> DecodeCheckedWithGsoap(std::string_view xml, const DecodeLimits& limits) {
  Context& context = ThreadContext();
  struct soap* s = context.Begin(kNs12);
  s->recv_maxlength = limits.max_bytes;
  s->maxlength = static_cast<long>(limits.max_string);
  s->maxoccurs = limits.max_items;
  s->maxlevel = static_cast<unsigned>(limits.max_depth);
  Input input{xml.data(), xml.size()};
  s->user = &input;
  s->frecv = ReadInput;
  Result<Decoded> result = DecodeWith(s, limits);
  context.Finish();
  return result;
}

std::string VersionNeed(std::string_view what, CwmpVersion need, CwmpVersion have) {
  return std::string(what) + " needs CWMP " + std::string(VersionString(need)) +
         " or later; this envelope is CWMP " + std::string(VersionString(have));
}

}  // namespace

Result<Decoded> internal::DecodeWithGsoap(std::string_view xml, const DecodeLimits& limits) {
  if (xml.empty()) {
    return InvalidArgument("an empty HTTP body is not a SOAP envelope");
  }
  CWMP_RETURN_IF_ERROR(Prescan(xml, limits));
  return DecodeCheckedWithGsoap(xml, limits);
}

Result<Decoded> Decode(std::string_view xml, const DecodeLimits& limits) {
  if (xml.empty()) {
    return InvalidArgument("an empty HTTP body is not a SOAP envelope");
  }
  CWMP_RETURN_IF_ERROR(Prescan(xml, limits));
  // The ACS's hot path: an Inform in the usual shape is read by a dedicated reader; anything it
  // does not fully understand goes to gSOAP (inform_fast.h).
  if (std::optional<Decoded> fast = internal::DecodeInformFast(xml, limits)) {
    return std::move(*fast);
  }
  return DecodeCheckedWithGsoap(xml, limits);
}

Result<std::string> Encode(const Envelope& envelope, CwmpVersion version) {
  std::string_view method = MethodName(envelope.body);
  if (const MethodInfo* info = FindMethod(method); info != nullptr && info->since > version) {
    return InvalidArgument(VersionNeed(method, info->since, version));
  }
  if (envelope.session_timeout && version < CwmpVersion::k1_3) {
    return InvalidArgument(VersionNeed("the SessionTimeout header", CwmpVersion::k1_3, version));
  }
  if (envelope.supported_cwmp_versions && version < CwmpVersion::k1_4) {
    return InvalidArgument(
        VersionNeed("the SupportedCWMPVersions header", CwmpVersion::k1_4, version));
  }
  if (envelope.use_cwmp_version) {
    if (version < CwmpVersion::k1_4) {
      return InvalidArgument(VersionNeed("the UseCWMPVersion header", CwmpVersion::k1_4, version));
    }
    if (!ParseVersion(*envelope.use_cwmp_version)) {
      return InvalidArgument("UseCWMPVersion \"" + envelope.use_cwmp_version->substr(0, 16) +
                             "\" is not a CWMP version such as 1.4");
    }
  }

  Context& context = ThreadContext();
  struct soap* s = context.Begin(TableFor(version));
  Writer w(s, version);
  PreparedBody body = internal::PrepareBody(w, envelope.body);
  if (!w.status().ok()) {
    context.Finish();
    return w.status();
  }

  bool has_header = !envelope.id.empty() || envelope.hold_requests || envelope.session_timeout ||
                    envelope.supported_cwmp_versions || envelope.use_cwmp_version ||
                    envelope.no_more_requests;
  if (has_header) {
    SOAP_ENV__Header* h = soap_new_SOAP_ENV__Header(s);
    if (!envelope.id.empty()) h->cwmp__ID = w.New(envelope.id);
    if (envelope.hold_requests) {
      h->cwmp__HoldRequests = static_cast<bool*>(soap_malloc(s, sizeof(bool)));
      *h->cwmp__HoldRequests = *envelope.hold_requests;
    }
    if (envelope.session_timeout) {
      h->cwmp__SessionTimeout = static_cast<unsigned int*>(soap_malloc(s, sizeof(unsigned int)));
      *h->cwmp__SessionTimeout = *envelope.session_timeout;
    }
    if (envelope.supported_cwmp_versions) {
      h->cwmp__SupportedCWMPVersions = w.New(*envelope.supported_cwmp_versions);
    }
    if (envelope.use_cwmp_version) h->cwmp__UseCWMPVersion = w.New(*envelope.use_cwmp_version);
    if (envelope.no_more_requests) {
      h->cwmp__NoMoreRequests = static_cast<bool*>(soap_malloc(s, sizeof(bool)));
      *h->cwmp__NoMoreRequests = true;
    }
    s->header = h;
  }

  std::string out;
  out.reserve(1024);
  s->user = &out;
  s->fsend = WriteOutput;
  s->encodingStyle = "";  // writes SOAP-ENV:encodingStyle (SOAP encoding) on the Body
  soap_serializeheader(s);
  body.serialize(s, body.object);
  bool ok = soap_begin_send(s) == SOAP_OK && soap_envelope_begin_out(s) == SOAP_OK &&
            soap_putheader(s) == SOAP_OK && soap_body_begin_out(s) == SOAP_OK &&
            body.put(s, body.object, body.tag) == SOAP_OK && soap_body_end_out(s) == SOAP_OK &&
            soap_envelope_end_out(s) == SOAP_OK && soap_end_send(s) == SOAP_OK;
  Status status;
  if (!ok) {
    const char* text = soap_fault_string(s);
    status = Internal(std::string("gSOAP failed to write the envelope: ") +
                      (text != nullptr ? text : "unknown error"));
  }
  s->header = nullptr;
  context.Finish();
  if (!status.ok()) return status;
  return out;
}

}  // namespace cwmp::soap
