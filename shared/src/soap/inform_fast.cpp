// The Inform fast path (see inform_fast.h for the accepted shape). Every check that fails
// returns false up to Read(), which returns nullopt: "not understood, ask gSOAP". The reader
// never reports an error of its own, so error messages stay those of the gSOAP path.

#include "soap/inform_fast.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

namespace cwmp::soap::internal {
namespace {

constexpr std::string_view kEnvelopeNs = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr std::string_view kEncodingNs = "http://schemas.xmlsoap.org/soap/encoding/";
constexpr std::string_view kXsiNs = "http://www.w3.org/2001/XMLSchema-instance";
constexpr std::string_view kXsdNs = "http://www.w3.org/2001/XMLSchema";
constexpr std::string_view kCwmpNsPrefix = "urn:dslforum-org:cwmp-1-";

constexpr size_t kMaxAttributes = 8;
constexpr size_t kMaxNamespaces = 16;
constexpr size_t kMaxAttributeValue = 256;

struct Attribute {
  std::string_view prefix;  // empty when none
  std::string_view local;
  std::string_view value;  // raw; never holds '&' or '<'
};

struct StartTag {
  std::string_view qname;
  std::string_view prefix;
  std::string_view local;
  std::array<Attribute, kMaxAttributes> attributes;
  size_t attribute_count = 0;
  bool self_closing = false;
};

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

class InformReader {
 public:
  InformReader(std::string_view xml, const DecodeLimits& limits) : xml_(xml), limits_(limits) {}

  std::optional<Decoded> Read() {
    Decoded out;
    if (!ReadEnvelope(&out)) return std::nullopt;
    return out;
  }

 private:
  // ---- lexical layer ---------------------------------------------------------------------

  bool Consume(std::string_view literal) {
    if (xml_.compare(pos_, literal.size(), literal) != 0) return false;
    pos_ += literal.size();
    return true;
  }

  void SkipSpace() {
    while (pos_ < xml_.size() && IsSpace(xml_[pos_])) ++pos_;
  }

  // "<?xml ...?>" at the very start; an encoding other than UTF-8 is left to gSOAP.
  bool SkipDeclaration() {
    if (!xml_.starts_with("<?xml") || xml_.size() < 6 || !IsSpace(xml_[5])) return true;
    size_t end = xml_.find("?>");
    if (end == std::string_view::npos) return false;
    std::string_view decl = xml_.substr(6, end - 6);
    // Only a plain declaration: printable ASCII without markup characters, so that the "?>"
    // found here is the one gSOAP ends the declaration at (the fuzzer found a '>' and raw bytes
    // inside one making the two readers disagree).
    for (char c : decl) {
      const unsigned char u = static_cast<unsigned char>(c);
      if ((u < 0x20 && !IsSpace(c)) || u >= 0x7F || c == '<' || c == '>' || c == '?' || c == '&') {
        return false;
      }
    }
    size_t key = decl.find("encoding");
    if (key != std::string_view::npos) {
      size_t open = decl.find_first_of("\"'", key);
      if (open == std::string_view::npos) return false;
      size_t close = decl.find(decl[open], open + 1);
      if (close == std::string_view::npos) return false;
      std::string_view name = decl.substr(open + 1, close - open - 1);
      if (!EqualsNoCase(name, "UTF-8") && !EqualsNoCase(name, "UTF8")) return false;
    }
    pos_ = end + 2;
    return true;
  }

  // A name with at most one colon (prefix:local, both non-empty), ASCII only.
  bool ReadName(std::string_view* qname, std::string_view* prefix, std::string_view* local) {
    size_t start = pos_;
    size_t colon = std::string_view::npos;
    if (pos_ >= xml_.size() || !IsNameStart(xml_[pos_])) return false;
    ++pos_;
    while (pos_ < xml_.size()) {
      char c = xml_[pos_];
      if (IsNameChar(c)) {
        ++pos_;
      } else if (c == ':' && colon == std::string_view::npos && pos_ + 1 < xml_.size() &&
                 IsNameStart(xml_[pos_ + 1])) {
        colon = pos_;
        ++pos_;
      } else {
        break;
      }
    }
    *qname = xml_.substr(start, pos_ - start);
    if (colon == std::string_view::npos) {
      *prefix = {};
      *local = *qname;
    } else {
      *prefix = xml_.substr(start, colon - start);
      *local = xml_.substr(colon + 1, pos_ - colon - 1);
    }
    return true;
  }

  bool ReadStartTag(StartTag* tag) {
    SkipSpace();
    if (!Consume("<")) return false;
    if (!ReadName(&tag->qname, &tag->prefix, &tag->local)) return false;
    tag->attribute_count = 0;
    tag->self_closing = false;
    while (true) {
      bool spaced = pos_ < xml_.size() && IsSpace(xml_[pos_]);
      SkipSpace();
      if (Consume(">")) return true;
      if (Consume("/>")) {
        tag->self_closing = true;
        return true;
      }
      if (!spaced || tag->attribute_count == kMaxAttributes) return false;
      Attribute& a = tag->attributes[tag->attribute_count];
      std::string_view qname;
      if (!ReadName(&qname, &a.prefix, &a.local)) return false;
      for (size_t i = 0; i < tag->attribute_count; ++i) {
        const Attribute& b = tag->attributes[i];
        if (b.prefix == a.prefix && b.local == a.local) return false;  // duplicate
      }
      SkipSpace();
      if (!Consume("=")) return false;
      SkipSpace();
      if (pos_ >= xml_.size() || (xml_[pos_] != '"' && xml_[pos_] != '\'')) return false;
      char quote = xml_[pos_++];
      size_t end = xml_.find(quote, pos_);
      if (end == std::string_view::npos || end - pos_ > kMaxAttributeValue) return false;
      a.value = xml_.substr(pos_, end - pos_);
      for (char c : a.value) {
        // References and white space other than ' ' are normalised by XML; leave them to gSOAP.
        if (c == '&' || c == '<' || static_cast<unsigned char>(c) < 0x20 ||
            static_cast<unsigned char>(c) >= 0x7F) {
          return false;
        }
      }
      pos_ = end + 1;
      ++tag->attribute_count;
    }
  }

  bool ReadEndTag(std::string_view qname) {
    SkipSpace();
    if (!Consume("</") || !Consume(qname)) return false;
    SkipSpace();
    return Consume(">");
  }

  // Character data up to the next '<': printable ASCII, the five predefined entities, no
  // leading or trailing space (gSOAP's white-space handling is left to gSOAP).
  bool ReadText(std::string* out) {
    size_t end = xml_.find('<', pos_);
    if (end == std::string_view::npos || end - pos_ > limits_.max_string) return false;
    std::string_view raw = xml_.substr(pos_, end - pos_);
    if (!raw.empty() && (raw.front() == ' ' || raw.back() == ' ')) return false;
    out->clear();
    out->reserve(raw.size());
    size_t i = 0;
    while (i < raw.size()) {
      size_t run = i;
      while (run < raw.size()) {
        unsigned char c = static_cast<unsigned char>(raw[run]);
        if (c < 0x20 || c >= 0x7F || c == '&' || c == '>') break;
        ++run;
      }
      out->append(raw.data() + i, run - i);
      i = run;
      if (i == raw.size()) break;
      if (raw[i] != '&') return false;
      std::string_view rest = raw.substr(i);
      if (rest.starts_with("&lt;")) {
        *out += '<';
        i += 4;
      } else if (rest.starts_with("&gt;")) {
        *out += '>';
        i += 4;
      } else if (rest.starts_with("&amp;")) {
        *out += '&';
        i += 5;
      } else if (rest.starts_with("&quot;")) {
        *out += '"';
        i += 6;
      } else if (rest.starts_with("&apos;")) {
        *out += '\'';
        i += 6;
      } else {
        return false;  // character references: gSOAP's
      }
    }
    if (!out->empty() && (out->front() == ' ' || out->back() == ' ')) return false;
    pos_ = end;
    return true;
  }

  // ---- namespaces --------------------------------------------------------------------------

  // Reads the xmlns:p="uri" declarations of the Envelope; any other attribute there, or a
  // default namespace, is not understood.
  bool DeclareNamespaces(const StartTag& tag) {
    for (size_t i = 0; i < tag.attribute_count; ++i) {
      const Attribute& a = tag.attributes[i];
      if (a.prefix != "xmlns" || namespace_count_ == kMaxNamespaces) return false;
      for (size_t j = 0; j < namespace_count_; ++j) {
        if (namespaces_[j].first == a.local) return false;
      }
      namespaces_[namespace_count_++] = {a.local, a.value};
    }
    return true;
  }

  std::optional<std::string_view> Resolve(std::string_view prefix) const {
    if (prefix.empty()) return std::nullopt;
    for (size_t i = 0; i < namespace_count_; ++i) {
      if (namespaces_[i].first == prefix) return namespaces_[i].second;
    }
    return std::nullopt;
  }

  bool InNamespace(std::string_view prefix, std::string_view ns) const {
    std::optional<std::string_view> uri = Resolve(prefix);
    return uri && *uri == ns;
  }

  // A cwmp element: its namespace must be urn:dslforum-org:cwmp-1-0 ... -1-3, the same for
  // every cwmp element of the envelope.
  bool IsCwmp(const StartTag& tag, std::string_view local) {
    if (tag.local != local) return false;
    std::optional<std::string_view> uri = Resolve(tag.prefix);
    if (!uri || uri->size() != kCwmpNsPrefix.size() + 1 || !uri->starts_with(kCwmpNsPrefix)) {
      return false;
    }
    char minor = uri->back();
    if (minor < '0' || minor > '3') return false;
    if (cwmp_ns_.empty()) {
      cwmp_ns_ = *uri;
    } else if (cwmp_ns_ != *uri) {
      return false;
    }
    return true;
  }

  static bool NoAttributes(const StartTag& tag) { return tag.attribute_count == 0; }

  bool IsEnvelopeElement(const StartTag& tag, std::string_view local) const {
    return tag.local == local && InNamespace(tag.prefix, kEnvelopeNs);
  }

  // ---- structure ---------------------------------------------------------------------------

  // <local>text</local> or <local/>, unprefixed, without attributes.
  bool ReadTextElement(std::string_view local, std::string* out) {
    StartTag tag;
    if (!ReadStartTag(&tag) || !tag.prefix.empty() || tag.local != local || !NoAttributes(tag)) {
      return false;
    }
    if (tag.self_closing) {
      out->clear();
      return true;
    }
    return ReadText(out) && ReadEndTag(tag.qname);
  }

  bool ReadUnsigned(std::string_view local, uint32_t* out) {
    std::string text;
    if (!ReadTextElement(local, &text) || text.empty() || text.size() > 10) return false;
    uint64_t n = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (n > UINT32_MAX) return false;
    *out = static_cast<uint32_t>(n);
    return true;
  }

  // Opens an unprefixed structure element; an optional SOAP-ENC:arrayType is the only
  // attribute understood (its value is not used: reading ignores declared counts).
  bool OpenList(std::string_view local, bool* empty) {
    StartTag tag;
    if (!ReadStartTag(&tag) || !tag.prefix.empty() || tag.local != local) return false;
    for (size_t i = 0; i < tag.attribute_count; ++i) {
      const Attribute& a = tag.attributes[i];
      if (a.local != "arrayType" || !InNamespace(a.prefix, kEncodingNs)) return false;
    }
    *empty = tag.self_closing;
    return true;
  }

  // True at "</" (the end of the enclosing element), after white space.
  bool AtEndTag() {
    SkipSpace();
    return xml_.compare(pos_, 2, "</") == 0;
  }

  bool ReadDeviceId(DeviceId* id) {
    StartTag tag;
    if (!ReadStartTag(&tag) || !tag.prefix.empty() || tag.local != "DeviceId" ||
        !NoAttributes(tag) || tag.self_closing) {
      return false;
    }
    return ReadTextElement("Manufacturer", &id->manufacturer) && ReadTextElement("OUI", &id->oui) &&
           ReadTextElement("ProductClass", &id->product_class) &&
           ReadTextElement("SerialNumber", &id->serial_number) && ReadEndTag(tag.qname);
  }

  bool ReadEvents(std::vector<EventStruct>* events) {
    bool empty = false;
    if (!OpenList("Event", &empty)) return false;
    if (empty) return true;
    while (!AtEndTag()) {
      StartTag tag;
      if (!ReadStartTag(&tag) || !tag.prefix.empty() || tag.local != "EventStruct" ||
          !NoAttributes(tag) || tag.self_closing || events->size() >= limits_.max_items) {
        return false;
      }
      EventStruct& e = events->emplace_back();
      if (!ReadTextElement("EventCode", &e.event_code) ||
          !ReadTextElement("CommandKey", &e.command_key) || !ReadEndTag(tag.qname)) {
        return false;
      }
    }
    return ReadEndTag("Event");
  }

  // xsi:type="p:local" with p bound to XML Schema becomes "xsd:local", as gSOAP writes the
  // QName with its own prefix for that namespace. Absent: the empty type.
  bool ReadValueType(const StartTag& tag, std::string* type) {
    type->clear();
    for (size_t i = 0; i < tag.attribute_count; ++i) {
      const Attribute& a = tag.attributes[i];
      if (a.local != "type" || !InNamespace(a.prefix, kXsiNs)) return false;
      size_t colon = a.value.find(':');
      if (colon == std::string_view::npos || !InNamespace(a.value.substr(0, colon), kXsdNs)) {
        return false;
      }
      std::string_view local = a.value.substr(colon + 1);
      if (local.empty() || !IsNameStart(local[0])) return false;
      for (char c : local) {
        if (!IsNameChar(c)) return false;
      }
      type->reserve(4 + local.size());
      type->assign("xsd:");
      type->append(local);
    }
    return true;
  }

  bool ReadParameters(std::vector<ParameterValue>* parameters) {
    bool empty = false;
    if (!OpenList("ParameterList", &empty)) return false;
    if (empty) return true;
    while (!AtEndTag()) {
      StartTag tag;
      if (!ReadStartTag(&tag) || !tag.prefix.empty() || tag.local != "ParameterValueStruct" ||
          !NoAttributes(tag) || tag.self_closing || parameters->size() >= limits_.max_items) {
        return false;
      }
      ParameterValue& p = parameters->emplace_back();
      if (!ReadTextElement("Name", &p.name)) return false;
      StartTag value;
      if (!ReadStartTag(&value) || !value.prefix.empty() || value.local != "Value" ||
          !ReadValueType(value, &p.type)) {
        return false;
      }
      if (value.self_closing) {
        p.value.clear();
      } else if (!ReadText(&p.value) || !ReadEndTag(value.qname)) {
        return false;
      }
      if (!ReadEndTag(tag.qname)) return false;
    }
    return ReadEndTag("ParameterList");
  }

  bool ReadInform(Inform* inform) {
    StartTag tag;
    if (!ReadStartTag(&tag) || !IsCwmp(tag, "Inform") || !NoAttributes(tag) || tag.self_closing) {
      return false;
    }
    inform->parameters.reserve(32);
    return ReadDeviceId(&inform->device_id) && ReadEvents(&inform->events) &&
           ReadUnsigned("MaxEnvelopes", &inform->max_envelopes) &&
           ReadTextElement("CurrentTime", &inform->current_time) &&
           ReadUnsigned("RetryCount", &inform->retry_count) &&
           ReadParameters(&inform->parameters) && ReadEndTag(tag.qname);
  }

  // <P:Header> with at most a cwmp:ID; the Header start tag is already read.
  bool ReadHeader(const StartTag& header, Envelope* envelope) {
    if (!NoAttributes(header)) return false;
    if (header.self_closing) return true;
    if (AtEndTag()) return ReadEndTag(header.qname);
    StartTag id;
    if (!ReadStartTag(&id) || !IsCwmp(id, "ID")) return false;
    for (size_t i = 0; i < id.attribute_count; ++i) {
      const Attribute& a = id.attributes[i];
      if (a.local != "mustUnderstand" || !InNamespace(a.prefix, kEnvelopeNs) ||
          (a.value != "0" && a.value != "1" && a.value != "true" && a.value != "false")) {
        return false;
      }
    }
    if (!id.self_closing && (!ReadText(&envelope->id) || !ReadEndTag(id.qname))) return false;
    return ReadEndTag(header.qname);
  }

  bool ReadEnvelope(Decoded* out) {
    if (!SkipDeclaration()) return false;
    StartTag envelope;
    if (!ReadStartTag(&envelope) || envelope.self_closing || !DeclareNamespaces(envelope) ||
        !IsEnvelopeElement(envelope, "Envelope")) {
      return false;
    }
    StartTag tag;
    if (!ReadStartTag(&tag)) return false;
    if (IsEnvelopeElement(tag, "Header")) {
      if (!ReadHeader(tag, &out->envelope) || !ReadStartTag(&tag)) return false;
    }
    if (!IsEnvelopeElement(tag, "Body") || tag.self_closing) return false;
    for (size_t i = 0; i < tag.attribute_count; ++i) {
      const Attribute& a = tag.attributes[i];
      if (a.local != "encodingStyle" || !InNamespace(a.prefix, kEnvelopeNs) ||
          a.value != kEncodingNs) {
        return false;
      }
    }
    Inform inform;
    if (!ReadInform(&inform) || !ReadEndTag(tag.qname) || !ReadEndTag(envelope.qname)) {
      return false;
    }
    SkipSpace();
    if (pos_ != xml_.size()) return false;
    switch (cwmp_ns_.back()) {
      case '0':
        out->namespace_version = CwmpVersion::k1_0;
        break;
      case '1':
        out->namespace_version = CwmpVersion::k1_1;
        break;
      case '2':
        out->namespace_version = CwmpVersion::k1_2;
        break;
      default:
        out->namespace_version = CwmpVersion::k1_3;
        break;
    }
    out->envelope.body = std::move(inform);
    return true;
  }

  std::string_view xml_;
  const DecodeLimits& limits_;
  size_t pos_ = 0;
  std::array<std::pair<std::string_view, std::string_view>, kMaxNamespaces> namespaces_;
  size_t namespace_count_ = 0;
  std::string_view cwmp_ns_;
};

}  // namespace

std::optional<Decoded> DecodeInformFast(std::string_view xml, const DecodeLimits& limits) {
  return InformReader(xml, limits).Read();
}

}  // namespace cwmp::soap::internal
