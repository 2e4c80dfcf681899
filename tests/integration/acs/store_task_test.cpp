// Tasks, faults, API tokens and file metadata in the PostgreSQL store.
#include "acs/api_token.h"
#include "store_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

class TaskTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store_->RecordInform(Inform("T1", kT0)).ok());
  }
  int64_t Enqueue(const std::string& name, std::optional<TimePoint> expires = std::nullopt) {
    NewTask t{kDevice, name, R"({"parameterNames":["Device.DeviceInfo."]})", expires};
    auto id = store_->EnqueueTask(t, At(kT0));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : -1;
  }
  const std::string kDevice = "0021A0-CP-6851-3PCC-T1";
};

TEST_F(TaskTest, PendingTasksComeOutInOrderAndCompleteOnce) {
  int64_t a = Enqueue("getParameterValues");
  int64_t b = Enqueue("reboot");
  auto next = store_->NextPendingTask(kDevice, At(kT0 + 1));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->id, a);
  EXPECT_EQ((*next)->name, "getParameterValues");
  EXPECT_EQ((*next)->args_json, R"({"parameterNames": ["Device.DeviceInfo."]})");
  EXPECT_EQ((*next)->status, TaskStatus::kPending);
  EXPECT_EQ((*next)->created_at, At(kT0));

  ASSERT_TRUE(store_->CompleteTask(a, R"({"ok":true})", At(kT0 + 2)).ok());
  auto done = store_->GetTask(a);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->status, TaskStatus::kDone);
  EXPECT_EQ(done->result_json, R"({"ok": true})");
  EXPECT_EQ(done->updated_at, At(kT0 + 2));
  EXPECT_EQ(store_->CompleteTask(a, "{}", At(kT0 + 3)).code(),
            cwmp::StatusCode::kFailedPrecondition);

  next = store_->NextPendingTask(kDevice, At(kT0 + 3));
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->id, b);
  ASSERT_TRUE(store_->CompleteTask(b, "null", At(kT0 + 4)).ok());
  next = store_->NextPendingTask(kDevice, At(kT0 + 4));
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());

  auto other = store_->NextPendingTask("0021A0-none", At(kT0));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
}

TEST_F(TaskTest, EnqueueChecksDeviceNameAndJson) {
  auto r = store_->EnqueueTask(NewTask{"0021A0-none", "reboot", "{}", std::nullopt}, At(kT0));
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("0021A0-none"), std::string::npos);
  r = store_->EnqueueTask(NewTask{kDevice, "reboot", "{not json", std::nullopt}, At(kT0));
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kInvalidArgument) << r.status().ToString();
  r = store_->EnqueueTask(NewTask{kDevice, "", "{}", std::nullopt}, At(kT0));
  EXPECT_EQ(r.status().code(), cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CompleteTask(Enqueue("x"), "{bad", At(kT0)).code(),
            cwmp::StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->CompleteTask(999999, "{}", At(kT0)).code(), cwmp::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetTask(999999).status().code(), cwmp::StatusCode::kNotFound);
}

TEST_F(TaskTest, FaultIsRecordedAndRetryRequeues) {
  int64_t a = Enqueue("setParameterValues");
  TaskFault fault{9007, "Invalid parameter value", R"([{"parameterName":"X","faultCode":9007}])"};
  ASSERT_TRUE(store_->FailTask(a, fault, At(kT0 + 10)).ok());
  auto t = store_->GetTask(a);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->status, TaskStatus::kFault);
  EXPECT_EQ(t->attempts, 1);
  ASSERT_TRUE(t->result_json.has_value());
  EXPECT_NE(t->result_json->find("9007"), std::string::npos);
  auto next = store_->NextPendingTask(kDevice, At(kT0 + 11));
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());

  auto faults = store_->ListFaults(kDevice);
  ASSERT_TRUE(faults.ok());
  ASSERT_EQ(faults->size(), 1u);
  EXPECT_EQ((*faults)[0].code, 9007);
  EXPECT_EQ((*faults)[0].task_id, a);
  EXPECT_EQ((*faults)[0].message, "Invalid parameter value");
  EXPECT_EQ((*faults)[0].created_at, At(kT0 + 10));

  EXPECT_EQ(store_->FailTask(a, fault, At(kT0 + 12)).code(), cwmp::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->RetryTask(a, At(kT0 + 20)).ok());
  t = store_->GetTask(a);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->status, TaskStatus::kPending);
  EXPECT_EQ(t->attempts, 1);
  EXPECT_FALSE(t->result_json.has_value());
  EXPECT_EQ(store_->RetryTask(a, At(kT0 + 21)).code(), cwmp::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->FailTask(a, TaskFault{9002, "Internal error"}, At(kT0 + 30)).ok());
  EXPECT_EQ(store_->GetTask(a)->attempts, 2);
  faults = store_->ListFaults(kDevice);
  ASSERT_TRUE(faults.ok());
  ASSERT_EQ(faults->size(), 2u);
  EXPECT_EQ((*faults)[0].code, 9002);  // newest first
  EXPECT_EQ((*faults)[0].detail_json, "null");

  // Deleting the task keeps its faults, unlinked.
  ASSERT_TRUE(store_->DeleteTask(a).ok());
  EXPECT_EQ(store_->DeleteTask(a).code(), cwmp::StatusCode::kNotFound);
  faults = store_->ListFaults(kDevice);
  ASSERT_TRUE(faults.ok());
  ASSERT_EQ(faults->size(), 2u);
  EXPECT_FALSE((*faults)[0].task_id.has_value());
}

TEST_F(TaskTest, ExpiredTasksAreSkippedThenMarkedAndCanBeRetried) {
  int64_t old = Enqueue("download", At(kT0 + 100));
  int64_t fresh = Enqueue("reboot", At(kT0 + 1000));
  int64_t forever = Enqueue("factoryReset");

  auto next = store_->NextPendingTask(kDevice, At(kT0 + 50));
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->id, old);
  next = store_->NextPendingTask(kDevice, At(kT0 + 100));
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_EQ((*next)->id, fresh) << "a task is expired at its expires_at";

  auto n = store_->ExpireTasks(At(kT0 + 100));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(store_->GetTask(old)->status, TaskStatus::kExpired);
  EXPECT_EQ(*store_->ExpireTasks(At(kT0 + 100)), 0);
  EXPECT_EQ(*store_->ExpireTasks(At(kT0 + 5000)), 1);
  EXPECT_EQ(store_->GetTask(forever)->status, TaskStatus::kPending);

  ASSERT_TRUE(store_->RetryTask(old, At(kT0 + 6000)).ok());
  auto t = store_->GetTask(old);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->status, TaskStatus::kPending);
  EXPECT_FALSE(t->expires_at.has_value());

  auto all = store_->ListTasks(kDevice);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, old);
  EXPECT_EQ((*all)[1].status, TaskStatus::kExpired);
}

TEST_F(TaskTest, DeletingTheDeviceDeletesItsTasksAndFaults) {
  int64_t a = Enqueue("reboot");
  ASSERT_TRUE(store_->FailTask(a, TaskFault{9001, "Request denied"}, At(kT0)).ok());
  ASSERT_TRUE(store_->DeleteDevice(kDevice).ok());
  EXPECT_EQ(store_->GetTask(a).status().code(), cwmp::StatusCode::kNotFound);
  EXPECT_EQ(Scalar("SELECT count(*) FROM faults"), "0");
}

TEST_F(StoreTest, ApiTokensAreStoredHashedAndLookedUpByScope) {
  auto admin = GenerateApiToken();
  auto reader = GenerateApiToken();
  ASSERT_TRUE(admin.ok() && reader.ok());
  ASSERT_TRUE(store_->AddApiToken(*admin, ApiScope::kAdmin, "ops").ok());
  ASSERT_TRUE(store_->AddApiToken(*reader, ApiScope::kRead, "").ok());

  auto scope = store_->LookupApiToken(*admin);
  ASSERT_TRUE(scope.ok()) << scope.status().ToString();
  EXPECT_EQ(*scope, ApiScope::kAdmin);
  scope = store_->LookupApiToken(*reader);
  ASSERT_TRUE(scope.ok());
  EXPECT_EQ(*scope, ApiScope::kRead);
  EXPECT_EQ(store_->LookupApiToken(cwmp::Secret("acs_unknown")).status().code(),
            cwmp::StatusCode::kNotFound);
  EXPECT_EQ(store_->AddApiToken(cwmp::Secret(""), ApiScope::kRead, "").code(),
            cwmp::StatusCode::kInvalidArgument);
  // Adding the same token twice is refused by the unique hash.
  EXPECT_FALSE(store_->AddApiToken(*admin, ApiScope::kRead, "").ok());

  EXPECT_EQ(Scalar("SELECT encode(token_sha256, 'hex') FROM api_tokens WHERE description = 'ops'"),
            ApiTokenSha256Hex(*admin));
  EXPECT_EQ(
      Scalar("SELECT count(*) FROM api_tokens WHERE position(convert_to('" + admin->Reveal() +
             "', 'UTF8') in token_sha256) > 0 OR description LIKE '%" + admin->Reveal() + "%'"),
      "0");
}

TEST_F(StoreTest, FileMetadataPutGetListReplaceDelete) {
  FileInfo fw{"cp-6851-11.3.7.loads",
              "1 Firmware Upgrade Image",
              "0021A0",
              "CP-6851-3PCC",
              "11.3.7",
              31457280,
              std::string(64, 'a'),
              {},
              "http://files.example/cp-6851-11.3.7.loads"};
  FileInfo cfg{"base.xml", "3 Vendor Configuration File", "", "", "",
               1200,       std::string(64, 'b'),          {}, ""};
  ASSERT_TRUE(store_->PutFile(fw, At(kT0)).ok());
  ASSERT_TRUE(store_->PutFile(cfg, At(kT0 + 1)).ok());
  auto got = store_->GetFile("cp-6851-11.3.7.loads");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->file_type, "1 Firmware Upgrade Image");
  EXPECT_EQ(got->size, 31457280);
  EXPECT_EQ(got->created_at, At(kT0));
  EXPECT_EQ(got->url, "http://files.example/cp-6851-11.3.7.loads");
  auto all = store_->ListFiles();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "base.xml");

  cfg.size = 1300;
  cfg.sha256 = std::string(64, 'c');
  ASSERT_TRUE(store_->PutFile(cfg, At(kT0 + 2)).ok());
  got = store_->GetFile("base.xml");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->size, 1300);
  EXPECT_EQ(got->sha256, std::string(64, 'c'));
  EXPECT_EQ(store_->ListFiles()->size(), 2u);

  ASSERT_TRUE(store_->DeleteFile("base.xml").ok());
  EXPECT_EQ(store_->DeleteFile("base.xml").code(), cwmp::StatusCode::kNotFound);
  EXPECT_EQ(store_->GetFile("base.xml").status().code(), cwmp::StatusCode::kNotFound);

  FileInfo bad = fw;
  bad.sha256 = std::string(64, 'A');
  EXPECT_EQ(store_->PutFile(bad, At(kT0)).code(), cwmp::StatusCode::kInvalidArgument);
  bad = fw;
  bad.size = -1;
  EXPECT_EQ(store_->PutFile(bad, At(kT0)).code(), cwmp::StatusCode::kInvalidArgument);
  bad = fw;
  bad.file_type = "";
  EXPECT_EQ(store_->PutFile(bad, At(kT0)).code(), cwmp::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace acs::testing
