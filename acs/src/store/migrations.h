#pragma once
// The numbered migrations from schema/sql/, compiled into the binary (generated source).

#include <string_view>
#include <vector>

namespace acs {

struct Migration {
  int version;           // 1 for 001_devices.sql
  const char* name;      // "001_devices"
  std::string_view sql;  // the file's text
};

// In ascending version order.
const std::vector<Migration>& EmbeddedMigrations();

}  // namespace acs
