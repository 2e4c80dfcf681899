// The network worker when things go wrong, with the real `cpe-agent net-worker` and a real
// nginx: a worker that crashes or hangs in the middle of a request fails that request with a
// message that says so and is reaped; a worker program that cannot start fails cleanly;
// overlapping transfers each get their own worker; the daemon never loads libcurl itself; the
// decryption, certificate and signature checks done in a worker match the direct calls.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "agent/firmware.h"
#include "agent/network_worker.h"
#include "agent/transfer.h"
#include "cwmp/content/content.h"
#include "nginx_instance.h"
#include "test_ca.h"
#include "transfer/curl_library.h"

namespace agent_test {
namespace {

namespace fs = std::filesystem;
using cwmp_test::NginxInstance;
using cwmp_test::TestCa;
using namespace std::chrono_literals;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// PIDs of this process's children running `cpe-agent net-worker`.
std::vector<pid_t> WorkerPids() {
  std::vector<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string stat = ReadFile(entry.path().string() + "/stat");
    size_t close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid != ::getpid()) continue;
    std::string cmdline = ReadFile(entry.path().string() + "/cmdline");
    if (cmdline.find("net-worker") != std::string::npos) pids.push_back(std::stoi(name));
  }
  return pids;
}

// Waits until exactly one worker child exists and returns it (0 on timeout).
pid_t WaitForOneWorker() {
  for (int i = 0; i < 500; ++i) {
    auto pids = WorkerPids();
    if (pids.size() == 1) return pids[0];
    std::this_thread::sleep_for(10ms);
  }
  return 0;
}

class NetworkWorker : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    char tmpl[] = "/tmp/agent_networker_it_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = new std::string(tmpl);
    fs::create_directories(*dir_ + "/ca");
    ca_ = new TestCa();
    std::string error;
    ASSERT_TRUE(TestCa::Create(*dir_ + "/ca", cwmp_test::ClientIdentity{}, ca_, &error)) << error;
    nginx_ = NginxInstance::Start(*dir_ + "/nginx", *ca_, &error).release();
    ASSERT_NE(nginx_, nullptr) << error;
    ASSERT_TRUE(nginx_->PutFile("big.bin", std::string(256 * 1024, 'z')));
  }
  static void TearDownTestSuite() {
    delete nginx_;
    delete ca_;
    if (dir_ != nullptr) fs::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override { agent::EnableNetworkWorker(CPE_AGENT_BINARY); }
  void TearDown() override {
    EXPECT_EQ(agent::LiveNetworkWorkers(), 0);
    EXPECT_TRUE(WorkerPids().empty()) << "a worker process was left behind";
    EXPECT_FALSE(agent::curl::IsLoaded()) << "libcurl was loaded outside the worker";
    agent::DisableNetworkWorker();
  }

  static agent::HttpClientOptions SessionOptions() {
    agent::HttpClientOptions o;
    o.connect_timeout = 1000ms;
    o.request_timeout = 1000ms;
    return o;
  }

  static inline std::string* dir_ = nullptr;
  static inline TestCa* ca_ = nullptr;
  static inline NginxInstance* nginx_ = nullptr;
};

TEST_F(NetworkWorker, SessionsAndTransfersWork) {
  auto client = agent::MakeAcsHttpClient(SessionOptions());
  auto session = client->StartSession();
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  agent::HttpRequest post;
  post.url = nginx_->HttpUrl("/echo/body");
  post.body = "<Inform/>";
  auto reply = (*session)->Post(post);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "<Inform/>");
  EXPECT_EQ(WorkerPids().size(), 1u) << "one worker for the whole session";
  session->reset();
  EXPECT_EQ(agent::LiveNetworkWorkers(), 0);

  agent::FetchResult got = agent::Fetch(nginx_->HttpUrl("/files/big.bin"), agent::FetchOptions{});
  EXPECT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(got.body.size(), 256u * 1024);
}

// The worker gets the ACS password with each session, not from the daemon's environment, and
// none of the daemon's other descriptors.
TEST_F(NetworkWorker, WorkerInheritsNeitherTheAcsPasswordVariableNorOtherDescriptors) {
  ASSERT_EQ(::setenv("CPE_AGENT_ACS_PASSWORD", "env-secret", 1), 0);
  ::setenv("CPE_AGENT_TEST_MARKER", "visible", 1);
  auto client = agent::MakeAcsHttpClient(SessionOptions());
  auto session = client->StartSession();
  ::unsetenv("CPE_AGENT_ACS_PASSWORD");
  ::unsetenv("CPE_AGENT_TEST_MARKER");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  pid_t worker = WaitForOneWorker();
  ASSERT_GT(worker, 0);
  std::string env = ReadFile("/proc/" + std::to_string(worker) + "/environ");
  EXPECT_EQ(env.find("env-secret"), std::string::npos);
  EXPECT_NE(env.find("CPE_AGENT_TEST_MARKER=visible"), std::string::npos);
  std::vector<std::string> fds;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(worker) + "/fd")) {
    fds.push_back(entry.path().filename());
  }
  std::sort(fds.begin(), fds.end());
  EXPECT_EQ(fds, (std::vector<std::string>{"0", "1", "2", "3"}));
}

TEST_F(NetworkWorker, WorkerKilledInTheMiddleOfAPostFailsThatPostWithTheSignal) {
  auto options = SessionOptions();
  options.request_timeout = 20000ms;
  auto client = agent::MakeAcsHttpClient(options);
  auto session = client->StartSession();
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  pid_t worker = WaitForOneWorker();
  ASSERT_GT(worker, 0);
  std::thread killer([worker] {
    std::this_thread::sleep_for(300ms);  // the POST is waiting for /slow (3 s)
    ::kill(worker, SIGKILL);
  });
  agent::HttpRequest post;
  post.url = nginx_->HttpUrl("/slow");
  auto reply = (*session)->Post(post);
  killer.join();
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), cwmp::StatusCode::kIoError);
  EXPECT_NE(reply.status().message().find("killed by signal 9"), std::string::npos)
      << reply.status().message();
  // The session is unusable from then on, and says why.
  auto again = (*session)->Post(post);
  EXPECT_FALSE(again.ok());
  EXPECT_EQ(agent::LiveNetworkWorkers(), 0) << "the dead worker is reaped at once";
}

TEST_F(NetworkWorker, WorkerThatStopsAnsweringIsStoppedAfterTheRequestsTimeouts) {
  auto client = agent::MakeAcsHttpClient(SessionOptions());  // 1 s + 1 s, plus 10 s of grace
  auto session = client->StartSession();
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  pid_t worker = WaitForOneWorker();
  ASSERT_GT(worker, 0);
  ASSERT_EQ(::kill(worker, SIGSTOP), 0);
  agent::HttpRequest post;
  post.url = nginx_->HttpUrl("/echo/body");
  auto started = std::chrono::steady_clock::now();
  auto reply = (*session)->Post(post);
  auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(reply.ok());
  EXPECT_NE(reply.status().message().find("network worker: no answer within 12 s (stopped)"), std::string::npos)
      << reply.status().message();
  EXPECT_GE(waited, 12s);
  EXPECT_LT(waited, 20s);
}

TEST_F(NetworkWorker, WorkerProgramThatCannotStartFailsSessionsAndTransfersClearly) {
  agent::EnableNetworkWorker("/nonexistent/cpe-agent");
  auto client = agent::MakeAcsHttpClient(SessionOptions());
  auto session = client->StartSession();
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().message(),
            "network worker: cannot start /nonexistent/cpe-agent: No such file or directory");
  agent::FetchResult got = agent::Fetch(nginx_->HttpUrl("/files/big.bin"), agent::FetchOptions{});
  EXPECT_FALSE(got.ok());
  EXPECT_NE(got.error.find("cannot start /nonexistent/cpe-agent"), std::string::npos) << got.error;
}

TEST_F(NetworkWorker, OverlappingTransfersEachGetTheirOwnWorker) {
  constexpr int kTransfers = 6;
  std::atomic<int> ok{0};
  std::atomic<int> most_alive{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kTransfers; ++i) {
    threads.emplace_back([&] {
      // 256 KiB at 64 KiB/s: about 4 s each, so they overlap.
      agent::FetchResult got =
          agent::Fetch(nginx_->HttpUrl("/throttled/big.bin"), agent::FetchOptions{});
      if (got.ok() && got.body.size() == 256u * 1024) ++ok;
    });
  }
  for (int i = 0; i < 100; ++i) {
    int alive = agent::LiveNetworkWorkers();
    if (alive > most_alive) most_alive = alive;
    std::this_thread::sleep_for(20ms);
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, kTransfers);
  EXPECT_EQ(most_alive, kTransfers);
}

TEST_F(NetworkWorker, AfterIdleRunsWhenTheLastWorkerIsGone) {
  std::atomic<int> idle{0};
  agent::EnableNetworkWorker(CPE_AGENT_BINARY, [&] { ++idle; });
  agent::FetchResult got = agent::Fetch(nginx_->HttpUrl("/files/big.bin"), agent::FetchOptions{});
  EXPECT_TRUE(got.ok()) << got.error;
  EXPECT_EQ(idle, 1);
}

// The cryptography on fetched bytes, through the worker, gives what the direct calls give.
TEST_F(NetworkWorker, IsolatedDecodeCertificateAndSignatureChecksMatchTheDirectCalls) {
  const std::string dir = *dir_;
  const std::string profile = "<flat-profile><GPP_A>isolated</GPP_A></flat-profile>\n";
  {
    std::ofstream(dir + "/p.xml") << profile;
  }
  ASSERT_EQ(cwmp_test::RunShell("openssl enc -e -aes-256-cbc -k SecretKey -in " + dir +
                                "/p.xml -out " + dir + "/p.cfg 2> /dev/null"),
            0);
  cwmp::content::DecodeOptions key;
  key.key = cwmp::Secret("SecretKey");
  auto decoded = agent::DecodeContentIsolated(ReadFile(dir + "/p.cfg"), key);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->plaintext, profile);
  auto direct = cwmp::content::DecodeContent(ReadFile(dir + "/p.cfg"), key);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(decoded->layers, direct->layers);
  key.key = cwmp::Secret("WrongKey");
  auto wrong = agent::DecodeContentIsolated(ReadFile(dir + "/p.cfg"), key);
  auto direct_wrong = cwmp::content::DecodeContent(ReadFile(dir + "/p.cfg"), key);
  ASSERT_FALSE(wrong.ok());
  ASSERT_FALSE(direct_wrong.ok());
  EXPECT_EQ(wrong.status().code(), direct_wrong.status().code());
  EXPECT_EQ(wrong.status().message(), direct_wrong.status().message());

  auto cn = agent::CaBundleCommonNameIsolated(ReadFile(ca_->ca_cert()));
  ASSERT_TRUE(cn.ok()) << cn.status().ToString();
  EXPECT_FALSE(cn->empty());
  auto garbage = agent::CaBundleCommonNameIsolated("-----BEGIN CERTIFICATE-----\nAAAA\n");
  EXPECT_FALSE(garbage.ok());

  ASSERT_EQ(cwmp_test::RunShell("openssl genpkey -algorithm ed25519 -out " + dir +
                                "/sign.key 2> /dev/null && openssl pkey -in " + dir +
                                "/sign.key -pubout -out " + dir + "/sign.pub 2> /dev/null && "
                                "openssl genpkey -algorithm ed25519 -out " + dir +
                                "/other.key 2> /dev/null && openssl pkey -in " + dir +
                                "/other.key -pubout -out " + dir + "/other.pub 2> /dev/null"),
            0);
  auto bundle = agent::PackFirmwareBundle("sip68xx.11-2-4MPP-0002", {"CP-6841-3PCC"}, "image",
                                          ReadFile(dir + "/sign.key"));
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  auto parsed = agent::ParseFirmwareBundle(*bundle);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(
      agent::VerifyFirmwareSignatureIsolated(parsed->manifest, ReadFile(dir + "/sign.pub")).ok());
  cwmp::Status other =
      agent::VerifyFirmwareSignatureIsolated(parsed->manifest, ReadFile(dir + "/other.pub"));
  EXPECT_FALSE(other.ok());
  EXPECT_EQ(other.message(),
            agent::VerifyFirmwareSignature(parsed->manifest, ReadFile(dir + "/other.pub"))
                .message());
}

TEST(NetWorkerCommand, RefusesBadUsageAndExplainsItself) {
  std::string bin = CPE_AGENT_BINARY;
  EXPECT_EQ(cwmp_test::RunShell(bin + " net-worker --help > /dev/null"), 0);
  EXPECT_EQ(cwmp_test::RunShell(bin + " net-worker 2> /dev/null"), 2);
  EXPECT_EQ(cwmp_test::RunShell(bin + " net-worker --fd x 2> /dev/null"), 2);
  EXPECT_EQ(cwmp_test::RunShell(bin + " net-worker --fd 0 < /dev/null 2> /dev/null"), 2);
}

}  // namespace
}  // namespace agent_test
