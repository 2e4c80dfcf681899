// ParseFlatProfile: the shared pre-checks, then the fast reader (flat_profile_fast.h) for
// profiles in the usual shape, else the reader below on libxml2's SAX2 interface (one pass, no
// tree, no DTD), which is the reference for both.
//
// Security policy (docs/flat-profile.md): the size limit is checked before libxml2 sees a byte;
// a DOCTYPE stops the parser in the internalSubset callback, before its internal subset (where
// entities would be declared) is read; no entity handler is installed and the options never
// include XML_PARSE_NOENT or XML_PARSE_DTDLOAD; XML_PARSE_NONET forbids network access; the
// declared encoding must be UTF-8 and XML_PARSE_IGNORE_ENC keeps libxml2 from switching.

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <mutex>
#include <string>

#include "cwmp/prov/flat_profile.h"
#include "prov/flat_profile_fast.h"
#include "prov/flat_profile_position.h"
#include "prov/flat_profile_text.h"

namespace cwmp::prov {
namespace {

constexpr std::string_view kFlatProfile = "flat-profile";
constexpr std::string_view kDevice = "device";

void InitLibxml2Once() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

std::string At(int line, int column, std::string_view message) {
  std::string out = std::to_string(line);
  out += ':';
  out += std::to_string(column);
  out += ": ";
  out += message;
  return out;
}

struct ParseState {
  ParseState(std::string_view text, const ParseLimits& l) : xml(text), limits(l), positions(text) {}

  std::string_view xml;
  const ParseLimits& limits;
  PositionMap positions;
  xmlParserCtxtPtr ctxt = nullptr;
  FlatProfile profile;

  bool failed = false;
  Status error;

  int depth = 0;              // elements currently open
  int flat_depth = 0;         // depth of the open <flat-profile>, 0 when none is open
  int skip_depth = 0;         // depth of the skipped <device> child, 0 when none
  bool in_parameter = false;  // a parameter element (depth == flat_depth + 1) is open
  bool parameter_ua_only = false;
};

// Callbacks receive the parser context (its default userData); the state is its _private.
ParseState* StateOf(void* ctx) {
  return static_cast<ParseState*>(static_cast<xmlParserCtxtPtr>(ctx)->_private);
}

// Byte offset of the parser's cursor in the caller's input.
size_t CursorOffset(const ParseState& s) {
  const xmlParserInputPtr in = s.ctxt->input;
  return static_cast<size_t>(in->consumed) + static_cast<size_t>(in->cur - in->base);
}

// Offset of the '<' that opened the start tag the parser has just read. While startElementNs
// runs, the cursor is on the tag's closing ">" or "/>"; attribute values cannot hold a raw
// '<', so the nearest '<' before the cursor opened the tag.
size_t TagStart(const ParseState& s) {
  size_t offset = std::min(CursorOffset(s), s.xml.size());
  const void* lt = memrchr(s.xml.data(), '<', offset);  // glibc's vectorised backward search
  return lt == nullptr ? offset : static_cast<size_t>(static_cast<const char*>(lt) - s.xml.data());
}

bool CursorAtEmptyElementEnd(const ParseState& s) {
  const xmlChar* cur = s.ctxt->input->cur;
  return cur[0] == '/' && cur[1] == '>';
}

void Fail(ParseState& s, size_t offset, Status status) {
  if (s.failed) return;
  int line = 0;
  int column = 0;
  s.positions.Locate(offset, &line, &column);
  s.failed = true;
  s.error = Status(status.code(), At(line, column, status.message()));
  xmlStopParser(s.ctxt);
}

// The element's name as written ("prefix:local" when it has a prefix), without copying.
struct NameView {
  std::string_view prefix;  // empty when none
  std::string_view local;
  size_t size() const { return prefix.empty() ? local.size() : prefix.size() + 1 + local.size(); }
  bool Is(std::string_view name) const { return prefix.empty() && local == name; }
  std::string str() const {
    std::string out;
    out.reserve(size());
    if (!prefix.empty()) {
      out += prefix;
      out += ':';
    }
    out += local;
    return out;
  }
};

void OnStartElement(void* ctx, const xmlChar* localname, const xmlChar* prefix,
                    const xmlChar* /*uri*/, int /*nb_namespaces*/, const xmlChar** /*namespaces*/,
                    int nb_attributes, int /*nb_defaulted*/, const xmlChar** attributes) {
  ParseState& s = *StateOf(ctx);
  if (s.failed) return;
  ++s.depth;
  if (s.depth > s.limits.max_depth) {
    Fail(s, TagStart(s),
         LimitExceeded("elements nested deeper than the limit of " +
                       std::to_string(s.limits.max_depth)));
    return;
  }
  if (s.skip_depth != 0) return;  // inside an ignored child of <device>

  NameView name{prefix != nullptr ? reinterpret_cast<const char*>(prefix) : std::string_view(),
                reinterpret_cast<const char*>(localname)};
  if (name.size() > s.limits.max_name_bytes) {
    Fail(s, TagStart(s),
         LimitExceeded("element name of " + std::to_string(name.size()) +
                       " bytes is longer than the limit of " +
                       std::to_string(s.limits.max_name_bytes)));
    return;
  }

  if (s.depth == 1) {
    if (name.Is(kFlatProfile)) {
      s.flat_depth = 1;
    } else if (!name.Is(kDevice)) {
      Fail(s, TagStart(s),
           ParseError("root element <" + name.str() + "> is not <flat-profile> or <device>"));
    }
    return;
  }
  if (s.flat_depth == 0) {
    // A child of <device>: <flat-profile> holds parameters; anything else is skipped whole.
    if (name.Is(kFlatProfile)) {
      s.flat_depth = s.depth;
    } else {
      s.skip_depth = s.depth;
    }
    return;
  }
  if (s.in_parameter) {
    const std::string& parent = s.profile.elements.back().name;
    Fail(s, TagStart(s),
         ParseError(parent + ": element <" + name.str() +
                    "> inside a parameter; parameter values are text"));
    return;
  }

  // A parameter element.
  size_t tag_start = TagStart(s);
  if (!name.prefix.empty()) {
    // Parameter names have no namespace; a serialized profile could not even declare one.
    Fail(s, tag_start, ParseError(name.str() + ": namespace prefixes are not allowed"));
    return;
  }
  if (s.profile.elements.size() >= s.limits.max_elements) {
    Fail(s, tag_start,
         LimitExceeded("more than " + std::to_string(s.limits.max_elements) +
                       " parameter elements"));
    return;
  }
  std::optional<Access> ua;
  for (int i = 0; i < nb_attributes; ++i) {
    const xmlChar** attr = attributes + 5 * i;  // localname, prefix, URI, value, end
    if (attr[1] != nullptr || std::strcmp(reinterpret_cast<const char*>(attr[0]), "ua") != 0) {
      continue;  // other attributes carry nothing for the phone
    }
    std::string_view value(reinterpret_cast<const char*>(attr[3]),
                           static_cast<size_t>(attr[4] - attr[3]));
    ua = ParseAccess(value);
    if (!ua) {
      std::string shown(value.substr(0, 64));
      Fail(s, tag_start,
           ParseError(name.str() + ": ua=\"" + shown + "\" is not \"na\", \"ro\" or \"rw\""));
      return;
    }
  }
  ProfileElement& e = s.profile.elements.emplace_back();
  e.name.assign(name.local);  // no prefix here (refused above)
  e.ua = ua;
  s.positions.Locate(tag_start, &e.line, &e.column);
  s.in_parameter = true;
  // <X ua="rw"/> changes the access only; <X/> and <X ua="rw"></X> set the empty string.
  s.parameter_ua_only = ua.has_value() && CursorAtEmptyElementEnd(s);
  e.value.emplace();  // text is appended here as it arrives, then normalised in place
}

void OnEndElement(void* ctx, const xmlChar* /*localname*/, const xmlChar* /*prefix*/,
                  const xmlChar* /*uri*/) {
  ParseState& s = *StateOf(ctx);
  if (s.failed) return;
  if (s.skip_depth == s.depth) {
    s.skip_depth = 0;
  } else if (s.in_parameter && s.depth == s.flat_depth + 1) {
    ProfileElement& e = s.profile.elements.back();
    if (s.parameter_ua_only) {
      e.value.reset();
    } else {
      NormalizeValue(*e.value);
    }
    s.in_parameter = false;
  } else if (s.depth == s.flat_depth) {
    s.flat_depth = 0;
  }
  --s.depth;
}

void OnCharacters(void* ctx, const xmlChar* ch, int len) {
  ParseState& s = *StateOf(ctx);
  if (s.failed || !s.in_parameter) return;  // text between parameters is ignored
  std::string& value = *s.profile.elements.back().value;
  if (value.size() + static_cast<size_t>(len) > s.limits.max_value_bytes) {
    Fail(s, CursorOffset(s),
         LimitExceeded(s.profile.elements.back().name + ": value longer than the limit of " +
                       std::to_string(s.limits.max_value_bytes) + " bytes"));
    return;
  }
  value.append(reinterpret_cast<const char*>(ch), static_cast<size_t>(len));
}

void OnInternalSubset(void* ctx, const xmlChar* /*name*/, const xmlChar* /*external_id*/,
                      const xmlChar* /*system_id*/) {
  ParseState& s = *StateOf(ctx);
  size_t offset = std::min(CursorOffset(s), s.xml.size());
  size_t start = s.xml.rfind("<!DOCTYPE", offset);
  Fail(s, start == std::string_view::npos ? offset : start,
       ParseError("DOCTYPE is not allowed in a flat profile (no DTDs, no entity declarations)"));
}

// Never resolves an entity: only the five predefined ones (handled inside libxml2) exist.
xmlEntityPtr OnGetEntity(void* /*ctx*/, const xmlChar* /*name*/) { return nullptr; }

// xmlStructuredErrorFunc takes xmlErrorPtr before libxml2 2.12 and const xmlError* after.
template <typename ErrorT>
void OnError(void* ctx, ErrorT* error) {
  ParseState* state = ctx != nullptr ? StateOf(ctx) : nullptr;
  if (state == nullptr || state->failed || error == nullptr || error->level == XML_ERR_WARNING) {
    return;  // no parse of ours is running, or its first error is already recorded
  }
  ParseState& s = *state;
  std::string message = error->message != nullptr ? error->message : "malformed XML";
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  for (char& c : message) {
    if (c == '\n') c = ' ';  // one line per error ("...UTF-8, indicate encoding ! Bytes: ...")
  }
  int line = error->line;
  int column = error->int2;
  if (line <= 0) {
    s.positions.Locate(CursorOffset(s), &line, &column);
  }
  if (column <= 0) column = 1;
  s.failed = true;
  s.error = ParseError(At(line, column, message));
}

// The XML declaration, if any, must not name another encoding than UTF-8.
Status CheckEncoding(std::string_view xml) {
  if (xml.size() >= 2 &&
      ((xml[0] == '\xFE' && xml[1] == '\xFF') || (xml[0] == '\xFF' && xml[1] == '\xFE'))) {
    return ParseError(At(1, 1, "UTF-16 input; flat profiles are UTF-8"));
  }
  for (size_t i = 0; i < std::min<size_t>(xml.size(), 4); ++i) {
    if (xml[i] == '\0') return ParseError(At(1, 1, "UTF-16/32 input; flat profiles are UTF-8"));
  }
  size_t begin = xml.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  std::string_view rest = xml.substr(begin);
  if (!rest.starts_with("<?xml") || rest.size() < 6 ||
      std::string_view(" \t\r\n").find(rest[5]) == std::string_view::npos) {
    return Status::Ok();
  }
  size_t end = rest.find("?>");
  std::string_view decl = rest.substr(0, end);
  size_t key = decl.find("encoding");
  if (key == std::string_view::npos) return Status::Ok();
  size_t eq = decl.find_first_not_of(" \t\r\n", key + 8);
  if (eq == std::string_view::npos || decl[eq] != '=') return Status::Ok();  // libxml2 reports
  size_t quote = decl.find_first_not_of(" \t\r\n", eq + 1);
  if (quote == std::string_view::npos || (decl[quote] != '"' && decl[quote] != '\'')) {
    return Status::Ok();
  }
  size_t close = decl.find(decl[quote], quote + 1);
  if (close == std::string_view::npos) return Status::Ok();
  std::string_view name = decl.substr(quote + 1, close - quote - 1);
  auto iequals = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  if (iequals(name, "UTF-8") || iequals(name, "UTF8")) return Status::Ok();
  PositionMap positions(xml);
  int line = 0;
  int column = 0;
  positions.Locate(begin + quote + 1, &line, &column);
  return ParseError(At(line, column,
                       "encoding \"" + std::string(name.substr(0, 64)) +
                           "\" is not supported; flat profiles are UTF-8"));
}

xmlSAXHandler Handler() {
  xmlSAXHandler sax;
  std::memset(&sax, 0, sizeof(sax));
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = OnStartElement;
  sax.endElementNs = OnEndElement;
  sax.characters = OnCharacters;
  sax.ignorableWhitespace = OnCharacters;
  sax.cdataBlock = OnCharacters;
  sax.internalSubset = OnInternalSubset;
  sax.getEntity = OnGetEntity;
  sax.getParameterEntity = OnGetEntity;
  sax.serror = OnError;
  return sax;
}

// A libxml2 parser context per thread, reused by every parse on that thread: creating one
// (with its name dictionary) costs about as much as parsing a full profile. It is rebuilt
// when its dictionary holds many names, so profiles full of distinct names cannot make it
// grow without bound.
class ContextHolder {
 public:
  ContextHolder() = default;
  ContextHolder(const ContextHolder&) = delete;
  ContextHolder& operator=(const ContextHolder&) = delete;
  ~ContextHolder() { Reset(); }

  xmlParserCtxtPtr Get() {
    constexpr size_t kMaxDictNames = 20000;
    if (ctxt_ != nullptr && xmlDictSize(ctxt_->dict) > static_cast<int>(kMaxDictNames)) Reset();
    if (ctxt_ == nullptr) {
      ctxt_ = xmlNewParserCtxt();
      if (ctxt_ == nullptr) return nullptr;
      *ctxt_->sax = Handler();  // the context owns a whole xmlSAXHandler; overwrite it
    }
    return ctxt_;
  }

 private:
  void Reset() {
    if (ctxt_ != nullptr) xmlFreeParserCtxt(ctxt_);
    ctxt_ = nullptr;
  }
  xmlParserCtxtPtr ctxt_ = nullptr;
};

xmlParserCtxtPtr ThreadContext() {
  thread_local ContextHolder holder;
  return holder.Get();
}

// What both readers require before they look at the input: the size limit (before anything
// else), a non-empty input, and UTF-8.
Status Precheck(std::string_view xml, const ParseLimits& limits) {
  if (xml.size() > limits.max_bytes || xml.size() > static_cast<size_t>(INT_MAX)) {
    return LimitExceeded(At(1, 1,
                            "profile of " + std::to_string(xml.size()) +
                                " bytes is larger than the limit of " +
                                std::to_string(limits.max_bytes)));
  }
  if (xml.empty()) return ParseError(At(1, 1, "empty profile"));
  return CheckEncoding(xml);
}

Result<FlatProfile> ParseWithLibxml2(std::string_view xml, const ParseLimits& limits) {
  InitLibxml2Once();

  ParseState state(xml, limits);
  // A full profile averages 50-70 bytes per parameter; reserving avoids most regrowth.
  state.profile.elements.reserve(std::min(xml.size() / 48 + 16, limits.max_elements));

  xmlParserCtxtPtr ctxt = ThreadContext();
  if (ctxt == nullptr) return Internal("libxml2 could not create a parser context");
  ctxt->_private = &state;
  state.ctxt = ctxt;
  // xmlCtxtReadMemory copies the input into its own buffer. (A static buffer over the
  // caller's bytes would save the copy, but libxml2 2.9 then mis-tracks positions.)
  xmlDocPtr doc = xmlCtxtReadMemory(ctxt, xml.data(), static_cast<int>(xml.size()), nullptr,
                                    nullptr, XML_PARSE_NONET | XML_PARSE_IGNORE_ENC);
  if (doc != nullptr) xmlFreeDoc(doc);  // never built: the handler has no tree callbacks
  bool well_formed = ctxt->wellFormed != 0;
  int line = ctxt->input != nullptr ? ctxt->input->line : 0;
  int column = ctxt->input != nullptr ? ctxt->input->col : 0;
  ctxt->_private = nullptr;

  if (state.failed) return state.error;
  if (!well_formed) return ParseError(At(std::max(line, 1), std::max(column, 1), "malformed XML"));
  return std::move(state.profile);
}

}  // namespace

Result<FlatProfile> ParseFlatProfile(std::string_view xml, const ParseLimits& limits) {
  CWMP_RETURN_IF_ERROR(Precheck(xml, limits));
  if (std::optional<FlatProfile> fast = internal::ParseFlatProfileFast(xml, limits)) {
    return std::move(*fast);
  }
  return ParseWithLibxml2(xml, limits);
}

namespace internal {

Result<FlatProfile> ParseFlatProfileLibxml2(std::string_view xml, const ParseLimits& limits) {
  CWMP_RETURN_IF_ERROR(Precheck(xml, limits));
  return ParseWithLibxml2(xml, limits);
}

}  // namespace internal

}  // namespace cwmp::prov
