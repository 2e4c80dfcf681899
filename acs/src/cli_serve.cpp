// `acsd serve`: parse the configuration, start the server, wait for SIGTERM/SIGINT.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <iostream>
#include <ostream>

#include "acs/connection_request.h"
#include "acs/nbi_api.h"
#include "acs/serve.h"
#include "cli_commands.h"

namespace acs::cli {
namespace {

// The NBI needs the server's Store, which exists only once the server has started; until the
// Api is installed (a moment at start) requests get 503 with Retry-After.
struct NbiSlot {
  std::atomic<nbi::Api*> api{nullptr};
};

serve::NbiHandler ForwardTo(std::shared_ptr<NbiSlot> slot) {
  return [slot](const http::Request& request, const http::ConnectionInfo& connection) {
    if (nbi::Api* api = slot->api.load(std::memory_order_acquire)) {
      return api->Handle(request, connection);
    }
    http::Response r;
    r.status = 503;
    r.body = "{\"error\":\"starting\"}";
    r.headers.push_back({"Content-Type", "application/json"});
    r.headers.push_back({"Retry-After", "1"});
    return r;
  };
}

}  // namespace

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
  auto slot = std::make_shared<NbiSlot>();
  auto server = serve::Server::Start(*config, ForwardTo(slot), logger);
  if (!server.ok()) {
    logger.Error("acsd serve could not start", {{"error", server.status().message()}});
    return kExitFailure;
  }
  ConnectionRequestOptions cr;
  cr.default_username = config->cr_username;
  cr.default_password = config->cr_password;
  StoreConnectionRequester requester((*server)->store(), cr);
  nbi::Api api((*server)->store(), requester, nbi::ApiOptions{});
  slot->api.store(&api, std::memory_order_release);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  logger.Info("stopping", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  (*server)->Stop();  // no request is in progress after this, so the Api may go
  slot->api.store(nullptr, std::memory_order_release);
  return kExitOk;
}

}  // namespace acs::cli
