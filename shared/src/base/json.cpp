// Strict JSON: a recursive-descent parser with explicit bounds, and a compact serializer.
#include "cwmp/base/json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace cwmp::json {

const char* TypeName(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kInt:
      return "integer";
    case Type::kDouble:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "?";
}

double Value::as_double() const {
  if (is_int()) return static_cast<double>(as_int());
  return std::get<double>(v_);
}

Array& Value::mutable_array() {
  auto& p = std::get<std::shared_ptr<Array>>(v_);
  if (p.use_count() > 1) p = std::make_shared<Array>(*p);
  return *p;
}

Object& Value::mutable_object() {
  auto& p = std::get<std::shared_ptr<Object>>(v_);
  if (p.use_count() > 1) p = std::make_shared<Object>(*p);
  return *p;
}

const Value* Value::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : as_object()) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Value::Set(std::string key, Value value) {
  Object& o = mutable_object();
  for (auto& [k, v] : o) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  o.emplace_back(std::move(key), std::move(value));
}

void Value::Push(Value value) { mutable_array().push_back(std::move(value)); }

bool Value::operator==(const Value& other) const {
  if (type() != other.type()) return false;
  switch (type()) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return as_bool() == other.as_bool();
    case Type::kInt:
      return as_int() == other.as_int();
    case Type::kDouble:
      return std::get<double>(v_) == std::get<double>(other.v_);
    case Type::kString:
      return as_string() == other.as_string();
    case Type::kArray:
      return as_array() == other.as_array();
    case Type::kObject:
      return as_object() == other.as_object();
  }
  return false;
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : s_(text), limits_(limits) {}

  Result<Value> Run() {
    if (s_.size() > limits_.max_bytes) {
      return LimitExceeded("JSON text of " + std::to_string(s_.size()) + " bytes exceeds the " +
                           std::to_string(limits_.max_bytes) + "-byte limit");
    }
    Value v;
    SkipWs();
    if (!ParseValue(&v, 0)) return std::move(err_);
    SkipWs();
    if (pos_ != s_.size()) return Fail("unexpected data after the JSON value");
    return v;
  }

 private:
  Status Fail(const std::string& what, StatusCode code = StatusCode::kParseError) {
    if (err_.ok()) err_ = Status(code, "offset " + std::to_string(pos_) + ": " + what);
    return err_;
  }
  bool Error(const std::string& what, StatusCode code = StatusCode::kParseError) {
    (void)Fail(what, code);
    return false;
  }

  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Error("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool ParseValue(Value* out, size_t depth) {
    if (pos_ >= s_.size()) return Error("unexpected end of input, expected a value");
    char c = s_[pos_];
    switch (c) {
      case 'n':
        *out = Value();
        return Literal("null");
      case 't':
        *out = Value(true);
        return Literal("true");
      case 'f':
        *out = Value(false);
        return Literal("false");
      case '"': {
        std::string str;
        if (!ParseString(&str)) return false;
        *out = Value(std::move(str));
        return true;
      }
      case '[':
        return ParseArray(out, depth + 1);
      case '{':
        return ParseObject(out, depth + 1);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
        return Error(std::string("unexpected character '") + Printable(c) + "'");
    }
  }

  static std::string Printable(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string(1, c);
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", u);
    return buf;
  }

  bool CheckDepth(size_t depth) {
    if (depth > limits_.max_depth) {
      return Error("nesting deeper than " + std::to_string(limits_.max_depth),
                   StatusCode::kLimitExceeded);
    }
    return true;
  }

  bool ParseArray(Value* out, size_t depth) {
    if (!CheckDepth(depth)) return false;
    ++pos_;  // '['
    Array items;
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      *out = Value(std::move(items));
      return true;
    }
    while (true) {
      if (items.size() >= limits_.max_items) {
        return Error("array longer than " + std::to_string(limits_.max_items) + " items",
                     StatusCode::kLimitExceeded);
      }
      SkipWs();
      Value v;
      if (!ParseValue(&v, depth)) return false;
      items.push_back(std::move(v));
      SkipWs();
      if (pos_ >= s_.size()) return Error("unexpected end of input in an array");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        break;
      }
      return Error("expected ',' or ']'");
    }
    *out = Value(std::move(items));
    return true;
  }

  bool ParseObject(Value* out, size_t depth) {
    if (!CheckDepth(depth)) return false;
    ++pos_;  // '{'
    Object members;
    std::map<std::string, bool, std::less<>> seen;
    SkipWs();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      *out = Value(std::move(members));
      return true;
    }
    while (true) {
      if (members.size() >= limits_.max_items) {
        return Error("object with more than " + std::to_string(limits_.max_items) + " members",
                     StatusCode::kLimitExceeded);
      }
      SkipWs();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Error("expected a string key");
      size_t key_at = pos_;
      std::string key;
      if (!ParseString(&key)) return false;
      if (!seen.emplace(key, true).second) {
        pos_ = key_at;
        return Error("duplicate key \"" + key + "\"");
      }
      SkipWs();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Error("expected ':'");
      ++pos_;
      SkipWs();
      Value v;
      if (!ParseValue(&v, depth)) return false;
      members.emplace_back(std::move(key), std::move(v));
      SkipWs();
      if (pos_ >= s_.size()) return Error("unexpected end of input in an object");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        break;
      }
      return Error("expected ',' or '}'");
    }
    *out = Value(std::move(members));
    return true;
  }

  bool Hex4(uint32_t* out) {
    if (pos_ + 4 > s_.size()) return Error("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_ + i];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else
        return Error("invalid \\u escape");
    }
    pos_ += 4;
    *out = v;
    return true;
  }

  static void AppendUtf8(std::string* out, uint32_t cp) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // Validates one UTF-8 sequence starting at pos_ and copies it.
  bool CopyUtf8(std::string* out) {
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    size_t len;
    uint32_t cp;
    if (c < 0xC2) return Error("invalid UTF-8");
    if (c < 0xE0) {
      len = 2;
      cp = c & 0x1F;
    } else if (c < 0xF0) {
      len = 3;
      cp = c & 0x0F;
    } else if (c < 0xF5) {
      len = 4;
      cp = c & 0x07;
    } else
      return Error("invalid UTF-8");
    if (pos_ + len > s_.size()) return Error("truncated UTF-8 sequence");
    for (size_t i = 1; i < len; ++i) {
      unsigned char cc = static_cast<unsigned char>(s_[pos_ + i]);
      if ((cc & 0xC0) != 0x80) return Error("invalid UTF-8");
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return Error("invalid UTF-8");
    }
    out->append(s_.substr(pos_, len));
    pos_ += len;
    return true;
  }

  bool ParseString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (out->size() > limits_.max_string) {
        return Error("string longer than " + std::to_string(limits_.max_string) + " bytes",
                     StatusCode::kLimitExceeded);
      }
      if (pos_ >= s_.size()) return Error("unterminated string");
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Error("control character in a string");
      if (c >= 0x80) {
        if (!CopyUtf8(out)) return false;
        continue;
      }
      if (c != '\\') {
        out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= s_.size()) return Error("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return Error("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(pos_, 2) != "\\u") return Error("lone high surrogate");
            pos_ += 2;
            uint32_t lo;
            if (!Hex4(&lo)) return false;
            if (lo < 0xDC00 || lo > 0xDFFF) return Error("invalid surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return Error("invalid escape");
      }
    }
  }

  bool ParseNumber(Value* out) {
    size_t start = pos_;
    bool is_integer = true;
    if (s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') return Error("invalid number");
    if (s_[pos_] == '0') {
      ++pos_;
      if (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        return Error("leading zero in a number");
      }
    } else {
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    if (pos_ < s_.size() && s_[pos_] == '.') {
      is_integer = false;
      ++pos_;
      if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') {
        return Error("expected a digit after '.'");
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      is_integer = false;
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') {
        return Error("expected a digit in the exponent");
      }
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    std::string_view lit = s_.substr(start, pos_ - start);
    if (lit.size() > 400) return Error("number literal too long", StatusCode::kLimitExceeded);
    if (is_integer) {
      int64_t i = 0;
      auto [p, ec] = std::from_chars(lit.data(), lit.data() + lit.size(), i);
      if (ec == std::errc() && p == lit.data() + lit.size()) {
        *out = Value(i);
        return true;
      }
    }
    std::string copy(lit);
    char* end = nullptr;
    double d = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !std::isfinite(d)) {
      pos_ = start;
      return Error("number out of range");
    }
    *out = Value(d);
    return true;
  }

  std::string_view s_;
  const JsonLimits& limits_;
  size_t pos_ = 0;
  Status err_;
};

void QuoteInto(std::string* out, std::string_view text) {
  out->push_back('"');
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out->append(buf);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void SerializeInto(std::string* out, const Value& v) {
  switch (v.type()) {
    case Type::kNull:
      out->append("null");
      return;
    case Type::kBool:
      out->append(v.as_bool() ? "true" : "false");
      return;
    case Type::kInt:
      out->append(std::to_string(v.as_int()));
      return;
    case Type::kDouble: {
      double d = v.as_double();
      if (!std::isfinite(d)) {
        out->append("null");
        return;
      }
      char buf[64];
      auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
      std::string_view text(buf, ec == std::errc() ? static_cast<size_t>(p - buf) : 0);
      out->append(text);
      // Keep it a double on re-parse: "1e+20" and "2.5" are, "3" would become an integer.
      if (text.find_first_of(".eE") == std::string_view::npos) out->append(".0");
      return;
    }
    case Type::kString:
      QuoteInto(out, v.as_string());
      return;
    case Type::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Value& item : v.as_array()) {
        if (!first) out->push_back(',');
        first = false;
        SerializeInto(out, item);
      }
      out->push_back(']');
      return;
    }
    case Type::kObject: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, item] : v.as_object()) {
        if (!first) out->push_back(',');
        first = false;
        QuoteInto(out, k);
        out->push_back(':');
        SerializeInto(out, item);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

Result<Value> Parse(std::string_view text, const JsonLimits& limits) {
  return Parser(text, limits).Run();
}

std::string Serialize(const Value& value) {
  std::string out;
  SerializeInto(&out, value);
  return out;
}

std::string Quote(std::string_view text) {
  std::string out;
  QuoteInto(&out, text);
  return out;
}

}  // namespace cwmp::json
