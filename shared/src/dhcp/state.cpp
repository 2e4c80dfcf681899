#include "cwmp/dhcp/state.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>

#include "dhcp/text.h"

namespace cwmp::dhcp {
namespace {

// ---- writing -------------------------------------------------------------------------------

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto c = static_cast<uint8_t>(ch);
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string OptString(const std::optional<std::string>& v) { return v ? JsonString(*v) : "null"; }
std::string OptNumber(const std::optional<uint32_t>& v) { return v ? std::to_string(*v) : "null"; }

// ---- reading: a small strict JSON parser for this file ---------------------------------

struct Json {
  enum Kind { kNull, kBool, kNumber, kString, kArray, kObject } kind = kNull;
  bool b = false;
  std::string text;  // string value, or the number's digits
  std::vector<Json> items;
  std::map<std::string, Json> members;
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Result<Json> Document() {
    auto v = Value(0);
    if (!v.ok()) return v;
    Ws();
    if (i_ != s_.size()) return Err("unexpected text after the JSON value");
    return v;
  }

 private:
  Status Err(const std::string& m) const {
    return ParseError("dhcp.json: " + m + " at offset " + std::to_string(i_));
  }
  void Ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r'))
      ++i_;
  }
  bool Lit(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  Result<Json> Value(int depth) {
    if (depth > 8) return Err("nesting deeper than 8");
    Ws();
    if (i_ >= s_.size()) return Err("unexpected end");
    Json v;
    const char c = s_[i_];
    if (Lit("null")) return v;
    if (Lit("true")) {
      v.kind = Json::kBool;
      v.b = true;
      return v;
    }
    if (Lit("false")) {
      v.kind = Json::kBool;
      return v;
    }
    if (c == '"') {
      auto str = String();
      if (!str.ok()) return str.status();
      v.kind = Json::kString;
      v.text = std::move(*str);
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      const size_t start = i_;
      if (s_[i_] == '-') ++i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (i_ == start || (i_ - start == 1 && s_[start] == '-')) return Err("bad number");
      v.kind = Json::kNumber;
      v.text = std::string(s_.substr(start, i_ - start));
      return v;
    }
    if (c == '[') {
      ++i_;
      v.kind = Json::kArray;
      Ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return v;
      }
      while (true) {
        auto item = Value(depth + 1);
        if (!item.ok()) return item;
        v.items.push_back(std::move(*item));
        Ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          return v;
        }
        return Err("expected ',' or ']'");
      }
    }
    if (c == '{') {
      ++i_;
      v.kind = Json::kObject;
      Ws();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return v;
      }
      while (true) {
        Ws();
        if (i_ >= s_.size() || s_[i_] != '"') return Err("expected a member name");
        auto key = String();
        if (!key.ok()) return key.status();
        Ws();
        if (i_ >= s_.size() || s_[i_] != ':') return Err("expected ':'");
        ++i_;
        auto item = Value(depth + 1);
        if (!item.ok()) return item;
        if (!v.members.emplace(std::move(*key), std::move(*item)).second) {
          return Err("duplicate member name");
        }
        Ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          ++i_;
          return v;
        }
        return Err("expected ',' or '}'");
      }
    }
    return Err("unexpected character");
  }
  Result<std::string> String() {
    ++i_;  // opening quote
    std::string out;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return out;
      if (static_cast<uint8_t>(c) < 0x20) return Err("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) break;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          unsigned v = 0;
          if (s_.size() - i_ < 4) return Err("short \\u escape");
          const auto [p, ec] = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, v, 16);
          if (ec != std::errc() || p != s_.data() + i_ + 4) return Err("bad \\u escape");
          if (v >= 0x80) return Err("\\u escape above U+007F is not used in this file");
          out += static_cast<char>(v);
          i_ += 4;
          break;
        }
        default:
          return Err("bad escape");
      }
    }
    return Err("unterminated string");
  }

  std::string_view s_;
  size_t i_ = 0;
};

const Json* Member(const Json& obj, const char* name) {
  auto it = obj.members.find(name);
  return it == obj.members.end() ? nullptr : &it->second;
}

Status TypeError(const char* name, const char* want) {
  return ParseError(std::string("dhcp.json: \"") + name + "\" must be " + want);
}

Status GetString(const Json& obj, const char* name, std::optional<std::string>& out) {
  const Json* v = Member(obj, name);
  if (!v || v->kind == Json::kNull) {
    out.reset();
    return Status::Ok();
  }
  if (v->kind != Json::kString) return TypeError(name, "a string or null");
  out = v->text;
  return Status::Ok();
}

Status GetUint(const Json& obj, const char* name, uint64_t max, std::optional<uint64_t>& out) {
  const Json* v = Member(obj, name);
  if (!v || v->kind == Json::kNull) {
    out.reset();
    return Status::Ok();
  }
  uint64_t n = 0;
  if (v->kind != Json::kNumber) return TypeError(name, "a number or null");
  const auto [p, ec] = std::from_chars(v->text.data(), v->text.data() + v->text.size(), n);
  if (ec != std::errc() || p != v->text.data() + v->text.size() || n > max) {
    return TypeError(name, "a non-negative integer in range");
  }
  out = n;
  return Status::Ok();
}

Status GetUint32(const Json& obj, const char* name, std::optional<uint32_t>& out) {
  std::optional<uint64_t> v;
  CWMP_RETURN_IF_ERROR(GetUint(obj, name, UINT32_MAX, v));
  if (v) {
    out = static_cast<uint32_t>(*v);
  } else {
    out.reset();
  }
  return Status::Ok();
}

}  // namespace

std::string SerializeState(const DhcpState& s) {
  std::string o = "{\n";
  o += "  \"version\": " + std::to_string(s.version) + ",\n";
  o += "  \"updated\": " + JsonString(s.updated) + ",\n";
  o += "  \"acs_url\": " + OptString(s.acs_url) + ",\n";
  o += "  \"previous_acs_url\": " + OptString(s.previous_acs_url) + ",\n";
  o += "  \"acs_url_generation\": " + std::to_string(s.acs_url_generation) + ",\n";
  o += std::string("  \"bootstrap_due\": ") + (s.bootstrap_due ? "true" : "false") + ",\n";
  o += "  \"provisioning_code\": " + OptString(s.provisioning_code) + ",\n";
  o += "  \"retry_min_wait\": " + OptNumber(s.retry_min_wait) + ",\n";
  o += "  \"retry_multiplier\": " + OptNumber(s.retry_multiplier) + ",\n";
  if (s.provisioning_server) {
    const ProvisioningServer& p = *s.provisioning_server;
    o += "  \"provisioning_server\": {\"option\": " + std::to_string(p.option) +
         ", \"server\": " + JsonString(p.server) + ", \"url\": " + JsonString(p.url) + "},\n";
  } else {
    o += "  \"provisioning_server\": null,\n";
  }
  o += "  \"tftp_servers\": [";
  for (size_t i = 0; i < s.tftp_servers.size(); ++i) {
    o += (i ? ", " : "") + JsonString(s.tftp_servers[i]);
  }
  o += "],\n";
  if (s.gateway) {
    const GatewayAssociation& g = *s.gateway;
    o += "  \"gateway\": {\"oui\": " + OptString(g.gateway_oui) +
         ", \"serial_number\": " + OptString(g.gateway_serial) +
         ", \"product_class\": " + OptString(g.gateway_product_class) + "}\n";
  } else {
    o += "  \"gateway\": null\n";
  }
  return o + "}\n";
}

Result<DhcpState> ParseState(std::string_view json) {
  if (json.size() > kMaxStateFileBytes) {
    return LimitExceeded("dhcp.json is " + std::to_string(json.size()) + " bytes, the limit is " +
                         std::to_string(kMaxStateFileBytes));
  }
  auto doc = Parser(json).Document();
  if (!doc.ok()) return doc.status();
  if (doc->kind != Json::kObject) return ParseError("dhcp.json: the top level is not an object");
  const Json& o = *doc;
  DhcpState s;
  std::optional<uint64_t> n;
  CWMP_RETURN_IF_ERROR(GetUint(o, "version", 1000, n));
  if (!n || *n != kStateVersion) {
    return Unsupported("dhcp.json: version " + (n ? std::to_string(*n) : std::string("missing")) +
                       " is not " + std::to_string(kStateVersion));
  }
  std::optional<std::string> updated;
  CWMP_RETURN_IF_ERROR(GetString(o, "updated", updated));
  s.updated = updated.value_or("");
  CWMP_RETURN_IF_ERROR(GetString(o, "acs_url", s.acs_url));
  CWMP_RETURN_IF_ERROR(GetString(o, "previous_acs_url", s.previous_acs_url));
  CWMP_RETURN_IF_ERROR(GetUint(o, "acs_url_generation", UINT64_MAX, n));
  s.acs_url_generation = n.value_or(0);
  if (const Json* b = Member(o, "bootstrap_due"); b && b->kind != Json::kNull) {
    if (b->kind != Json::kBool) return TypeError("bootstrap_due", "true or false");
    s.bootstrap_due = b->b;
  }
  CWMP_RETURN_IF_ERROR(GetString(o, "provisioning_code", s.provisioning_code));
  CWMP_RETURN_IF_ERROR(GetUint32(o, "retry_min_wait", s.retry_min_wait));
  CWMP_RETURN_IF_ERROR(GetUint32(o, "retry_multiplier", s.retry_multiplier));
  if (const Json* p = Member(o, "provisioning_server"); p && p->kind != Json::kNull) {
    if (p->kind != Json::kObject) return TypeError("provisioning_server", "an object or null");
    ProvisioningServer ps;
    std::optional<uint32_t> opt;
    std::optional<std::string> server, url;
    CWMP_RETURN_IF_ERROR(GetUint32(*p, "option", opt));
    CWMP_RETURN_IF_ERROR(GetString(*p, "server", server));
    CWMP_RETURN_IF_ERROR(GetString(*p, "url", url));
    if (!opt || *opt > 254 || !server || !url) {
      return TypeError("provisioning_server", "{option, server, url}");
    }
    s.provisioning_server = ProvisioningServer{static_cast<int>(*opt), *server, *url};
  }
  if (const Json* t = Member(o, "tftp_servers"); t && t->kind != Json::kNull) {
    if (t->kind != Json::kArray) return TypeError("tftp_servers", "an array of strings");
    for (const Json& item : t->items) {
      if (item.kind != Json::kString) return TypeError("tftp_servers", "an array of strings");
      s.tftp_servers.push_back(item.text);
    }
  }
  if (const Json* g = Member(o, "gateway"); g && g->kind != Json::kNull) {
    if (g->kind != Json::kObject) return TypeError("gateway", "an object or null");
    GatewayAssociation ga;
    CWMP_RETURN_IF_ERROR(GetString(*g, "oui", ga.gateway_oui));
    CWMP_RETURN_IF_ERROR(GetString(*g, "serial_number", ga.gateway_serial));
    CWMP_RETURN_IF_ERROR(GetString(*g, "product_class", ga.gateway_product_class));
    s.gateway = ga;
  }
  return s;
}

Result<uint64_t> ParseBootstrapAck(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  uint64_t v = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) {
    return ParseError(std::string(kBootstrapAckFileName) + ": " + internal::Quote(text) +
                      " is not a decimal generation number");
  }
  return v;
}

DhcpState ApplyLease(const std::optional<DhcpState>& previous, const DhcpLease& lease,
                     const std::vector<int>& order, uint64_t acked_generation,
                     std::string now_utc) {
  DhcpState s;
  if (previous) {
    s.acs_url = previous->acs_url;
    s.previous_acs_url = previous->previous_acs_url;
    s.acs_url_generation = previous->acs_url_generation;
    s.provisioning_code = previous->provisioning_code;
    s.retry_min_wait = previous->retry_min_wait;
    s.retry_multiplier = previous->retry_multiplier;
  }
  s.updated = std::move(now_utc);
  if (lease.option43 && lease.option43->url) {
    const AcsInfo& a = *lease.option43;
    if (s.acs_url != a.url) {
      s.previous_acs_url = s.acs_url;
      s.acs_url = a.url;
      // Past the ack as well, so a change is due even when dhcp.json was lost or damaged.
      s.acs_url_generation = std::max(s.acs_url_generation, acked_generation) + 1;
    }
    s.provisioning_code = a.provisioning_code;
    s.retry_min_wait = a.retry_min_wait;
    s.retry_multiplier = a.retry_multiplier;
  }
  s.bootstrap_due = s.acs_url_generation > acked_generation;
  s.provisioning_server = SelectProvisioningServer(lease, order);
  s.tftp_servers = lease.option150;
  if (lease.option125 && (lease.option125->gateway_oui || lease.option125->gateway_serial ||
                          lease.option125->gateway_product_class)) {
    GatewayAssociation g;
    g.gateway_oui = lease.option125->gateway_oui;
    g.gateway_serial = lease.option125->gateway_serial;
    g.gateway_product_class = lease.option125->gateway_product_class;
    s.gateway = g;
  }
  return s;
}

}  // namespace cwmp::dhcp
