#pragma once
// The parameter catalog: every phone parameter once, with its flat-profile name, data type,
// default, default user access, secret flag and TR-069 path. The source is
// schema/datamodel/phone-params.tsv (format: docs/catalog.md), compiled into the library.
//
// Multi-instance parameters (per line, Wi-Fi profile, line key, attendant console key, GPP
// letter, ...) are templates with an instance range in the file and are expanded when the
// catalog is loaded, so Find("Line_Enable_3_") is one hash lookup.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cwmp/base/status.h"
#include "cwmp/prov/access.h"
#include "cwmp/prov/datatype.h"

namespace cwmp::prov {

struct ParamDef {
  std::string name;             // flat-profile name, e.g. "Line_Enable_3_"
  std::string type_spec;        // as written in the catalog, e.g. "Bool"
  DataType type;                // parsed type_spec
  std::string default_value;    // the phone's default ("" = empty)
  Access access = Access::kNa;  // default user access (ua)
  bool secret = false;          // never logged, exported or returned by a CWMP read
  std::string tr069_path;       // e.g. "Device.ManagementServer.URL"
  std::string template_name;    // e.g. "Line_Enable_{i}_"; equals name for single parameters
};

class Catalog {
 public:
  Catalog() = default;

  // The compiled-in catalog, parsed once on first use (thread-safe). Aborts if the embedded
  // text is broken, which the unit tests rule out.
  static const Catalog& Builtin();
  // Reads and parses a catalog file (same format as the embedded one).
  static Result<Catalog> LoadFile(const std::string& path);
  // Parses catalog text; errors name the line. Every default must validate against its type,
  // names and TR-069 paths must be unique.
  static Result<Catalog> Parse(std::string_view text);

  // The parameter with this flat name (concrete instance names included), or nullptr.
  const ParamDef* Find(std::string_view flat_name) const;
  // The parameter with this TR-069 path (instance numbers filled in), or nullptr.
  const ParamDef* FindByPath(std::string_view tr069_path) const;

  // OK; NotFound("Name: unknown parameter"); or InvalidArgument("Name: \"value\" reason").
  // The value of a secret parameter is shown as Secret::kMask.
  Status Validate(std::string_view flat_name, std::string_view value) const;

  // Every concrete parameter (instances expanded), in the catalog's (the guide's) order.
  const std::vector<ParamDef>& params() const { return params_; }
  // Number of catalog entries before instance expansion.
  size_t template_count() const { return template_count_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, size_t, Hash, std::equal_to<>>;

  std::vector<ParamDef> params_;
  Index by_name_;
  Index by_path_;
  size_t template_count_ = 0;
};

}  // namespace cwmp::prov
