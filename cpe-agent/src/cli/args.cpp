#include "cli/args.h"

namespace agent::cli {
namespace {

const OptionSpec* FindSpec(const std::vector<OptionSpec>& specs, const std::string& name,
                           bool is_short) {
  for (const auto& spec : specs) {
    if ((is_short ? spec.short_name : spec.name) == name) return &spec;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

cwmp::Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                   const std::vector<OptionSpec>& specs) {
  ParsedArgs parsed;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg.size() < 2 || arg[0] != '-') {
      parsed.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      parsed.values_["help"].push_back("");
      continue;
    }
    const bool is_long = arg.rfind("--", 0) == 0;
    std::string name = arg.substr(is_long ? 2 : 1);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); is_long && eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* spec = FindSpec(specs, name, !is_long);
    if (spec == nullptr) return cwmp::InvalidArgument("unknown option '" + arg + "'");
    auto& slot = parsed.values_[spec->name];
    if (!slot.empty() && !spec->repeatable && !spec->takes_value) {
      return cwmp::InvalidArgument("option --" + spec->name + " given twice");
    }
    if (!spec->takes_value) {
      if (inline_value) return cwmp::InvalidArgument("option --" + spec->name + " takes no value");
      slot.push_back("");
      continue;
    }
    if (inline_value) {
      slot.push_back(*inline_value);
    } else if (i + 1 < args.size()) {
      slot.push_back(args[++i]);
    } else {
      return cwmp::InvalidArgument("option --" + spec->name + " needs a value");
    }
    if (!spec->repeatable && slot.size() > 1) slot.erase(slot.begin(), slot.end() - 1);
  }
  return parsed;
}

}  // namespace agent::cli
