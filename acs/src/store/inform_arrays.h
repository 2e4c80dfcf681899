#pragma once
// An Inform as the array parameters the store's SQL expands with unnest(): shared by
// Store::RecordInform and SessionStore::StartSession so both store an Inform the same way.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "acs/store.h"

namespace acs::pg {

struct InformArrays {
  bool boot = false;       // carries "1 BOOT"
  bool bootstrap = false;  // carries "0 BOOTSTRAP"
  std::vector<std::optional<std::string>> event_codes, event_keys;
  // Each parameter name once (the last value of a repeated name), because ON CONFLICT may not
  // touch a row twice in one statement.
  std::vector<std::optional<std::string>> names, values, types;
};

inline InformArrays InformArraysOf(const InformRecord& in) {
  InformArrays a;
  for (const auto& e : in.events) {
    a.boot = a.boot || e.code == "1 BOOT";
    a.bootstrap = a.bootstrap || e.code == "0 BOOTSTRAP";
    a.event_codes.emplace_back(e.code);
    a.event_keys.emplace_back(e.command_key);
  }
  std::map<std::string, const ParameterValue*> last;
  for (const auto& p : in.parameters) last[p.name] = &p;
  for (const auto& [name, p] : last) {
    a.names.emplace_back(name);
    a.values.emplace_back(p->value);
    a.types.emplace_back(p->type);
  }
  return a;
}

}  // namespace acs::pg
