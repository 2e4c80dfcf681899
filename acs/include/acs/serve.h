#pragma once
// `acsd serve` wiring: store + migrations, the session engine, the CWMP endpoint on one
// HttpServer and the NBI (REST API + /metrics) on a second one, a reaper for idle sessions.
// Thin: every part lives in its own module.

#include <functional>
#include <memory>

#include "acs/config.h"
#include "acs/http_server.h"
#include "acs/log.h"
#include "acs/metrics.h"
#include "acs/session.h"
#include "acs/store.h"
#include "cwmp/base/status.h"

namespace acs::serve {

// The seam for the REST API: every NBI-listener request except GET /metrics goes here.
// (acs::nbi::Api::Handle plugs in at merge.)
using NbiHandler = std::function<http::Response(const http::Request&, const http::ConnectionInfo&)>;
// Until the NBI module exists: 404 with a JSON body {"error":"not found"}.
NbiHandler NotFoundNbiHandler();

class Server {
 public:
  // Opens the database, migrates (unless config.migrate is false, then requires the current
  // schema), and starts both listeners. kIoError / kFailedPrecondition / kInvalidArgument with a
  // message for the operator.
  static cwmp::Result<std::unique_ptr<Server>> Start(const config::ServeConfig& config,
                                                     NbiHandler nbi, log::Logger& logger);
  virtual ~Server() = default;
  virtual uint16_t cwmp_port() const = 0;
  virtual uint16_t nbi_port() const = 0;
  virtual metrics::Registry& metrics() = 0;
  virtual Store& store() = 0;
  virtual SessionStore& session_store() = 0;
  virtual session::SessionManager& sessions() = 0;
  // Graceful: stop accepting, finish requests in progress, release session leases. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace acs::serve
