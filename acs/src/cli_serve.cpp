// `acsd serve`: parse the configuration, start the server, wait for SIGTERM/SIGINT.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <ostream>

#include "acs/serve.h"
#include "cli_commands.h"

namespace acs::cli {

int RunServe(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  bool help = false;
  auto config = config::ParseServe(
      args,
      [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (v == nullptr) return std::nullopt;
        return std::string(v);
      },
      &help);
  if (!config.ok()) {
    err << config.status().message() << " (see `acsd serve --help`)\n";
    return kExitUsage;
  }
  if (help) {
    out << config::ServeHelp();
    return kExitOk;
  }
  // Block the stop signals in every thread (the servers' threads inherit the mask), then wait
  // for one here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  log::Logger logger(&err, config->log_format, config->log_level);
  auto server = serve::Server::Start(*config, serve::NotFoundNbiHandler(), logger);
  if (!server.ok()) {
    logger.Error("acsd serve could not start", {{"error", server.status().message()}});
    return kExitFailure;
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  logger.Info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Stop();
  return kExitOk;
}

}  // namespace acs::cli
