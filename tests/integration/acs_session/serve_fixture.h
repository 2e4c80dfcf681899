#pragma once
// ServeTest: each test gets its own database on the binary's shared PostgreSQL and starts
// in-process acsd servers (acs::serve::Server) on loopback ports chosen by the kernel.

#include <gtest/gtest.h>

#include <cctype>
#include <memory>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "acs/serve.h"
#include "acs/session_store.h"
#include "acs/store.h"
#include "cpe_client.h"
#include "cwmp/base/json.h"
#include "pg_instance.h"

namespace acs::testing {

inline constexpr const char* kDevice = "000E08-CP-6861-3PCC-";  // + serial

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pg_ = cwmp::testing::PgEnvironment::Get();
    ASSERT_NE(pg_, nullptr);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = "t_";
    for (char c : std::string(info->test_suite_name()) + "_" + info->name()) {
      db_ += std::isalnum(static_cast<unsigned char>(c)) ? std::tolower(c) : '_';
    }
    ASSERT_EQ(pg_->CreateDatabase(db_), "");
    logger_ = std::make_unique<log::Logger>(&log_, log::Format::kPlain, log::Level::kDebug);
  }

  void TearDown() override {
    for (auto& s : servers_) s->Stop();
    if (HasFailure()) std::cerr << "--- acsd log ---\n" << log_.str();
  }

  config::ServeConfig Config() {
    config::ServeConfig c;
    c.database_url = pg_->UrlFor(db_);
    c.db_max_connections = 4;
    c.cwmp_listen = {"127.0.0.1", 0};
    c.nbi_listen = {"127.0.0.1", 0};
    c.cpe_auth = cwmp_endpoint::AuthMode::kNone;
    c.discovery = false;
    return c;
  }

  serve::Server& StartServer(const config::ServeConfig& c) {
    auto s = serve::Server::Start(c, serve::NotFoundNbiHandler(), *logger_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) std::abort();
    servers_.push_back(std::move(*s));
    return *servers_.back();
  }
  serve::Server& StartServer() { return StartServer(Config()); }

  Store& store() { return servers_.front()->store(); }

  // The first column of the first row of `sql`.
  std::string Scalar(const std::string& sql) {
    std::string value;
    EXPECT_EQ(pg_->QueryValue(db_, sql, &value), "") << sql;
    return value;
  }

  int64_t Enqueue(const std::string& device, const std::string& json) {
    auto body = cwmp::json::Parse(json);
    EXPECT_TRUE(body.ok()) << json;
    NewTask t;
    t.device_id = device;
    t.name = body->Find("name")->as_string();
    t.args_json = json;
    auto id = store().EnqueueTask(t, std::chrono::system_clock::now());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  Task GetTask(int64_t id) {
    auto t = store().GetTask(id);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : Task{};
  }

  std::optional<std::string> ParamValue(const std::string& device, const std::string& name) {
    auto d = store().GetDevice(device);
    if (!d.ok()) return std::nullopt;
    for (const auto& p : d->parameters) {
      if (p.name == name) return p.value;
    }
    return std::nullopt;
  }

  // Inform (periodic) for `serial` and check the InformResponse.
  void Inform(CpeClient& cpe, const std::string& serial,
              const std::string& file = "inform_periodic.xml") {
    HttpReply r = cpe.Post(ReadData(file, {{"SERIAL", serial}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto env = r.Envelope();
    ASSERT_TRUE(std::holds_alternative<cwmp::soap::InformResponse>(env.body))
        << cwmp::soap::MethodName(env.body);
  }

  cwmp::testing::PgInstance* pg_ = nullptr;
  std::string db_;
  std::stringstream log_;
  std::unique_ptr<log::Logger> logger_;
  std::vector<std::unique_ptr<serve::Server>> servers_;
};

}  // namespace acs::testing
