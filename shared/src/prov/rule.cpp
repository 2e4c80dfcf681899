#include "cwmp/prov/rule.h"

#include "cwmp/prov/condition.h"

namespace cwmp::prov {
namespace {

constexpr size_t kMaxRuleLength = 8192;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9') || c == '_'; }

Status ErrorAt(size_t pos, const std::string& what) {
  return ParseError("column " + std::to_string(pos + 1) + ": " + what);
}

class RuleParser {
 public:
  RuleParser(std::string_view text, RuleKind kind) : t_(text), kind_(kind) {}

  Result<Rule> Parse() {
    Rule rule;
    rule.kind = kind_;
    SkipSpace();
    if (pos_ >= t_.size()) return rule;  // empty rule: nothing selected
    while (true) {
      Result<RuleAlternative> alt = Alternative();
      if (!alt.ok()) return alt.status();
      rule.alternatives.push_back(std::move(alt.value()));
      if (pos_ >= t_.size()) break;
      ++pos_;  // '|'
    }
    for (size_t i = 0; i + 1 < rule.alternatives.size(); ++i) {
      if (!rule.alternatives[i].condition) {
        return ErrorAt(rule.alternatives[i].offset,
                       "alternative " + std::to_string(i + 1) +
                           " has no condition; only the last alternative may omit \"(expr)?\"");
      }
    }
    return rule;
  }

 private:
  void SkipSpace() {
    while (pos_ < t_.size() && IsSpace(t_[pos_])) ++pos_;
  }

  // From an opening '(' at `open`, finds the matching ')', skipping quoted text and nested
  // "$(...)" macros. Returns npos if unterminated; *open_quote is then the position of a quote
  // that never closes, or npos.
  size_t MatchParen(size_t open, size_t* open_quote) const {
    int depth = 0;
    *open_quote = std::string_view::npos;
    for (size_t i = open; i < t_.size(); ++i) {
      char c = t_[i];
      if (c == '"') {
        size_t close = t_.find('"', i + 1);
        if (close == std::string_view::npos) {
          *open_quote = i;
          return std::string_view::npos;
        }
        i = close;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (--depth == 0) return i;
      }
    }
    return std::string_view::npos;
  }

  Result<RuleAlternative> Alternative() {
    RuleAlternative alt;
    SkipSpace();
    alt.offset = pos_;
    bool have_assignments = false;
    while (pos_ < t_.size() && t_[pos_] == '(') {
      size_t open = pos_;
      size_t open_quote = 0;
      size_t close = MatchParen(open, &open_quote);
      if (close == std::string_view::npos) {
        if (open_quote != std::string_view::npos) return ErrorAt(open_quote, "unterminated '\"'");
        return ErrorAt(open, "unterminated '('");
      }
      pos_ = close + 1;
      SkipSpace();
      std::string_view inner = t_.substr(open + 1, close - open - 1);
      if (pos_ < t_.size() && t_[pos_] == '?') {
        if (alt.condition || have_assignments) {
          return ErrorAt(open, "condition \"(...)?\" must come first and only once");
        }
        if (inner.find_first_not_of(" \t\r\n") == std::string_view::npos) {
          return ErrorAt(open, "empty condition");
        }
        if (inner.find('$') == std::string_view::npos) {
          Status s = CheckExpandedCondition(inner);
          if (!s.ok()) return ErrorAt(open + 1, s.message());
        }
        alt.condition.emplace(inner);
      } else if (pos_ < t_.size() && t_[pos_] == '!') {
        if (have_assignments) return ErrorAt(open, "more than one assignment \"(...)!\"");
        Status s = Assignments(inner, open + 1, &alt.assignments);
        if (!s.ok()) return s;
        have_assignments = true;
      } else {
        return ErrorAt(pos_, "expected '?' (condition) or '!' (assignments) after ')'");
      }
      ++pos_;
      SkipSpace();
    }
    if (pos_ < t_.size() && t_[pos_] == '[') {
      size_t open = pos_;
      if (kind_ == RuleKind::kUpgrade) {
        return ErrorAt(open, "URL options \"[...]\" are not supported in Upgrade_Rule");
      }
      size_t close = std::string_view::npos;
      for (size_t i = open + 1; i < t_.size(); ++i) {
        if (t_[i] == '"') {
          size_t q = t_.find('"', i + 1);
          if (q == std::string_view::npos) return ErrorAt(i, "unterminated '\"'");
          i = q;
        } else if (t_[i] == ']') {
          close = i;
          break;
        }
      }
      if (close == std::string_view::npos) return ErrorAt(open, "unterminated '['");
      Status s = Options(t_.substr(open + 1, close - open - 1), open + 1, &alt.options);
      if (!s.ok()) return s;
      pos_ = close + 1;
      SkipSpace();
    }
    size_t url_start = pos_;
    while (pos_ < t_.size() && !IsSpace(t_[pos_]) && t_[pos_] != '|') ++pos_;
    alt.url.assign(t_.substr(url_start, pos_ - url_start));
    SkipSpace();
    if (pos_ < t_.size() && t_[pos_] != '|') {
      return ErrorAt(pos_, "unexpected text after the URL (alternatives are separated by '|')");
    }
    if (!alt.url.empty()) {
      char c = alt.url[0];
      if (c == '(' || c == '[' || c == ')' || c == ']' || c == '"') {
        return ErrorAt(url_start, std::string("unexpected '") + c + "'");
      }
    }
    if (alt.url.empty() && !alt.options.empty()) {
      return ErrorAt(url_start, "URL options must be followed by a URL");
    }
    if (alt.url.empty() && kind_ == RuleKind::kUpgrade) {
      return ErrorAt(url_start, "Upgrade_Rule alternative needs a URL");
    }
    if (!alt.url.empty() && alt.url.find('$') == std::string::npos) {
      // Without macros the URL can be checked now, with its position.
      Result<ProvisioningUrl> u =
          ParseProvisioningUrl(alt.url, kind_ == RuleKind::kUpgrade ? HostRequirement::kRequired
                                                                    : HostRequirement::kOptional);
      if (!u.ok()) return ErrorAt(url_start, u.status().message());
    }
    return alt;
  }

  // Reads a value: "quoted" (quotes removed) or a bare word ending at space or `stop`.
  static Result<std::string> Value(std::string_view s, size_t* i, size_t base, char stop) {
    if (*i < s.size() && s[*i] == '"') {
      size_t close = s.find('"', *i + 1);
      if (close == std::string_view::npos) return ErrorAt(base + *i, "unterminated '\"'");
      std::string v(s.substr(*i + 1, close - *i - 1));
      *i = close + 1;
      return v;
    }
    size_t start = *i;
    while (*i < s.size() && !IsSpace(s[*i]) && s[*i] != stop && s[*i] != '"') ++*i;
    return std::string(s.substr(start, *i - start));
  }

  static Status Assignments(std::string_view s, size_t base, std::vector<RuleAssignment>* out) {
    size_t i = 0;
    auto skip = [&] {
      while (i < s.size() && IsSpace(s[i])) ++i;
    };
    skip();
    while (i < s.size()) {
      size_t name_start = i;
      if (!IsNameStart(s[i])) return ErrorAt(base + i, "expected a parameter name");
      while (i < s.size() && IsNameChar(s[i])) ++i;
      std::string name(s.substr(name_start, i - name_start));
      skip();
      if (i >= s.size() || s[i] != '=') {
        return ErrorAt(base + i, "expected '=' after \"" + name + "\"");
      }
      ++i;
      skip();
      size_t value_start = i;
      Result<std::string> v = Value(s, &i, base, ';');
      if (!v.ok()) return v.status();
      if (i == value_start) return ErrorAt(base + i, "missing value for \"" + name + "\"");
      out->push_back({std::move(name), std::move(v.value())});
      skip();
      if (i < s.size()) {
        if (s[i] != ';') return ErrorAt(base + i, "expected ';' between assignments");
        ++i;
        skip();
      }
    }
    return Status::Ok();
  }

  static Status Options(std::string_view s, size_t base, RuleOptions* out) {
    size_t i = 0;
    auto skip = [&] {
      while (i < s.size() && IsSpace(s[i])) ++i;
    };
    skip();
    while (i < s.size()) {
      size_t name_start = i;
      while (i < s.size() && !IsSpace(s[i]) && s[i] != '"') ++i;
      std::string_view raw_name = s.substr(name_start, i - name_start);
      std::string_view name = raw_name;
      if (name.substr(0, 2) == "--") name.remove_prefix(2);
      skip();
      size_t value_start = i;
      Result<std::string> v = Value(s, &i, base, '\0');
      if (!v.ok()) return v.status();
      if (i == value_start) {
        return ErrorAt(base + name_start,
                       "option \"" + std::string(raw_name.substr(0, 20)) + "\" needs a value");
      }
      auto set_text = [&](std::optional<std::string>* slot) -> Status {
        if (*slot)
          return ErrorAt(base + name_start, "option --" + std::string(name) + " given twice");
        *slot = std::move(v.value());
        return Status::Ok();
      };
      auto set_letter = [&](std::optional<char>* slot) -> Status {
        if (*slot)
          return ErrorAt(base + name_start, "option --" + std::string(name) + " given twice");
        const std::string& letter = v.value();
        char c = letter.size() == 1 ? letter[0] : '\0';
        if (c >= 'A' && c <= 'P') c = static_cast<char>(c - 'A' + 'a');
        if (c < 'a' || c > 'p') {
          return ErrorAt(base + value_start, "option --" + std::string(name) +
                                                 " takes a GPP letter a-p, not \"" +
                                                 letter.substr(0, 20) + "\"");
        }
        *slot = c;
        return Status::Ok();
      };
      Status st;
      if (name == "key") {
        st = set_text(&out->key);
      } else if (name == "uid") {
        st = set_text(&out->uid);
      } else if (name == "pwd") {
        st = set_text(&out->pwd);
      } else if (name == "post") {
        st = set_letter(&out->post);
      } else if (name == "alias") {
        st = set_letter(&out->alias);
      } else {
        st = ErrorAt(base + name_start, "unknown option \"" + std::string(raw_name.substr(0, 20)) +
                                            "\" (expected --key, --uid, --pwd, --post or --alias)");
      }
      if (!st.ok()) return st;
      skip();
    }
    return Status::Ok();
  }

  std::string_view t_;
  RuleKind kind_;
  size_t pos_ = 0;
};

std::string GppParameter(char letter) {
  return std::string("GPP_") + static_cast<char>(letter - 'a' + 'A');
}

std::string_view GppValue(const MacroContext& context, char letter) {
  char name[1] = {static_cast<char>(letter - 'a' + 'A')};
  std::optional<std::string_view> v = context.Lookup(std::string_view(name, 1));
  return v ? *v : std::string_view();
}

}  // namespace

Result<Rule> ParseRule(std::string_view text, RuleKind kind) {
  if (text.size() > kMaxRuleLength) {
    return LimitExceeded("rule longer than " + std::to_string(kMaxRuleLength) + " characters");
  }
  return RuleParser(text, kind).Parse();
}

Result<std::optional<RuleSelection>> EvaluateRule(const Rule& rule, const MacroContext& context) {
  for (size_t i = 0; i < rule.alternatives.size(); ++i) {
    const RuleAlternative& alt = rule.alternatives[i];
    std::string where =
        "alternative " + std::to_string(i + 1) + " (column " + std::to_string(alt.offset + 1) + ")";
    if (alt.condition) {
      Result<bool> holds = EvaluateCondition(*alt.condition, context);
      if (!holds.ok()) return holds.status().WithPrefix(where);
      if (!holds.value()) continue;
    }
    RuleSelection sel;
    sel.alternative = i;
    for (const RuleAssignment& a : alt.assignments) {
      sel.assignments.push_back({a.name, ExpandMacros(a.value, context)});
    }
    const RuleOptions& o = alt.options;
    if (o.key) sel.options.key = Secret(ExpandMacros(*o.key, context, MacroScope::kCredential));
    if (o.uid) sel.options.uid = ExpandMacros(*o.uid, context, MacroScope::kCredential);
    if (o.pwd) sel.options.pwd = Secret(ExpandMacros(*o.pwd, context, MacroScope::kCredential));
    if (o.post) {
      sel.options.post_parameter = GppParameter(*o.post);
      sel.options.post_body = ExpandMacros(GppValue(context, *o.post), context);
    }
    if (o.alias) {
      sel.options.alias_parameter = GppParameter(*o.alias);
      sel.options.alias_map = std::string(GppValue(context, *o.alias));
    }
    if (!alt.url.empty()) {
      sel.expanded_url = ExpandMacros(alt.url, context);
      Result<ProvisioningUrl> url = ParseProvisioningUrl(
          sel.expanded_url, rule.kind == RuleKind::kUpgrade ? HostRequirement::kRequired
                                                            : HostRequirement::kOptional);
      if (!url.ok()) return url.status().WithPrefix(where);
      sel.url = std::move(url.value());
    }
    return std::optional<RuleSelection>(std::move(sel));
  }
  return std::optional<RuleSelection>();
}

std::string FormatRuleSelection(const RuleSelection& s, bool show_secrets) {
  std::string out = "alternative: " + std::to_string(s.alternative + 1) + "\n";
  for (const RuleAssignment& a : s.assignments) {
    out += "assign: " + a.name + " = \"" + a.value + "\"\n";
  }
  const ResolvedOptions& o = s.options;
  auto shown = [show_secrets](const Secret& v) {
    return show_secrets ? v.Reveal() : std::string(Secret::kMask);
  };
  if (o.key) out += "key: " + shown(*o.key) + "\n";
  if (o.uid) out += "uid: " + *o.uid + "\n";
  if (o.pwd) out += "pwd: " + shown(*o.pwd) + "\n";
  if (o.post_parameter) out += "post: " + *o.post_parameter + " = \"" + o.post_body + "\"\n";
  if (o.alias_parameter) out += "alias: " + *o.alias_parameter + "\n";
  if (s.url) {
    out += "url: " + s.url->ToString() + "\n";
    out += "scheme: " + std::string(UrlSchemeName(s.url->scheme)) + "\n";
    out += "host: " + (s.url->host.empty() ? std::string("(DHCP option 66)") : s.url->host) + "\n";
    out += "port: " + std::to_string(s.url->port) + "\n";
    out += "path: " + s.url->path + "\n";
  } else {
    out += "url: (none)\n";
  }
  return out;
}

Result<std::optional<RuleSelection>> EvaluateRuleText(std::string_view text, RuleKind kind,
                                                      const MacroContext& context) {
  Result<Rule> rule = ParseRule(text, kind);
  if (!rule.ok()) return rule.status();
  return EvaluateRule(rule.value(), context);
}

}  // namespace cwmp::prov
