#include "cwmp/prov/condition.h"

#include <cstdint>
#include <string>
#include <vector>

#include "cwmp/prov/version.h"

namespace cwmp::prov {
namespace {

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };
enum class Kind { kInteger, kVersion, kString };

struct Operand {
  Kind kind;
  int64_t integer = 0;
  FirmwareVersion version;
  std::string_view text;  // string contents (without quotes) or the bare word
  size_t column = 0;
};

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kInteger:
      return "integer";
    case Kind::kVersion:
      return "version";
    case Kind::kString:
      return "quoted string";
  }
  return "?";
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsOperatorChar(char c) { return c == '=' || c == '!' || c == '<' || c == '>'; }
bool IsWordChar(char c) {
  return !IsSpace(c) && !IsOperatorChar(c) && c != '"' && c != '(' && c != ')';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string Col(size_t pos) { return "column " + std::to_string(pos + 1); }
std::string Shown(std::string_view s) {
  return "\"" + std::string(s.substr(0, 40)) + (s.size() > 40 ? "...\"" : "\"");
}

class Parser {
 public:
  explicit Parser(std::string_view text) : t_(text) {}

  // Parses and (unless check_only) evaluates the whole condition.
  Result<bool> Run(bool check_only) {
    bool all = true;
    SkipSpace();
    if (pos_ >= t_.size()) return ParseError("condition is empty");
    while (true) {
      Result<bool> r = Comparison(check_only);
      if (!r.ok()) return r.status();
      all = all && r.value();
      SkipSpace();
      if (pos_ >= t_.size()) break;
      size_t at = pos_;
      std::string_view word = Word();
      if (!EqualsIgnoreCase(word, "and")) {
        return ParseError("condition: expected \"and\" or end at " + Col(at) + ", found " +
                          Shown(word.empty() ? t_.substr(at, 1) : word));
      }
      SkipSpace();
      if (pos_ >= t_.size())
        return ParseError("condition: missing comparison after \"and\" at " + Col(at));
    }
    return all;
  }

 private:
  void SkipSpace() {
    while (pos_ < t_.size() && IsSpace(t_[pos_])) ++pos_;
  }
  std::string_view Word() {
    size_t start = pos_;
    while (pos_ < t_.size() && IsWordChar(t_[pos_])) ++pos_;
    return t_.substr(start, pos_ - start);
  }

  Result<Operand> ReadOperand() {
    SkipSpace();
    Operand o;
    o.column = pos_;
    if (pos_ >= t_.size()) return ParseError("condition: missing operand at " + Col(pos_));
    char c = t_[pos_];
    if (c == '"') {
      size_t close = t_.find('"', pos_ + 1);
      if (close == std::string_view::npos) {
        return ParseError("condition: unterminated quoted string starting at " + Col(pos_));
      }
      o.kind = Kind::kString;
      o.text = t_.substr(pos_ + 1, close - pos_ - 1);
      pos_ = close + 1;
      return o;
    }
    if (c == '(' || c == ')') {
      return ParseError("condition: parentheses are not allowed inside a condition (" + Col(pos_) +
                        ")");
    }
    std::string_view w = Word();
    if (w.empty()) return ParseError("condition: missing operand at " + Col(o.column));
    o.text = w;
    if (IsInteger(w)) {
      o.kind = Kind::kInteger;
      if (!ParseInteger(w, &o.integer)) {
        return InvalidArgument("condition: integer " + Shown(w) + " at " + Col(o.column) +
                               " is out of range");
      }
      return o;
    }
    if (LooksLikeFirmwareVersion(w)) {
      o.kind = Kind::kVersion;
      Result<FirmwareVersion> v = ParseFirmwareVersion(w);
      if (!v.ok()) return v.status();
      o.version = std::move(v.value());
      return o;
    }
    return ParseError("condition: " + Shown(w) + " at " + Col(o.column) +
                      " is not an integer, a version (sip68xx.11-0-1MPP-BN) or a quoted string");
  }

  static bool IsInteger(std::string_view w) {
    size_t i = (!w.empty() && w[0] == '-') ? 1 : 0;
    if (i >= w.size()) return false;
    for (; i < w.size(); ++i) {
      if (w[i] < '0' || w[i] > '9') return false;
    }
    return true;
  }
  static bool ParseInteger(std::string_view w, int64_t* out) {
    bool neg = w[0] == '-';
    uint64_t limit = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    uint64_t v = 0;
    for (size_t i = neg ? 1 : 0; i < w.size(); ++i) {
      uint64_t d = static_cast<uint64_t>(w[i] - '0');
      if (v > (limit - d) / 10) return false;
      v = v * 10 + d;
    }
    *out = neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
    return true;
  }

  Result<Op> ReadOperator() {
    SkipSpace();
    size_t at = pos_;
    if (pos_ >= t_.size()) return ParseError("condition: missing operator at " + Col(at));
    std::string_view sym;
    if (IsOperatorChar(t_[pos_])) {
      while (pos_ < t_.size() && IsOperatorChar(t_[pos_])) ++pos_;
      sym = t_.substr(at, pos_ - at);
      if (sym == "=" || sym == "==") return Op::kEq;
      if (sym == "!=") return Op::kNe;
      if (sym == "<") return Op::kLt;
      if (sym == "<=") return Op::kLe;
      if (sym == ">") return Op::kGt;
      if (sym == ">=") return Op::kGe;
    } else {
      sym = Word();
      if (EqualsIgnoreCase(sym, "eq")) return Op::kEq;
      if (EqualsIgnoreCase(sym, "ne")) return Op::kNe;
      if (EqualsIgnoreCase(sym, "lt")) return Op::kLt;
      if (EqualsIgnoreCase(sym, "le")) return Op::kLe;
      if (EqualsIgnoreCase(sym, "gt")) return Op::kGt;
      if (EqualsIgnoreCase(sym, "ge")) return Op::kGe;
      if (sym.empty()) sym = t_.substr(at, 1);
    }
    return ParseError("condition: unknown operator " + Shown(sym) + " at " + Col(at) +
                      " (expected = eq != ne < lt <= le > gt >= ge)");
  }

  Result<bool> Comparison(bool check_only) {
    Result<Operand> left = ReadOperand();
    if (!left.ok()) return left.status();
    Result<Op> op = ReadOperator();
    if (!op.ok()) return op.status();
    Result<Operand> right = ReadOperand();
    if (!right.ok()) return right.status();
    const Operand& a = left.value();
    const Operand& b = right.value();
    if (a.kind != b.kind) {
      return InvalidArgument("condition: cannot compare " + std::string(KindName(a.kind)) + " " +
                             Shown(a.text) + " with " + KindName(b.kind) + " " + Shown(b.text) +
                             " at " + Col(a.column));
    }
    Op o = op.value();
    bool equality = o == Op::kEq || o == Op::kNe;
    if (a.kind == Kind::kString && !equality) {
      return InvalidArgument("condition: quoted strings can only be compared with = or != (" +
                             Col(a.column) + ")");
    }
    int cmp = 0;
    switch (a.kind) {
      case Kind::kInteger:
        cmp = a.integer < b.integer ? -1 : (a.integer > b.integer ? 1 : 0);
        break;
      case Kind::kString:
        cmp = a.text == b.text ? 0 : 1;
        break;
      case Kind::kVersion:
        if (equality) {
          cmp = SameFirmwareVersion(a.version, b.version) ? 0 : 1;
        } else {
          Result<int> c = CompareFirmwareVersions(a.version, b.version);
          if (!c.ok()) return c.status().WithPrefix("condition at " + Col(a.column));
          cmp = c.value();
        }
        break;
    }
    if (check_only) return true;
    switch (o) {
      case Op::kEq:
        return cmp == 0;
      case Op::kNe:
        return cmp != 0;
      case Op::kLt:
        return cmp < 0;
      case Op::kLe:
        return cmp <= 0;
      case Op::kGt:
        return cmp > 0;
      case Op::kGe:
        return cmp >= 0;
    }
    return false;
  }

  std::string_view t_;
  size_t pos_ = 0;
};

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

}  // namespace

Result<bool> EvaluateExpandedCondition(std::string_view expanded) {
  if (expanded.size() > 4096) return LimitExceeded("condition longer than 4096 characters");
  return Parser(expanded).Run(false);
}

Status CheckExpandedCondition(std::string_view expanded) {
  if (expanded.size() > 4096) return LimitExceeded("condition longer than 4096 characters");
  return Parser(expanded).Run(true).status();
}

Result<bool> EvaluateCondition(std::string_view condition, const MacroContext& context) {
  return EvaluateExpandedCondition(ExpandMacros(condition, context));
}

Result<bool> ResyncTriggersAllow(std::string_view trigger1, std::string_view trigger2,
                                 const MacroContext& context) {
  bool any_set = false;
  Status first_error;
  const std::string_view triggers[] = {trigger1, trigger2};
  for (int i = 0; i < 2; ++i) {
    if (IsBlank(triggers[i])) continue;
    any_set = true;
    Result<bool> r = EvaluateCondition(triggers[i], context);
    if (r.ok() && r.value()) return true;
    if (!r.ok() && first_error.ok()) {
      first_error = r.status().WithPrefix("Resync_Trigger_" + std::to_string(i + 1));
    }
  }
  if (!any_set) return true;
  if (!first_error.ok()) return first_error;
  return false;
}

}  // namespace cwmp::prov
