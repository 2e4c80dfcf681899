// Store::Migrate and OpenPostgresStore against a real PostgreSQL.
#include <atomic>
#include <thread>
#include <vector>

#include "store_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

class MigrateTest : public StoreTest {
 protected:
  bool MigrateInSetUp() const override { return false; }
};

TEST_F(MigrateTest, AppliesEveryMigrationOnceAndIsIdempotent) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto before = store->SchemaVersion();
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(*before, 0);

  auto first = store->Migrate();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->version_before, 0);
  EXPECT_EQ(first->version_after, LatestSchemaVersion());
  ASSERT_EQ(first->applied.size(), MigrationCount());
  EXPECT_EQ(first->applied.front(), "001_devices");
  EXPECT_EQ(*store->SchemaVersion(), LatestSchemaVersion());

  auto second = store->Migrate();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->version_before, LatestSchemaVersion());
  EXPECT_EQ(Scalar("SELECT count(*) FROM schema_migrations"), std::to_string(MigrationCount()));
  for (const char* table : {"devices", "parameters", "informs", "inform_events", "tasks", "faults",
                            "files", "api_tokens"}) {
    EXPECT_EQ(Scalar(std::string("SELECT to_regclass('") + table + "') IS NOT NULL"), "t") << table;
  }
}

TEST_F(MigrateTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  constexpr int kProcs = 4;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kProcs; ++i) {
    stores.push_back(Open(1));
    ASSERT_NE(stores.back(), nullptr);
  }
  std::atomic<int> applied{0}, failures{0};
  std::vector<std::thread> threads;
  for (auto& s : stores) {
    threads.emplace_back([&, store = s.get()] {
      auto r = store->Migrate();
      if (!r.ok()) {
        ++failures;
        return;
      }
      applied += static_cast<int>(r->applied.size());
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(static_cast<size_t>(applied.load()), MigrationCount());
  EXPECT_EQ(Scalar("SELECT count(*) FROM schema_migrations"), std::to_string(MigrationCount()));
}

TEST_F(MigrateTest, RefusesADatabaseFromANewerAcsd) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  ASSERT_EQ(pg_->ExecSql(db_,
                         "INSERT INTO schema_migrations (version, name, sha256) "
                         "VALUES (999, '999_future', 'x')"),
            "");
  auto r = store->Migrate();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("999_future"), std::string::npos) << r.status().message();
}

TEST_F(MigrateTest, RefusesAMigrationEditedAfterItWasApplied) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Migrate().ok());
  ASSERT_EQ(pg_->ExecSql(db_, "UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1"),
            "");
  auto r = store->Migrate();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("001_devices was changed"), std::string::npos)
      << r.status().message();
}

TEST_F(MigrateTest, UnmigratedDatabaseTellsTheOperatorWhatToRun) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  cwmp::Status st = store->RecordInform(Inform("SN1", kT0));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), cwmp::StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("acsd migrate"), std::string::npos) << st.message();
}

TEST_F(MigrateTest, OpenReportsBadUrlsAndUnreachableServers) {
  struct Case {
    std::string url;
    cwmp::StatusCode code;
  } cases[] = {
      {"", cwmp::StatusCode::kInvalidArgument},
      {"mysql://localhost/db", cwmp::StatusCode::kInvalidArgument},
      {"postgresql://host:notaport/db", cwmp::StatusCode::kInvalidArgument},
      {"host=127.0.0.1 bogus_option=1", cwmp::StatusCode::kInvalidArgument},
      // Port 1 on loopback: nothing listens there.
      {"postgresql://postgres@127.0.0.1:1/x", cwmp::StatusCode::kIoError},
      {pg_->UrlFor("no_such_database"), cwmp::StatusCode::kIoError},
  };
  for (const auto& c : cases) {
    StoreOptions o;
    o.database_url = c.url;
    o.connect_timeout_seconds = 5;
    auto s = OpenPostgresStore(o);
    ASSERT_FALSE(s.ok()) << c.url;
    EXPECT_EQ(s.status().code(), c.code) << c.url << ": " << s.status().ToString();
  }
}

TEST_F(MigrateTest, StatementTimeoutBoundsQueriesButNotMigrations) {
  StoreOptions o;
  o.database_url = pg_->UrlFor(db_);
  o.max_connections = 1;  // the same connection migrates, then runs the timed-out statement
  o.statement_timeout_ms = 200;
  auto opened = OpenPostgresStore(o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  auto& store = *opened;
  // Every migration's bookkeeping insert takes 300 ms, longer than the statement timeout.
  ASSERT_EQ(pg_->ExecSql(db_,
                         "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text "
                         "NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL "
                         "DEFAULT now());"
                         "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS "
                         "$$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$;"
                         "CREATE TRIGGER slow BEFORE INSERT ON schema_migrations "
                         "FOR EACH ROW EXECUTE FUNCTION slow()"),
            "");
  auto report = store->Migrate();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->applied.size(), MigrationCount());

  ASSERT_EQ(pg_->ExecSql(db_,
                         "CREATE TRIGGER slow BEFORE INSERT OR UPDATE ON devices "
                         "FOR EACH ROW EXECUTE FUNCTION slow()"),
            "");
  cwmp::Status st = store->RecordInform(Inform("SLOW", kT0));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), cwmp::StatusCode::kIoError);
  EXPECT_NE(st.message().find("timed out"), std::string::npos) << st.message();
  EXPECT_EQ(Scalar("SELECT count(*) FROM informs"), "0") << "the transaction was rolled back";
  ASSERT_EQ(pg_->ExecSql(db_, "DROP TRIGGER slow ON devices"), "");
  EXPECT_TRUE(store->RecordInform(Inform("SLOW", kT0)).ok());
}

TEST(DatabaseUrl, RedactsPasswords) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"postgresql://acs:s3cret@db:5432/acs", "postgresql://acs:********@db:5432/acs"},
      {"postgres://acs@db/acs?password=s3cret&sslmode=require",
       "postgres://acs@db/acs?password=********&sslmode=require"},
      {"host=db password=s3cret dbname=acs", "host=db password=******** dbname=acs"},
      {"host=db password='a b' dbname=acs", "host=db password=******** dbname=acs"},
      {"postgresql://acs@db/acs", "postgresql://acs@db/acs"},
  };
  for (const auto& c : cases) EXPECT_EQ(RedactDatabaseUrl(c.in), c.out) << c.in;
}

}  // namespace
}  // namespace acs::testing
