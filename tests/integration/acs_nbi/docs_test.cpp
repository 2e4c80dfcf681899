// Runs every curl example of docs/api/*.md (with the real curl) against the NBI and checks
// the status written above it, so the documentation stays true. Each page gets a fresh
// database with one device, its Inform history and one faulted task.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "nbi_fixture.h"
#include "run_program.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

struct Example {
  int line = 0;
  int status = 0;
  std::string command;
};

std::vector<Example> ExamplesOf(const std::string& path) {
  std::ifstream in(path);
  std::vector<Example> out;
  std::string line;
  int n = 0;
  int pending_status = 0;
  bool in_block = false;
  Example cur;
  static const std::regex kStatus(R"(^<!-- status: (\d{3}) -->$)");
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (!in_block && std::regex_match(line, m, kStatus)) {
      pending_status = std::stoi(m[1]);
    } else if (!in_block && line == "```sh") {
      in_block = true;
      cur = Example{n, pending_status, ""};
      pending_status = 0;
    } else if (in_block && line == "```") {
      in_block = false;
      out.push_back(cur);
    } else if (in_block) {
      cur.command += line + "\n";
    }
  }
  return out;
}

std::vector<std::string> Pages() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(CWMP_SOURCE_DIR "/docs/api")) {
    if (e.path().extension() == ".md") out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class DocsTest : public NbiTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(DocsTest, ExamplesAnswerAsDocumented) {
  std::string id = AddDevice("PH0001", kT0, {{"0 BOOTSTRAP", ""}, {"1 BOOT", ""}});
  AddDevice("PH0001", kT0 + 600);
  auto t = store_->EnqueueTask(NewTask{id, "reboot", R"({"name":"reboot"})", std::nullopt},
                               At(kT0 + 601));
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(store_->FailTask(*t, TaskFault{9001, "Request denied", "null"}, At(kT0 + 602)).ok());
  device_for_cr_ = id;
  complete_on_poke_ = true;

  auto examples = ExamplesOf(CWMP_SOURCE_DIR "/docs/api/" + GetParam());
  ASSERT_FALSE(examples.empty()) << GetParam() << " has no example";
  std::map<std::string, std::string> env = {{"ACS", base_},
                                            {"TOKEN", kAdminToken},
                                            {"READ_TOKEN", kReadToken},
                                            {"DEVICE", nbi::EncodeDeviceId(id)},
                                            {"TASK", std::to_string(*t)}};
  for (const auto& ex : examples) {
    std::string where = GetParam() + ":" + std::to_string(ex.line);
    ASSERT_NE(ex.status, 0) << where << ": no <!-- status: N --> line above the example";
    ASSERT_EQ(ex.command.rfind("curl ", 0), 0u) << where;
    std::string cmd = ex.command;
    while (!cmd.empty() && (cmd.back() == '\n' || cmd.back() == ' ')) cmd.pop_back();
    cmd += " -w '\\n%{http_code}'";
    Outcome o = RunProgram({"/bin/sh", "-c", cmd}, env);
    ASSERT_EQ(o.exit_code, 0) << where << ": " << o.err;
    size_t nl = o.out.rfind('\n');
    ASSERT_NE(nl, std::string::npos) << where << ": " << o.out;
    std::string body = o.out.substr(0, nl);
    EXPECT_EQ(o.out.substr(nl + 1), std::to_string(ex.status)) << where << "\n" << body;
    if (!body.empty()) {
      EXPECT_TRUE(cwmp::json::Parse(body).ok()) << where << ": not JSON: " << body;
    }
    EXPECT_EQ(body.find(kCrPassword), std::string::npos) << where;
    EXPECT_EQ(body.find("not-shown"), std::string::npos) << where;
  }
}

INSTANTIATE_TEST_SUITE_P(Pages, DocsTest, ::testing::ValuesIn(Pages()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n;
                           for (char c : info.param) n += std::isalnum(c) ? c : '_';
                           return n;
                         });

// docs/api/README.md links one page per endpoint, and every page exists.
TEST(DocsIndex, EveryLinkedPageExists) {
  std::ifstream in(CWMP_SOURCE_DIR "/docs/api/README.md");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  static const std::regex kLink(R"(\]\(([a-z-]+\.md)\))");
  int links = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), kLink), end; it != end; ++it) {
    ++links;
    EXPECT_TRUE(std::filesystem::exists(CWMP_SOURCE_DIR "/docs/api/" + (*it)[1].str())) << (*it)[1];
  }
  EXPECT_EQ(links, 10);
}

// docs/openapi.yaml describes every route the API serves.
TEST(DocsIndex, OpenApiHasEveryPath) {
  std::ifstream in(CWMP_SOURCE_DIR "/docs/openapi.yaml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.rfind("openapi: 3.", 0), 0u);
  for (const char* path :
       {"/devices:", "/devices/{id}:", "/devices/{id}/events:", "/devices/{id}/tasks:",
        "/tasks/{id}:", "/tasks/{id}/retry:", "/faults:"}) {
    EXPECT_NE(text.find(std::string("\n  ") + path + "\n"), std::string::npos) << path;
  }
}

}  // namespace
}  // namespace acs::testing
