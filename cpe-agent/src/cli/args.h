#pragma once
// A small command-line parser for cpe-agent subcommands: `--name value`, `--name=value`,
// boolean flags, repeatable options, short aliases and positional arguments. Unknown options and
// missing values are errors that name the option, so every command reports bad usage the same way.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cwmp/base/status.h"

namespace agent::cli {

struct OptionSpec {
  std::string name;          // long name without dashes: "key"
  std::string short_name;    // optional single letter without dash: "o"
  bool takes_value = false;  // false: a flag
  bool repeatable = false;
};

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given for `name`, if any.
  std::optional<std::string> Get(const std::string& name) const;
  // Every value given for a repeatable option, in order.
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  friend cwmp::Result<ParsedArgs> ParseArgs(const std::vector<std::string>&,
                                            const std::vector<OptionSpec>&);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

// Parses args (without the command words) against specs. "--help"/"-h" is always accepted as a
// flag named "help". A lone "--" ends option parsing.
cwmp::Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                   const std::vector<OptionSpec>& specs);

}  // namespace agent::cli
