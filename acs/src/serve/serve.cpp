// `acsd serve` wiring.
#include "acs/serve.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "acs/cwmp_endpoint.h"
#include "acs/session_store.h"

namespace acs::serve {
namespace {

TimePoint Now() { return std::chrono::system_clock::now(); }

class ServerImpl final : public Server {
 public:
  ~ServerImpl() override { Stop(); }

  uint16_t cwmp_port() const override { return cwmp_->port(); }
  uint16_t nbi_port() const override { return nbi_->port(); }
  metrics::Registry& metrics() override { return metrics_; }
  Store& store() override { return *store_; }
  SessionStore& session_store() override { return *session_store_; }
  session::SessionManager& sessions() override { return *sessions_; }

  void Stop() override {
    if (stopped_.exchange(true)) return;
    if (cwmp_) cwmp_->Stop();
    if (nbi_) nbi_->Stop();
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (reaper_.joinable()) reaper_.join();
    if (sessions_) sessions_->Shutdown();
    if (logger_) logger_->Info("stopped");
  }

  cwmp::Status Init(const config::ServeConfig& c, NbiHandler nbi, log::Logger& logger) {
    logger_ = &logger;
    StoreOptions so;
    so.database_url = c.database_url;
    so.max_connections = c.db_max_connections;
    auto store = OpenPostgresStore(so);
    if (!store.ok()) return store.status().WithPrefix(RedactDatabaseUrl(c.database_url));
    store_ = std::move(*store);
    if (c.migrate) {
      auto report = store_->Migrate();
      if (!report.ok()) return report.status().WithPrefix("migrate");
      for (const auto& name : report->applied) logger.Info("applied migration", {{"name", name}});
    } else {
      auto version = store_->SchemaVersion();
      if (!version.ok()) return version.status();
      if (*version < LatestSchemaVersion()) {
        return cwmp::FailedPrecondition(
            "the database schema is version " + std::to_string(*version) + ", this acsd needs " +
            std::to_string(LatestSchemaVersion()) + ": run `acsd migrate` or drop --no-migrate");
      }
    }
    so.max_connections = std::max(2, c.db_max_connections / 2);
    auto ss = OpenPostgresSessionStore(so);
    if (!ss.ok()) return ss.status();
    session_store_ = std::move(*ss);

    session::SessionOptions sopt;
    sopt.session_timeout = c.session_timeout;
    sopt.discovery = c.discovery;
    sopt.refresh.max_parameters = c.discovery_max_parameters;
    sopt.refresh.batch_size = c.discovery_batch;
    sessions_ = std::make_unique<session::SessionManager>(*store_, *session_store_, sopt, Now,
                                                          metrics_, logger);
    metrics::DescribeAcsMetrics(
        metrics_, [this] { return static_cast<double>(sessions_->active_sessions()); });

    cwmp_endpoint::EndpointOptions eo;
    eo.auth = c.cpe_auth;
    eo.realm = c.realm;
    eo.default_username = c.cpe_username;
    eo.default_password = c.cpe_password;
    eo.nonce_secret = c.nonce_secret;
    if (eo.nonce_secret.empty()) {
      unsigned char buf[32];
      http::SystemRandom()(buf, sizeof buf);
      eo.nonce_secret = cwmp::Secret(std::string(reinterpret_cast<char*>(buf), sizeof buf));
    }
    eo.allow_basic_without_tls = c.allow_basic_without_tls;
    eo.max_auth_failures = c.max_auth_failures;
    eo.decode_limits.max_bytes = c.max_body_bytes;
    endpoint_ = std::make_unique<cwmp_endpoint::CwmpEndpoint>(*sessions_, *session_store_, eo, Now,
                                                              metrics_, logger);

    http::ServerOptions co;
    co.bind_address = c.cwmp_listen.host;
    co.port = c.cwmp_listen.port;
    co.max_connections = c.max_connections;
    co.limits.max_body_bytes = c.max_body_bytes;
    co.read_timeout = c.request_timeout;
    co.head_timeout = c.request_timeout;
    co.idle_timeout = c.idle_timeout;
    if (!c.tls_cert.empty()) {
      auto tls = tls::ServerContext::Create({c.tls_cert, c.tls_key, c.tls_client_ca});
      if (!tls.ok()) return tls.status();
      co.tls = *tls;
    }
    auto* endpoint = endpoint_.get();
    auto cwmp = http::HttpServer::Start(
        co, [endpoint](const http::Request& r, const http::ConnectionInfo& i) {
          return endpoint->Handle(r, i);
        });
    if (!cwmp.ok()) return cwmp.status().WithPrefix("cwmp-listen");
    cwmp_ = std::move(*cwmp);

    http::ServerOptions no;
    no.bind_address = c.nbi_listen.host;
    no.port = c.nbi_listen.port;
    no.max_connections = 64;
    auto* registry = &metrics_;
    auto nbi_server = http::HttpServer::Start(
        no,
        [registry, nbi = std::move(nbi)](const http::Request& r, const http::ConnectionInfo& i) {
          std::string path = r.target.substr(0, r.target.find('?'));
          if (path == "/metrics" && (r.method == "GET" || r.method == "HEAD")) {
            http::Response resp;
            resp.body = registry->Render();
            resp.headers.push_back({"Content-Type", "text/plain; version=0.0.4; charset=utf-8"});
            return resp;
          }
          return nbi(r, i);
        });
    if (!nbi_server.ok()) {
      cwmp_->Stop();
      return nbi_server.status().WithPrefix("nbi-listen");
    }
    nbi_ = std::move(*nbi_server);

    // Once a second: drop idle sessions; once a minute: mark pending tasks past their
    // expires_at as expired (they are never delivered anyway).
    reaper_ = std::thread([this] {
      std::unique_lock lock(mu_);
      int tick = 0;
      while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
        lock.unlock();
        sessions_->ExpireIdle();
        if (++tick % 60 == 0) {
          auto expired = store_->ExpireTasks(Now());
          if (!expired.ok()) {
            logger_->Warn("expiring tasks failed", {{"error", expired.status().ToString()}});
          } else if (*expired > 0) {
            logger_->Info("tasks expired", {{"count", std::to_string(*expired)}});
          }
        }
        lock.lock();
      }
    });
    logger.Info("listening", {{"cwmp", c.cwmp_listen.host + ":" + std::to_string(cwmp_->port())},
                              {"nbi", c.nbi_listen.host + ":" + std::to_string(nbi_->port())},
                              {"cpe_auth", cwmp_endpoint::AuthModeName(c.cpe_auth)},
                              {"tls", c.tls_cert.empty()        ? "off"
                                      : c.tls_client_ca.empty() ? "on"
                                                                : "client-certificates"},
                              {"owner", sessions_->owner()}});
    return cwmp::Status::Ok();
  }

 private:
  log::Logger* logger_ = nullptr;
  metrics::Registry metrics_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<SessionStore> session_store_;
  std::unique_ptr<session::SessionManager> sessions_;
  std::unique_ptr<cwmp_endpoint::CwmpEndpoint> endpoint_;
  std::unique_ptr<http::HttpServer> cwmp_;
  std::unique_ptr<http::HttpServer> nbi_;
  std::thread reaper_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<bool> stopped_{false};
};

}  // namespace

NbiHandler NotFoundNbiHandler() {
  return [](const http::Request&, const http::ConnectionInfo&) {
    http::Response r;
    r.status = 404;
    r.body = "{\"error\":\"not found\"}";
    r.headers.push_back({"Content-Type", "application/json"});
    return r;
  };
}

cwmp::Result<std::unique_ptr<Server>> Server::Start(const config::ServeConfig& config,
                                                    NbiHandler nbi, log::Logger& logger) {
  auto server = std::make_unique<ServerImpl>();
  cwmp::Status st = server->Init(config, std::move(nbi), logger);
  if (!st.ok()) {
    server->Stop();
    return st;
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace acs::serve
