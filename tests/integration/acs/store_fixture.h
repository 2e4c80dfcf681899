#pragma once
// StoreTest: each test gets its own database on the binary's shared PostgreSQL, migrated, and
// an open Store on it. Times are fixed values, never the wall clock.

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "acs/store.h"
#include "pg_instance.h"

namespace acs::testing {

inline TimePoint At(int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }
constexpr int64_t kT0 = 1'767'225'600;  // 2026-01-01T00:00:00Z

// Migrations are numbered by owner (001-099 store, 1xx session engine, 2xx NBI), so the number
// of migrations is not the latest version: count the files.
inline size_t MigrationCount() {
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(CWMP_SOURCE_DIR "/schema/sql")) {
    if (e.path().extension() == ".sql") ++n;
  }
  return n;
}

class StoreTest : public ::testing::Test {
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
    if (MigrateInSetUp()) {
      store_ = Open();
      ASSERT_NE(store_, nullptr);
      auto report = store_->Migrate();
      ASSERT_TRUE(report.ok()) << report.status().ToString();
    }
  }

  virtual bool MigrateInSetUp() const { return true; }

  std::unique_ptr<Store> Open(int max_connections = 4) {
    StoreOptions o;
    o.database_url = pg_->UrlFor(db_);
    o.max_connections = max_connections;
    auto s = OpenPostgresStore(o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // The first column of the first row of `sql` in this test's database.
  std::string Scalar(const std::string& sql) {
    std::string value;
    std::string err = pg_->QueryValue(db_, sql, &value);
    EXPECT_EQ(err, "") << sql;
    return value;
  }

  static InformRecord Inform(const std::string& serial, int64_t at,
                             std::vector<InformEvent> events = {{"2 PERIODIC", ""}}) {
    InformRecord in;
    in.device = DeviceIdentity{"Cisco", "0021A0", "CP-6851-3PCC", serial};
    in.events = std::move(events);
    in.received_at = At(at);
    return in;
  }

  cwmp::testing::PgInstance* pg_ = nullptr;
  std::string db_;
  std::unique_ptr<Store> store_;
};

}  // namespace acs::testing
