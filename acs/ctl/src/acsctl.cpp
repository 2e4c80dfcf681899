// acsctl argument parsing, help texts and the commands.
#include "acsctl.h"

#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "acs/http_client.h"
#include "cwmp/dhcp/options.h"
#include "api_client.h"

namespace acsctl {
namespace {

using cwmp::json::Value;

const char* const kMainHelp = R"(acsctl: the ACS operator's command line (over the REST API).

Usage: acsctl [global options] <command> [arguments]

Commands:
  devices [--prefix P] [--param NAME=VALUE] [--limit N] [--skip N]
                                  list devices
  get ID [PARAM...]               a device's times and parameters (PARAM may end in '.')
  set ID NAME=VALUE[:TYPE]...     setParameterValues (TYPE e.g. xsd:unsignedInt)
  reboot ID                       queue a Reboot
  factory-reset ID                queue a FactoryReset
  download ID --file-type T --url U [--username U --password-file F]
                                  queue a Download
  tasks get|retry|delete TASK     one task
  faults [--device ID] [--limit N]
                                  recent faults
  dhcp option43 --url URL [--provisioning-code C] [--retry-min N]
       [--retry-multiplier N] [--format dnsmasq|isc|hex]
                                  DHCP server configuration that points phones at the
                                  ACS (needs no API token)

Global options (anywhere on the line):
  --url URL           the ACS's REST API (default http://127.0.0.1:7557, env ACSCTL_URL)
  --token TOKEN       API token (prefer --token-file or env ACSCTL_TOKEN: `ps` shows arguments)
  --token-file FILE   read the token from FILE (first line)
  --json              print the API's JSON instead of text
  --http-timeout MS   limit for each HTTP exchange (default 70000)
  -h, --help          help; `acsctl <command> --help` for one command

Exit status: 0 success, 1 the request failed (ACS unreachable, bad token, not found, task
fault), 2 usage error.
)";

const char* const kTaskOptionsHelp = R"(
Task options:
  --no-connection-request   only queue the task (the device runs it in its next session)
  --wait MS                 wait up to MS for the result (default 10000; 0 = don't wait)
)";

const std::map<std::string, std::string>& CommandHelp() {
  static const std::map<std::string, std::string> k = {
      {"devices",
       "Usage: acsctl devices [--prefix P] [--param NAME=VALUE] [--limit N] [--skip N]\n\n"
       "Lists devices in id order: id and last Inform time.\n"
       "  --prefix P          ids starting with P (e.g. an OUI: 0021A0-)\n"
       "  --param NAME=VALUE  devices whose stored parameter NAME equals VALUE\n"
       "  --limit N           at most N devices (1..1000, default 100)\n"
       "  --skip N            skip the first N matches\n"},
      {"get",
       "Usage: acsctl get ID [PARAM...]\n\n"
       "Shows a device's Inform times and stored parameters (all, or those named; a name\n"
       "ending in '.' selects a subtree). Secret values are shown as ********.\n"},
      {"set",
       std::string("Usage: acsctl set ID NAME=VALUE[:TYPE]... [task options]\n\n"
                   "Queues a setParameterValues task. TYPE is an xsd type (xsd:string, xsd:int,\n"
                   "xsd:unsignedInt, xsd:long, xsd:unsignedLong, xsd:boolean, xsd:dateTime,\n"
                   "xsd:base64, xsd:hexBinary; the xsd: prefix may be left out); only a known\n"
                   "type after the last ':' is taken as TYPE, so URLs keep their colons.\n"
                   "Without TYPE the value is sent as xsd:string.\n") +
           kTaskOptionsHelp},
      {"reboot", std::string("Usage: acsctl reboot ID [--command-key K] [task options]\n\n"
                             "Queues a Reboot.\n") +
                     kTaskOptionsHelp},
      {"factory-reset",
       std::string("Usage: acsctl factory-reset ID [task options]\n\nQueues a FactoryReset.\n") +
           kTaskOptionsHelp},
      {"download",
       std::string("Usage: acsctl download ID --file-type T --url U [--username U]\n"
                   "                        [--password-file F] [--file-size N]\n"
                   "                        [--target-file-name NAME] [task options]\n\n"
                   "Queues a Download. T is a TR-069 FileType, e.g. \"1 Firmware Upgrade Image\",\n"
                   "\"3 Vendor Configuration File\" or \"X 000E08 CA Certificate\". The password\n"
                   "is read from a file so it stays out of `ps` and shell history.\n") +
           kTaskOptionsHelp},
      {"tasks",
       "Usage: acsctl tasks get|retry|delete TASK\n\n"
       "  get     a task's status, result or fault\n"
       "  retry   set a faulted or expired task back to pending\n"
       "  delete  remove a task\n"},
      {"dhcp",
       "Usage: acsctl dhcp option43 --url URL [--provisioning-code C] [--retry-min N]\n"
       "                           [--retry-multiplier N] [--format dnsmasq|isc|hex]\n\n"
       "Prints DHCP server configuration that sends option 43 (TR-069 Annex F sub-options:\n"
       "1 ACS URL, 2 ProvisioningCode, 3 CWMPRetryMinimumWaitInterval, 4\n"
       "CWMPRetryIntervalMultiplier) to clients whose option 60 says dslforum.org, so\n"
       "nobody hand-encodes hex. Needs no API token.\n"
       "  --url URL                the ACS URL (http:// or https://)\n"
       "  --provisioning-code C    sub-option 2\n"
       "  --retry-min N            sub-option 3, seconds (1..65535)\n"
       "  --retry-multiplier N     sub-option 4, per mille (1000..65535)\n"
       "  --format F               dnsmasq (default), isc (ISC dhcpd), hex (the value only)\n"},
      {"faults",
       "Usage: acsctl faults [--device ID] [--limit N]\n\n"
       "Recent CWMP faults, newest first.\n"},
  };
  return k;
}

bool IsHelp(const std::string& a) { return a == "--help" || a == "-h"; }

cwmp::Status Usage(const std::string& message) { return cwmp::InvalidArgument(message); }

struct Globals {
  std::string url = kDefaultUrl;
  std::optional<std::string> token;
  std::optional<std::string> token_file;
  bool json = false;
  int http_timeout_ms = 70'000;
};

// A command's arguments. The first problem found is kept in error(); accessors return
// fallbacks after it, and the command checks error() before acting.
class Args {
 public:
  explicit Args(std::vector<std::string> args) : args_(std::move(args)) {}
  const cwmp::Status& error() const { return error_; }
  // --name VALUE / --name=VALUE anywhere; removes it.
  std::optional<std::string> Option(const std::string& name) {
    for (size_t i = 0; i < args_.size(); ++i) {
      if (args_[i] == name) {
        if (i + 1 >= args_.size()) {
          Fail(name + " needs a value");
          return std::nullopt;
        }
        std::string v = args_[i + 1];
        args_.erase(args_.begin() + static_cast<long>(i), args_.begin() + static_cast<long>(i) + 2);
        return v;
      }
      if (args_[i].rfind(name + "=", 0) == 0) {
        std::string v = args_[i].substr(name.size() + 1);
        args_.erase(args_.begin() + static_cast<long>(i));
        return v;
      }
    }
    return std::nullopt;
  }
  bool Flag(const std::string& name) {
    for (size_t i = 0; i < args_.size(); ++i) {
      if (args_[i] == name) {
        args_.erase(args_.begin() + static_cast<long>(i));
        return true;
      }
    }
    return false;
  }
  int64_t IntOption(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) {
    auto v = Option(name);
    if (!v) return fallback;
    if (v->empty() || v->size() > 12 || v->find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(*v) < lo || std::stoll(*v) > hi) {
      Fail(name + " \"" + *v + "\" is not a number in " + std::to_string(lo) + ".." +
           std::to_string(hi));
      return fallback;
    }
    return std::stoll(*v);
  }
  // The remaining arguments, which must all be positional and non-empty.
  cwmp::Result<std::vector<std::string>> Positional(size_t min, size_t max,
                                                    const std::string& what) {
    if (!error_.ok()) return error_;
    for (const auto& a : args_) {
      if (a.size() > 1 && a[0] == '-') return Usage("unknown option " + a);
      if (a.empty()) return Usage("an argument is empty");
    }
    if (args_.size() < min) return Usage("missing " + what);
    if (args_.size() > max) return Usage("unexpected argument " + args_[max]);
    return args_;
  }

 private:
  void Fail(const std::string& message) {
    if (error_.ok()) error_ = Usage(message);
  }
  std::vector<std::string> args_;
  cwmp::Status error_;
};

std::string Text(const Value& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.as_string();
  return cwmp::json::Serialize(v);
}

std::string Field(const Value& v, const char* key) {
  const Value* m = v.Find(key);
  return m == nullptr ? "-" : Text(*m);
}

std::string DevicePath(const std::string& id) { return "/devices/" + acs::http::PercentEncode(id); }

struct TaskOptions {
  bool connection_request = true;
  int64_t wait_ms = 10'000;
};

TaskOptions ParseTaskOptions(Args& a) {
  TaskOptions t;
  t.connection_request = !a.Flag("--no-connection-request");
  t.wait_ms = a.IntOption("--wait", 10'000, 0, 60'000);
  return t;
}

class Commands {
 public:
  Commands(const Globals& g, const ApiClient& api, std::ostream& out)
      : g_(g), api_(api), out_(out) {}

  cwmp::Status Devices(Args& a) {
    std::string q;
    auto add = [&](const std::string& k, const std::string& v) {
      q += (q.empty() ? "?" : "&") + k + "=" + acs::http::PercentEncode(v);
    };
    if (auto p = a.Option("--prefix")) add("prefix", *p);
    if (auto p = a.Option("--param")) {
      size_t eq = p->find('=');
      if (eq == std::string::npos || eq == 0) return Usage("--param needs NAME=VALUE");
      add("param", p->substr(0, eq));
      add("value", p->substr(eq + 1));
    }
    if (auto l = a.Option("--limit")) add("limit", *l);
    if (auto s = a.Option("--skip")) add("skip", *s);
    auto pos = a.Positional(0, 0, "");
    if (!pos.ok()) return pos.status();
    auto r = api_.Call("GET", "/devices" + q);
    if (!r.ok()) return r.status();
    if (g_.json) return Raw(*r);
    for (const auto& d : r->json.as_array()) {
      out_ << Field(d, "id") << "  last inform " << Field(d, "lastInform") << "\n";
    }
    return cwmp::Status::Ok();
  }

  cwmp::Status Get(Args& a) {
    auto pos_r = a.Positional(1, 10'000, "device ID");
    if (!pos_r.ok()) return pos_r.status();
    const auto& pos = *pos_r;
    auto r = api_.Call("GET", DevicePath(pos[0]));
    if (!r.ok()) return r.status();
    if (g_.json) return Raw(*r);
    const Value& d = r->json;
    out_ << "id             " << Field(d, "id") << "\n"
         << "lastInform     " << Field(d, "lastInform") << "\n"
         << "lastBoot       " << Field(d, "lastBoot") << "\n"
         << "lastBootstrap  " << Field(d, "lastBootstrap") << "\n";
    const Value* params = d.Find("parameters");
    if (params == nullptr || !params->is_object()) return cwmp::Status::Ok();
    std::vector<std::string> wanted(pos.begin() + 1, pos.end());
    std::vector<bool> matched(wanted.size(), false);
    for (const auto& [name, p] : params->as_object()) {
      bool show = wanted.empty();
      for (size_t i = 0; i < wanted.size(); ++i) {
        const std::string& w = wanted[i];
        if (name == w || (!w.empty() && w.back() == '.' && name.rfind(w, 0) == 0)) {
          show = true;
          matched[i] = true;
        }
      }
      if (show) out_ << name << " = " << Field(p, "value") << " (" << Field(p, "type") << ")\n";
    }
    for (size_t i = 0; i < wanted.size(); ++i) {
      if (!matched[i]) {
        return cwmp::NotFound("device " + pos[0] + " has no stored parameter " + wanted[i]);
      }
    }
    return cwmp::Status::Ok();
  }

  cwmp::Status Set(Args& a) {
    TaskOptions t = ParseTaskOptions(a);
    auto pos_r = a.Positional(2, 1001, "device ID and NAME=VALUE");
    if (!pos_r.ok()) return pos_r.status();
    const auto& pos = *pos_r;
    static const char* const kTypes[] = {"string",   "int",          "unsignedInt",
                                         "long",     "unsignedLong", "boolean",
                                         "dateTime", "base64",       "hexBinary"};
    cwmp::json::Array values;
    for (size_t i = 1; i < pos.size(); ++i) {
      const std::string& s = pos[i];
      size_t eq = s.find('=');
      if (eq == std::string::npos || eq == 0) return Usage("\"" + s + "\" is not NAME=VALUE");
      std::string name = s.substr(0, eq);
      std::string value = s.substr(eq + 1);
      std::string type;
      for (const char* ty : kTypes) {
        for (const std::string& suffix : {":xsd:" + std::string(ty), ":" + std::string(ty)}) {
          if (type.empty() && value.size() >= suffix.size() &&
              value.compare(value.size() - suffix.size(), suffix.size(), suffix) == 0) {
            value.resize(value.size() - suffix.size());
            type = std::string("xsd:") + ty;
          }
        }
      }
      cwmp::json::Array entry{Value(name), Value(value)};
      if (!type.empty()) entry.push_back(Value(type));
      values.push_back(entry);
    }
    Value body = cwmp::json::Object{};
    body.Set("name", "setParameterValues");
    body.Set("parameterValues", values);
    return RunTask(pos[0], body, t);
  }

  cwmp::Status Reboot(Args& a) {
    TaskOptions t = ParseTaskOptions(a);
    auto key = a.Option("--command-key");
    auto pos = a.Positional(1, 1, "device ID");
    if (!pos.ok()) return pos.status();
    Value body = cwmp::json::Object{};
    body.Set("name", "reboot");
    if (key) body.Set("commandKey", *key);
    return RunTask((*pos)[0], body, t);
  }

  cwmp::Status FactoryReset(Args& a) {
    TaskOptions t = ParseTaskOptions(a);
    auto pos = a.Positional(1, 1, "device ID");
    if (!pos.ok()) return pos.status();
    Value body = cwmp::json::Object{};
    body.Set("name", "factoryReset");
    return RunTask((*pos)[0], body, t);
  }

  cwmp::Status Download(Args& a) {
    TaskOptions t = ParseTaskOptions(a);
    auto type = a.Option("--file-type");
    auto target = a.Option("--target");
    auto user = a.Option("--username");
    auto pwfile = a.Option("--password-file");
    auto target_name = a.Option("--target-file-name");
    int64_t size = a.IntOption("--file-size", -1, 0, 4294967295LL);
    auto pos = a.Positional(1, 1, "device ID");
    if (!pos.ok()) return pos.status();
    if (!type) return Usage("--file-type is required");
    if (!target) return Usage("--url is required");
    Value body = cwmp::json::Object{};
    body.Set("name", "download");
    body.Set("fileType", *type);
    body.Set("url", *target);
    if (user) body.Set("username", *user);
    if (pwfile) {
      auto pw = ReadFirstLine(*pwfile, "--password-file");
      if (!pw.ok()) return pw.status();
      body.Set("password", *pw);
    }
    if (size >= 0) body.Set("fileSize", size);
    if (target_name) body.Set("targetFileName", *target_name);
    return RunTask((*pos)[0], body, t);
  }

  cwmp::Status Tasks(Args& a) {
    auto pos_r = a.Positional(2, 2, "get|retry|delete and the task id");
    if (!pos_r.ok()) return pos_r.status();
    const auto& pos = *pos_r;
    const std::string& verb = pos[0];
    std::string path = "/tasks/" + acs::http::PercentEncode(pos[1]);
    cwmp::Result<ApiReply> r = cwmp::Status(cwmp::StatusCode::kInternal, "unset");
    if (verb == "get") {
      r = api_.Call("GET", path);
    } else if (verb == "retry") {
      r = api_.Call("POST", path + "/retry");
    } else if (verb == "delete") {
      r = api_.Call("DELETE", path);
    } else {
      return Usage("unknown tasks command \"" + verb + "\" (get, retry or delete)");
    }
    if (!r.ok()) return r.status();
    if (g_.json) return Raw(*r);
    if (verb == "delete") {
      out_ << "task " << pos[1] << " deleted\n";
      return cwmp::Status::Ok();
    }
    PrintTask(r->json);
    return cwmp::Status::Ok();
  }

  cwmp::Status Faults(Args& a) {
    std::string q;
    if (auto d = a.Option("--device")) q += "?device=" + acs::http::PercentEncode(*d);
    if (auto l = a.Option("--limit"))
      q += (q.empty() ? "?" : "&") + std::string("limit=") + acs::http::PercentEncode(*l);
    auto pos = a.Positional(0, 0, "");
    if (!pos.ok()) return pos.status();
    auto r = api_.Call("GET", "/faults" + q);
    if (!r.ok()) return r.status();
    if (g_.json) return Raw(*r);
    for (const auto& f : r->json.as_array()) {
      out_ << Field(f, "createdAt") << "  " << Field(f, "device") << "  task " << Field(f, "task")
           << "  " << Field(f, "code") << " " << Field(f, "message") << "\n";
    }
    return cwmp::Status::Ok();
  }

  static cwmp::Result<std::string> ReadFirstLine(const std::string& path, const std::string& flag) {
    std::ifstream in(path);
    if (!in) return cwmp::IoError(flag + " " + path + ": cannot read");
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) return cwmp::InvalidArgument(flag + " " + path + ": empty");
    return line;
  }

 private:
  cwmp::Status Raw(const ApiReply& r) {
    out_ << r.body;
    if (!r.body.empty() && r.body.back() != '\n') out_ << "\n";
    return cwmp::Status::Ok();
  }

  void PrintTask(const Value& t) {
    out_ << "task " << Field(t, "id") << " " << Field(t, "name") << " on " << Field(t, "device")
         << ": " << Field(t, "status") << "\n";
    if (const Value* r = t.Find("result"); r != nullptr && !r->is_null()) {
      out_ << "result " << cwmp::json::Serialize(*r) << "\n";
    }
    if (const Value* f = t.Find("fault"); f != nullptr && !f->is_null()) {
      out_ << "fault " << Field(*f, "code") << " " << Field(*f, "message") << "\n";
    }
    if (const Value* c = t.Find("connectionRequest"); c != nullptr && !c->is_null()) {
      out_ << "connection request " << Field(*c, "outcome") << ": " << Field(*c, "message") << "\n";
    }
  }

  cwmp::Status RunTask(const std::string& device, const Value& body, const TaskOptions& t) {
    std::string q;
    if (t.connection_request) q = "?connection_request";
    if (t.wait_ms > 0)
      q += (q.empty() ? "?" : "&") + std::string("timeout=") + std::to_string(t.wait_ms);
    auto r = api_.Call("POST", DevicePath(device) + "/tasks" + q, cwmp::json::Serialize(body));
    if (!r.ok()) return r.status();
    if (g_.json) {
      CWMP_RETURN_IF_ERROR(Raw(*r));
    } else {
      PrintTask(r->json);
    }
    if (Field(r->json, "status") == "fault") {
      const Value* f = r->json.Find("fault");
      return cwmp::FailedPrecondition(
          "task " + Field(r->json, "id") + " failed" +
          (f != nullptr ? ": fault " + Field(*f, "code") + " " + Field(*f, "message") : ""));
    }
    return cwmp::Status::Ok();
  }

  const Globals& g_;
  const ApiClient& api_;
  std::ostream& out_;
};

}  // namespace

namespace {

struct Parsed {
  Globals globals;
  std::string command;
  std::vector<std::string> rest;
  bool help = false;
};

// Global options may come anywhere; --url is global except after `download`, where it is the
// file's URL (the ACS URL then has to come before the command).
cwmp::Status ParseGlobals(const std::vector<std::string>& argv, const Environment& env, Parsed* p) {
  if (env.url) p->globals.url = *env.url;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    std::optional<std::string> v;
    auto take = [&](const std::string& name) -> bool {
      if (a == name) {
        if (i + 1 >= argv.size()) return false;
        v = argv[++i];
        return true;
      }
      if (a.rfind(name + "=", 0) == 0) {
        v = a.substr(name.size() + 1);
        return true;
      }
      return false;
    };
    for (const char* name : {"--url", "--token", "--token-file", "--http-timeout"}) {
      if (a == name && i + 1 >= argv.size()) return Usage(std::string(name) + " needs a value");
    }
    if (take("--url")) {
      if (p->command == "download") {
        p->rest.push_back("--target");
        p->rest.push_back(*v);
      } else if (p->command == "dhcp") {  // after `dhcp`, --url is the ACS URL to announce
        p->rest.push_back("--url");
        p->rest.push_back(*v);
      } else {
        p->globals.url = *v;
      }
    } else if (take("--token")) {
      p->globals.token = *v;
    } else if (take("--token-file")) {
      p->globals.token_file = *v;
    } else if (take("--http-timeout")) {
      if (v->empty() || v->size() > 7 || v->find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(*v) < 1) {
        return Usage("--http-timeout \"" + *v + "\" is not a positive number of ms");
      }
      p->globals.http_timeout_ms = std::stoi(*v);
    } else if (a == "--json") {
      p->globals.json = true;
    } else if (IsHelp(a)) {
      p->help = true;
    } else if (p->command.empty() && !a.empty() && a[0] != '-') {
      p->command = a;
    } else {
      p->rest.push_back(a);
    }
  }
  return cwmp::Status::Ok();
}

// `acsctl dhcp option43 ...`: local formatting, no API call.
cwmp::Status DhcpCommand(const std::vector<std::string>& rest, std::ostream& out) {
  Args a(rest);
  auto url = a.Option("--url");
  auto code = a.Option("--provisioning-code");
  const int64_t retry_min = a.IntOption("--retry-min", 0, 1, 65535);
  const int64_t retry_multiplier = a.IntOption("--retry-multiplier", 0, 1000, 65535);
  const std::string format_name = a.Option("--format").value_or("dnsmasq");
  auto words = a.Positional(1, 1, "the subcommand (option43)");
  if (!words.ok()) return words.status();
  if ((*words)[0] != "option43") return Usage("unknown dhcp subcommand \"" + (*words)[0] + "\"");
  if (!url) return Usage("--url is required");
  cwmp::dhcp::ServerFormat format;
  if (format_name == "dnsmasq") {
    format = cwmp::dhcp::ServerFormat::kDnsmasq;
  } else if (format_name == "isc") {
    format = cwmp::dhcp::ServerFormat::kIsc;
  } else if (format_name == "hex") {
    format = cwmp::dhcp::ServerFormat::kHex;
  } else {
    return Usage("--format must be dnsmasq, isc or hex");
  }
  cwmp::dhcp::AcsInfo info;
  info.url = *url;
  info.provisioning_code = code;
  if (retry_min > 0) info.retry_min_wait = static_cast<uint32_t>(retry_min);
  if (retry_multiplier > 0) info.retry_multiplier = static_cast<uint32_t>(retry_multiplier);
  auto bytes = cwmp::dhcp::EncodeOption43(info);
  if (!bytes.ok()) return Usage(bytes.status().message());
  auto config = cwmp::dhcp::FormatServerConfig(format, 43, *bytes);
  if (!config.ok()) return config.status();
  out << *config;
  if (!config->empty() && config->back() != '\n') out << '\n';
  return cwmp::Status::Ok();
}

cwmp::Result<std::string> FindToken(const Globals& g, const Environment& env) {
  std::string token;
  if (g.token) {
    token = *g.token;
  } else if (g.token_file) {
    auto t = Commands::ReadFirstLine(*g.token_file, "--token-file");
    if (!t.ok()) return Usage(t.status().message());
    token = *t;
  } else if (env.token) {
    token = *env.token;
  }
  if (token.empty()) {
    return Usage("no API token: pass --token-file FILE, --token TOKEN or set ACSCTL_TOKEN");
  }
  return token;
}

cwmp::Status Dispatch(const Parsed& p, const Environment& env, std::ostream& out) {
  auto token = FindToken(p.globals, env);
  if (!token.ok()) return token.status();
  ApiClient api(p.globals.url, cwmp::Secret(*token), p.globals.http_timeout_ms);
  Commands c(p.globals, api, out);
  Args args(p.rest);
  const std::string& cmd = p.command;
  if (cmd == "devices") return c.Devices(args);
  if (cmd == "get") return c.Get(args);
  if (cmd == "set") return c.Set(args);
  if (cmd == "reboot") return c.Reboot(args);
  if (cmd == "factory-reset") return c.FactoryReset(args);
  if (cmd == "download") return c.Download(args);
  if (cmd == "tasks") return c.Tasks(args);
  return c.Faults(args);
}

}  // namespace

int Run(const std::vector<std::string>& argv, const Environment& env, std::ostream& out,
        std::ostream& err) {
  Parsed p;
  cwmp::Status st = ParseGlobals(argv, env, &p);
  if (st.ok() && p.command.empty()) {
    (p.help ? out : err) << kMainHelp;
    return p.help ? kExitOk : kExitUsage;
  }
  auto help = CommandHelp().find(p.command);
  if (st.ok() && help == CommandHelp().end()) {
    st = Usage("unknown command \"" + p.command + "\"");
  }
  if (st.ok() && p.help) {
    out << help->second;
    return kExitOk;
  }
  if (st.ok()) st = p.command == "dhcp" ? DhcpCommand(p.rest, out) : Dispatch(p, env, out);
  if (st.ok()) return kExitOk;
  std::string who = "acsctl" + (p.command.empty() ? "" : " " + p.command);
  if (st.code() == cwmp::StatusCode::kInvalidArgument) {
    err << who << ": " << st.message() << " (see `" << who << " --help`)\n";
    return kExitUsage;
  }
  err << who << ": " << st.message() << "\n";
  return kExitFailure;
}

}  // namespace acsctl
