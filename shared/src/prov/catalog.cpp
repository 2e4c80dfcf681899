// Catalog parsing (the TSV format of docs/catalog.md), instance expansion and lookups.

#include "cwmp/prov/catalog.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "cwmp/base/secret.h"
#include "prov/catalog_builtin.h"

namespace cwmp::prov {
namespace {

constexpr std::string_view kInstanceMark = "{i}";
constexpr size_t kColumns = 7;

std::string ReplaceAll(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (true) {
    size_t hit = text.find(from, pos);
    out.append(text.substr(pos, hit - pos));
    if (hit == std::string_view::npos) break;
    out.append(to);
    pos = hit + from.size();
  }
  return out;
}

// Reverses the TSV escaping of the default column: \\ \t \n.
Result<std::string> Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i == s.size()) return ParseError("dangling backslash");
    switch (s[i]) {
      case '\\':
        out += '\\';
        break;
      case 't':
        out += '\t';
        break;
      case 'n':
        out += '\n';
        break;
      default:
        return ParseError(std::string("unknown escape \\") + s[i]);
    }
  }
  return out;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> cols;
  while (true) {
    size_t tab = line.find('\t');
    cols.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return cols;
}

// "-" -> one empty instance token; "1-4" -> 1..4; "A-P" -> A..P.
Result<std::vector<std::string>> ParseInstances(std::string_view spec) {
  std::vector<std::string> out;
  if (spec == "-") return out;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == spec.size()) {
    return ParseError("bad instance range \"" + std::string(spec) + "\"");
  }
  std::string_view lo = spec.substr(0, dash), hi = spec.substr(dash + 1);
  if (lo.size() == 1 && hi.size() == 1 && lo[0] >= 'A' && lo[0] <= 'Z' && hi[0] >= lo[0] &&
      hi[0] <= 'Z') {
    for (char c = lo[0]; c <= hi[0]; ++c) out.emplace_back(1, c);
    return out;
  }
  char* end = nullptr;
  std::string lo_s(lo), hi_s(hi);
  long a = std::strtol(lo_s.c_str(), &end, 10);
  bool ok = *end == '\0';
  long b = std::strtol(hi_s.c_str(), &end, 10);
  ok = ok && *end == '\0' && a >= 0 && b >= a && b - a < 1000;
  if (!ok) return ParseError("bad instance range \"" + std::string(spec) + "\"");
  for (long i = a; i <= b; ++i) out.push_back(std::to_string(i));
  return out;
}

Status LineError(size_t line_no, const std::string& message) {
  return ParseError("catalog line " + std::to_string(line_no) + ": " + message);
}

}  // namespace

Result<Catalog> Catalog::Parse(std::string_view text) {
  Catalog cat;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> cols = SplitTabs(line);

    if (line[0] == '=') {  // per-instance default: "=Name<TAB>default"
      if (cols.size() != 2) return LineError(line_no, "an override has two columns");
      std::string name(cols[0].substr(1));
      auto it = cat.by_name_.find(name);
      if (it == cat.by_name_.end())
        return LineError(line_no, name + ": override of an unknown parameter");
      Result<std::string> def = Unescape(cols[1]);
      if (!def.ok()) return LineError(line_no, name + ": " + def.status().message());
      ParamDef& p = cat.params_[it->second];
      Status st = ValidateValue(p.type, *def);
      if (!st.ok()) return LineError(line_no, name + ": default \"" + *def + "\" " + st.message());
      p.default_value = std::move(*def);
      continue;
    }

    if (cols.size() != kColumns) {
      return LineError(line_no, "expected " + std::to_string(kColumns) +
                                    " tab-separated columns, got " + std::to_string(cols.size()));
    }
    std::string_view name = cols[0], spec = cols[1], flags = cols[4], path = cols[5];
    Result<DataType> type = ParseDataType(spec);
    if (!type.ok()) return LineError(line_no, std::string(name) + ": " + type.status().message());
    Result<std::string> def = Unescape(cols[2]);
    if (!def.ok()) return LineError(line_no, std::string(name) + ": " + def.status().message());
    std::optional<Access> access = ParseAccess(cols[3]);
    if (!access) return LineError(line_no, std::string(name) + ": access must be na, ro or rw");
    if (flags != "-" && flags != "secret") {
      return LineError(line_no, std::string(name) + ": flags must be - or secret");
    }
    Result<std::vector<std::string>> instances = ParseInstances(cols[6]);
    if (!instances.ok())
      return LineError(line_no, std::string(name) + ": " + instances.status().message());
    bool templated = name.find(kInstanceMark) != std::string_view::npos;
    if (templated == instances->empty()) {
      return LineError(
          line_no, std::string(name) + ": a name has {i} exactly when it has an instance range");
    }
    if (templated && path.find(kInstanceMark) == std::string_view::npos) {
      return LineError(line_no, std::string(name) + ": the TR-069 path needs {i} too");
    }
    if (path.substr(0, 7) != "Device.") {
      return LineError(line_no, std::string(name) + ": TR-069 path must start with Device.");
    }
    ++cat.template_count_;
    if (!templated) instances->emplace_back();
    for (const std::string& inst : *instances) {
      ParamDef p;
      p.name = templated ? ReplaceAll(name, kInstanceMark, inst) : std::string(name);
      p.type_spec = std::string(spec);
      p.type = *type;
      p.default_value = templated ? ReplaceAll(*def, kInstanceMark, inst) : *def;
      p.access = *access;
      p.secret = flags == "secret";
      p.tr069_path = templated ? ReplaceAll(path, kInstanceMark, inst) : std::string(path);
      p.template_name = std::string(name);
      Status st = ValidateValue(p.type, p.default_value);
      if (!st.ok()) {
        return LineError(line_no, p.name + ": default \"" + p.default_value + "\" " + st.message());
      }
      size_t index = cat.params_.size();
      if (!cat.by_name_.emplace(p.name, index).second) {
        return LineError(line_no, p.name + ": duplicate parameter name");
      }
      if (!cat.by_path_.emplace(p.tr069_path, index).second) {
        return LineError(line_no, p.name + ": duplicate TR-069 path " + p.tr069_path);
      }
      cat.params_.push_back(std::move(p));
    }
  }
  if (cat.params_.empty()) return ParseError("catalog has no parameters");
  return cat;
}

Result<Catalog> Catalog::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError(path + ": cannot open catalog file");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return IoError(path + ": read error");
  Result<Catalog> cat = Parse(buf.str());
  if (!cat.ok()) return cat.status().WithPrefix(path);
  return cat;
}

const Catalog& Catalog::Builtin() {
  static const Catalog* const kCatalog = [] {
    Result<Catalog> cat = Parse(internal::BuiltinCatalogText());
    if (!cat.ok()) {
      // The embedded text is checked by the unit tests; reaching this is a build defect.
      std::fprintf(stderr, "built-in parameter catalog: %s\n", cat.status().ToString().c_str());
      std::abort();
    }
    return new Catalog(std::move(*cat));
  }();
  return *kCatalog;
}

const ParamDef* Catalog::Find(std::string_view flat_name) const {
  auto it = by_name_.find(flat_name);
  return it == by_name_.end() ? nullptr : &params_[it->second];
}

const ParamDef* Catalog::FindByPath(std::string_view tr069_path) const {
  auto it = by_path_.find(tr069_path);
  return it == by_path_.end() ? nullptr : &params_[it->second];
}

Status Catalog::Validate(std::string_view flat_name, std::string_view value) const {
  const ParamDef* p = Find(flat_name);
  if (p == nullptr) return NotFound(std::string(flat_name) + ": unknown parameter");
  Status st = ValidateValue(p->type, value);
  if (st.ok()) return st;
  std::string shown = p->secret ? std::string(Secret::kMask) : std::string(value);
  return InvalidArgument(p->name + ": \"" + shown + "\" " + st.message());
}

}  // namespace cwmp::prov
