#include "cwmp/prov/macro.h"

#include <algorithm>

namespace cwmp::prov {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameChar(char c) { return IsUpper(c) || IsDigit(c); }

// Reads a non-negative decimal number at text[*pos]; false if none. Saturates so that huge
// offsets simply select nothing.
bool ReadNumber(std::string_view text, size_t* pos, size_t* value) {
  size_t start = *pos;
  size_t v = 0;
  while (*pos < text.size() && IsDigit(text[*pos])) {
    size_t d = static_cast<size_t>(text[*pos] - '0');
    v = v > (SIZE_MAX - d) / 10 ? SIZE_MAX : v * 10 + d;
    ++*pos;
  }
  *value = v;
  return *pos > start;
}

std::optional<std::string_view> LookupInScope(std::string_view name, const MacroContext& context,
                                              MacroScope scope) {
  if (scope != MacroScope::kCredential && IsCredentialMacroName(name)) return std::nullopt;
  return context.Lookup(name);
}

constexpr std::array<std::string_view, 27> kFixedNames = {
    "MA",      "MAU",    "MAC",   "PN",     "PSN",    "SN",     "CCERT",  "IP",      "EXTIP",
    "SWVER",   "HWVER",  "PRVST", "UPGST",  "UPGERR", "PRVTMR", "UPGTMR", "REGTMR1", "REGTMR2",
    "UPGCOND", "SCHEME", "SERV",  "SERVIP", "PORT",   "PATH",   "ERR",    "EMS",     "MUID"};

bool IsFixedName(std::string_view name) {
  if (name == "MPWD") return true;
  return std::find(kFixedNames.begin(), kFixedNames.end(), name) != kFixedNames.end();
}

// UID1..UID99 without leading zeros.
bool IsUidName(std::string_view name) {
  if (name.size() < 4 || name.size() > 5 || name.substr(0, 3) != "UID") return false;
  std::string_view n = name.substr(3);
  if (n[0] < '1' || n[0] > '9') return false;
  return std::all_of(n.begin(), n.end(), IsDigit);
}

bool IsGppLetterName(std::string_view name) {
  return name.size() == 1 && name[0] >= 'A' && name[0] <= 'P';
}

}  // namespace

bool IsCredentialMacroName(std::string_view name) {
  return name.size() == 2 && name[0] == 'S' && name[1] >= 'A' && name[1] <= 'D';
}

void ExpandMacrosAppend(std::string_view text, const MacroContext& context, MacroScope scope,
                        std::string* out) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    size_t dollar = text.find('$', i);
    if (dollar == std::string_view::npos) {
      out->append(text.substr(i));
      return;
    }
    out->append(text.substr(i, dollar - i));
    i = dollar + 1;
    if (i >= n) {
      out->push_back('$');
      return;
    }
    char c = text[i];
    if (c == '$') {  // "$$" -> "$"
      out->push_back('$');
      ++i;
      continue;
    }
    if (IsUpper(c)) {  // $NAME
      size_t end = i + 1;
      while (end < n && IsNameChar(text[end])) ++end;
      std::string_view name = text.substr(i, end - i);
      if (auto value = LookupInScope(name, context, scope)) {
        out->append(*value);
      } else {
        out->push_back('$');
        out->append(name);
      }
      i = end;
      continue;
    }
    if (c == '(') {  // $(NAME), $(NAME:p), $(NAME:p:q)
      size_t p = i + 1;
      size_t name_start = p;
      if (p < n && IsUpper(text[p])) {
        while (p < n && IsNameChar(text[p])) ++p;
        std::string_view name = text.substr(name_start, p - name_start);
        size_t offset = 0;
        size_t length = std::string_view::npos;
        bool ok = true;
        if (p < n && text[p] == ':') {
          ++p;
          ok = ReadNumber(text, &p, &offset);
          if (ok && p < n && text[p] == ':') {
            ++p;
            ok = ReadNumber(text, &p, &length);
          }
        }
        if (ok && p < n && text[p] == ')') {
          if (auto value = LookupInScope(name, context, scope)) {
            if (offset < value->size()) out->append(value->substr(offset, length));
          } else {
            out->append(text.substr(dollar, p + 1 - dollar));
          }
          i = p + 1;
          continue;
        }
      }
      // Malformed or unterminated: the '$' is an ordinary character.
      out->push_back('$');
      continue;
    }
    out->push_back('$');
  }
}

std::string ExpandMacros(std::string_view text, const MacroContext& context, MacroScope scope) {
  std::string out;
  out.reserve(text.size() + 32);
  ExpandMacrosAppend(text, context, scope, &out);
  return out;
}

bool MacroVariables::IsVariableName(std::string_view name) {
  return IsGppLetterName(name) || IsCredentialMacroName(name) || IsFixedName(name) ||
         IsUidName(name);
}

Status MacroVariables::SetMac(std::string_view mac) {
  std::string hex;
  for (size_t i = 0; i < mac.size(); ++i) {
    char c = mac[i];
    bool is_hex = IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (is_hex) {
      hex.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
    } else if ((c == ':' || c == '-') && hex.size() % 2 == 0 && !hex.empty() &&
               i + 1 < mac.size()) {
      continue;
    } else {
      return InvalidArgument("MAC address \"" + std::string(mac.substr(0, 64)) +
                             "\" has an unexpected character");
    }
  }
  if (hex.size() != 12) {
    return InvalidArgument("MAC address \"" + std::string(mac.substr(0, 64)) +
                           "\" must have 12 hex digits");
  }
  std::string upper = hex;
  for (char& c : upper) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  std::string colons;
  for (size_t i = 0; i < 12; i += 2) {
    if (i) colons.push_back(':');
    colons.append(hex, i, 2);
  }
  values_["MA"] = hex;
  values_["MAU"] = upper;
  values_["MAC"] = colons;
  return Status::Ok();
}

Status MacroVariables::Set(std::string_view name, std::string_view value) {
  if (name == "MA" || name == "MAU" || name == "MAC") return SetMac(value);
  if (!IsVariableName(name)) {
    return InvalidArgument("\"" + std::string(name.substr(0, 64)) +
                           "\" is not a macro variable name");
  }
  values_.insert_or_assign(std::string(name), std::string(value));
  return Status::Ok();
}

bool MacroVariables::SetParameter(std::string_view parameter_name, std::string_view value) {
  std::string_view p = parameter_name;
  if (p.substr(0, 4) == "GPP_") {
    std::string_view rest = p.substr(4);
    if (IsGppLetterName(rest) || IsCredentialMacroName(rest)) {
      values_.insert_or_assign(std::string(rest), std::string(value));
      return true;
    }
    return false;
  }
  // User_ID_n_ -> UIDn
  constexpr std::string_view kUserId = "User_ID_";
  if (p.size() > kUserId.size() + 1 && p.substr(0, kUserId.size()) == kUserId && p.back() == '_') {
    std::string name = "UID" + std::string(p.substr(kUserId.size(), p.size() - kUserId.size() - 1));
    if (IsUidName(name)) {
      values_.insert_or_assign(std::move(name), std::string(value));
      return true;
    }
  }
  return false;
}

std::optional<std::string_view> MacroVariables::Lookup(std::string_view name) const {
  auto it = values_.find(name);
  if (it != values_.end()) return std::string_view(it->second);
  if (!IsVariableName(name)) return std::nullopt;
  if (name == "PSN") {
    auto pn = values_.find(std::string_view("PN"));
    if (pn != values_.end()) {
      std::string_view v = pn->second;
      if (v.substr(0, 3) == "CP-") v.remove_prefix(3);
      return v;
    }
  }
  return std::string_view();
}

}  // namespace cwmp::prov
