// Conformance: every message type the codec writes validates against the official CWMP schema
// of the version it was written for (xmllint, offline, with the project's SOAP envelope and
// encoding stubs in tests/data/xsd). The official XSDs come from CWMP_REFERENCE_DIR; without
// that folder these tests skip, saying so.

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "cwmp/soap/codec.h"
#include "samples.h"

namespace cwmp::soap {
namespace {

namespace fs = std::filesystem;

struct XsdCase {
  CwmpVersion version;
  const char* schema_file;  // official file the driver imports
};

void PrintTo(const XsdCase& c, std::ostream* os) { *os << c.schema_file; }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class XsdValidation : public ::testing::TestWithParam<XsdCase> {
 protected:
  void SetUp() override {
    reference_ = CWMP_REFERENCE_DIR;
    if (!fs::exists(fs::path(reference_) / GetParam().schema_file)) {
      GTEST_SKIP() << "official CWMP schemas not found in " << reference_
                   << " (the ../shared/reference folder beside the checkout); "
                      "XSD conformance not checked";
    }
  }

  // Runs xmllint over `files` against the driver schema of the version under test; returns
  // xmllint's combined output.
  std::string Validate(const std::vector<fs::path>& files) {
    std::string tag(VersionString(GetParam().version));
    for (char& c : tag) c = c == '.' ? '-' : c;
    fs::path data = fs::path(CWMP_SOURCE_DIR) / "tests" / "data" / "xsd";
    fs::path driver = data / ("cwmp-envelope-" + tag + ".xsd");
    // One log per test: ctest may run the tests of one version in parallel.
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    fs::path out = Dir() / (test + ".log");
    std::string cmd = "XML_CATALOG_FILES='" + (data / "catalog.xml").string() + " " +
                      (fs::path(reference_) / "catalog.xml").string() +
                      "' xmllint --nonet --noout --schema '" + driver.string() + "'";
    for (const fs::path& f : files) cmd += " '" + f.string() + "'";
    cmd += " > '" + out.string() + "' 2>&1";
    int rc = std::system(cmd.c_str());
    (void)rc;  // the per-file verdicts below are what the tests check
    return ReadFile(out);
  }

  fs::path Dir() const {
    std::string tag(VersionString(GetParam().version));
    fs::path dir = fs::path(CWMP_BINARY_DIR) / "tests" / "xsd-out" / tag;
    fs::create_directories(dir);
    return dir;
  }

  std::string reference_;
};

TEST_P(XsdValidation, EveryWrittenMessageValidates) {
  CwmpVersion v = GetParam().version;
  fs::path dir = Dir();
  std::vector<fs::path> files;
  for (const testing::Sample& s : testing::AllSamples()) {
    Result<std::string> xml = Encode(s.envelope, v);
    if (!xml.ok()) continue;  // not defined in this version (checked by RoundTrip)
    fs::path f = dir / (s.name + ".xml");
    std::ofstream(f, std::ios::binary) << *xml;
    files.push_back(f);
  }
  ASSERT_GT(files.size(), 30u);
  std::string log = Validate(files);
  for (const fs::path& f : files) {
    EXPECT_NE(log.find(f.string() + " validates"), std::string::npos)
        << f.filename() << " does not validate:\n"
        << log;
  }
}

// The harness itself must be able to fail: a CommandKey over 32 characters (bypassing the
// codec's own check by editing the output) and a missing arrayType are reported.
TEST_P(XsdValidation, InvalidEnvelopesAreRejected) {
  fs::path dir = Dir();
  Result<std::string> xml =
      Encode(testing::MakeEnvelope("1", Reboot{.command_key = "k"}), GetParam().version);
  ASSERT_TRUE(xml.ok());
  std::string long_key = *xml;
  long_key.replace(long_key.find(">k<"), 3, ">" + std::string(33, 'k') + "<");
  fs::path f1 = dir / "bad-commandkey.xml";
  std::ofstream(f1) << long_key;

  Result<std::string> gpv = Encode(
      testing::MakeEnvelope("2", GetParameterValues{.names = {"Device."}}), GetParam().version);
  ASSERT_TRUE(gpv.ok());
  std::string no_array_type = *gpv;
  size_t at = no_array_type.find(" SOAP-ENC:arrayType=");
  ASSERT_NE(at, std::string::npos);
  no_array_type.erase(at, no_array_type.find('"', no_array_type.find('"', at) + 1) + 1 - at);
  fs::path f2 = dir / "bad-arraytype.xml";
  std::ofstream(f2) << no_array_type;

  std::string log = Validate({f1, f2});
  EXPECT_NE(log.find(f1.string() + " fails to validate"), std::string::npos) << log;
  EXPECT_NE(log.find(f2.string() + " fails to validate"), std::string::npos) << log;
}

INSTANTIATE_TEST_SUITE_P(Cwmp, XsdValidation,
                         ::testing::Values(XsdCase{CwmpVersion::k1_0, "cwmp-1-0.xsd"},
                                           XsdCase{CwmpVersion::k1_1, "cwmp-1-1.xsd"},
                                           XsdCase{CwmpVersion::k1_2, "cwmp-1-2.xsd"},
                                           XsdCase{CwmpVersion::k1_3, "cwmp-1-3.xsd"},
                                           XsdCase{CwmpVersion::k1_4, "cwmp-1-4.xsd"}),
                         [](const ::testing::TestParamInfo<XsdCase>& info) {
                           std::string n = "V" + std::string(VersionString(info.param.version));
                           n[2] = '_';
                           return n;
                         });

}  // namespace
}  // namespace cwmp::soap
