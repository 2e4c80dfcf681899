// ParseFlatProfile on malformed and hostile input: an error with the exact line and column,
// and never a partial result.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "cwmp/prov/flat_profile.h"

namespace cwmp::prov {
namespace {

struct ErrorCase {
  const char* name;
  std::string xml;
  StatusCode code;
  const char* message_start;  // "LINE:COL: " and the start of the reason
};
void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.name; }

class ParseErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseErrorTest, FailsWithPosition) {
  const ErrorCase& c = GetParam();
  Result<FlatProfile> parsed = ParseFlatProfile(c.xml);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), c.code) << parsed.status().ToString();
  EXPECT_TRUE(parsed.status().message().starts_with(c.message_start))
      << "got:  " << parsed.status().message() << "\nwant: " << c.message_start << "...";
}

const std::string kLaughs =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    " <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
    "]>\n"
    "<flat-profile><GPP_A>&lol9;</GPP_A></flat-profile>\n";

const ErrorCase kErrorCases[] = {
    {"mismatched_end_tag", "<flat-profile>\n<A>1</B>\n</flat-profile>", StatusCode::kParseError,
     "2:9: Opening and ending tag mismatch: A line 2 and B"},
    {"truncated_file", "<flat-profile>\n<A>1</A>\n<B>2", StatusCode::kParseError,
     "3:5: Premature end of data in tag B"},
    {"truncated_in_tag", "<flat-profile>\n<A ua=\"r", StatusCode::kParseError, "2:9: "},
    {"unquoted_ua", "<flat-profile>\n<A ua=rw/>\n</flat-profile>", StatusCode::kParseError,
     "2:7: AttValue: \" or ' expected"},
    {"duplicate_ua", "<flat-profile>\n<A ua=\"rw\" ua=\"ro\"/>\n</flat-profile>",
     StatusCode::kParseError, "2:19: Attribute ua redefined"},
    {"bad_ua_value", "<flat-profile>\n  <A ua=\"RW\">1</A>\n</flat-profile>",
     StatusCode::kParseError, "2:3: A: ua=\"RW\" is not \"na\", \"ro\" or \"rw\""},
    {"empty_ua_value", "<flat-profile>\n<A ua=\"\"/>\n</flat-profile>", StatusCode::kParseError,
     "2:1: A: ua=\"\" is not"},
    {"unknown_entity", "<flat-profile>\n<A>&nbsp;</A></flat-profile>", StatusCode::kParseError,
     "2:10: Entity 'nbsp' not defined"},
    {"bare_ampersand", "<flat-profile>\n<A>a & b</A></flat-profile>", StatusCode::kParseError,
     "2:7: xmlParseEntityRef: no name"},
    {"bare_less_than", "<flat-profile>\n<A>a < b</A></flat-profile>", StatusCode::kParseError,
     "2:7: StartTag: invalid element name"},
    {"invalid_char_ref", "<flat-profile>\n<A>&#1;</A></flat-profile>", StatusCode::kParseError,
     "2:8: xmlParseCharRef: invalid xmlChar value 1"},
    {"mangled_guide_name", "<flat-profile>\n<Enable Web Server ua=\"na\">Yes</Enable Web Server>",
     StatusCode::kParseError, "2:13: Specification mandates value for attribute Web"},
    {"element_inside_parameter", "<flat-profile>\n<A>x<B>1</B></A>\n</flat-profile>",
     StatusCode::kParseError, "2:5: A: element <B> inside a parameter"},
    {"wrong_root", "<?xml version=\"1.0\"?>\n<config><A>1</A></config>", StatusCode::kParseError,
     "2:1: root element <config> is not <flat-profile> or <device>"},
    {"two_roots", "<flat-profile/>\n<flat-profile/>", StatusCode::kParseError,
     "2:1: Extra content at the end of the document"},
    {"undeclared_prefix", "<flat-profile>\n<x:A>1</x:A></flat-profile>", StatusCode::kParseError,
     "2:5: Namespace prefix x on A is not defined"},
    {"declared_prefix", "<flat-profile xmlns:x=\"urn:x\">\n <x:A>1</x:A></flat-profile>",
     StatusCode::kParseError, "2:2: x:A: namespace prefixes are not allowed"},
    {"empty_input", "", StatusCode::kParseError, "1:1: empty profile"},
    {"white_space_only", "  \n ", StatusCode::kParseError, "2:2: Start tag expected"},
    {"not_xml", "Resync_Periodic=7200\n", StatusCode::kParseError, "1:1: Start tag expected"},
    {"invalid_utf8", "<flat-profile>\n<A>\xFF</A></flat-profile>", StatusCode::kParseError,
     "2:4: Input is not proper UTF-8"},
    {"latin1_declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<flat-profile/>",
     StatusCode::kParseError,
     "1:31: encoding \"ISO-8859-1\" is not supported; flat profiles are UTF-8"},
    {"utf16_declared_single_quotes", "<?xml version='1.0' encoding='UTF-16'?><flat-profile/>",
     StatusCode::kParseError, "1:31: encoding \"UTF-16\" is not supported"},
    {"utf16le_bom", std::string("\xFF\xFE<\0f\0", 6), StatusCode::kParseError, "1:1: UTF-16 input"},
    {"utf16be_without_bom", std::string("\0<\0f", 4), StatusCode::kParseError,
     "1:1: UTF-16/32 input"},
    // Hostile DTDs: rejected at the DOCTYPE, before any entity is declared or fetched.
    {"xxe_file",
     "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
     "<flat-profile><A>&e;</A></flat-profile>",
     StatusCode::kParseError, "2:1: DOCTYPE is not allowed in a flat profile"},
    {"xxe_http",
     "<!DOCTYPE flat-profile [<!ENTITY e SYSTEM \"http://192.0.2.1/x\">]>"
     "<flat-profile><A>&e;</A></flat-profile>",
     StatusCode::kParseError, "1:1: DOCTYPE is not allowed"},
    {"external_dtd", "<!DOCTYPE flat-profile SYSTEM \"http://192.0.2.1/p.dtd\"><flat-profile/>",
     StatusCode::kParseError, "1:1: DOCTYPE is not allowed"},
    {"parameter_entity",
     "<!DOCTYPE x [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]><flat-profile/>",
     StatusCode::kParseError, "1:1: DOCTYPE is not allowed"},
    {"doctype_without_subset", "<!-- x -->\n  <!DOCTYPE flat-profile>\n<flat-profile/>",
     StatusCode::kParseError, "2:3: DOCTYPE is not allowed"},
    {"billion_laughs", kLaughs, StatusCode::kParseError, "2:1: DOCTYPE is not allowed"},
};

INSTANTIATE_TEST_SUITE_P(Malformed, ParseErrorTest, ::testing::ValuesIn(kErrorCases),
                         [](const auto& info) { return std::string(info.param.name); });

std::string Profile(size_t elements) {
  std::string xml = "<flat-profile>\n";
  for (size_t i = 0; i < elements; ++i) xml += "<GPP_A>" + std::to_string(i) + "</GPP_A>\n";
  return xml + "</flat-profile>\n";
}

TEST(ParseLimitsTest, InputLargerThanLimitRejectedBeforeParsing) {
  // 100 MiB of an otherwise valid profile: refused on its size alone, at once
  // (parsing it would take far longer and allocate far more).
  std::string big = "<flat-profile><GPP_A>";
  big.resize(size_t{100} << 20, 'x');
  auto start = std::chrono::steady_clock::now();
  Result<FlatProfile> parsed = ParseFlatProfile(big);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(parsed.status().message(),
            "1:1: profile of 104857600 bytes is larger than the limit of 8388608");
  EXPECT_LT(elapsed, std::chrono::milliseconds(250));  // parsing 100 MiB takes > 400 ms
}

TEST(ParseLimitsTest, MaxBytesIsConfigurable) {
  std::string xml = Profile(3);
  ParseLimits limits;
  limits.max_bytes = xml.size();
  EXPECT_TRUE(ParseFlatProfile(xml, limits).ok());
  limits.max_bytes = xml.size() - 1;
  Result<FlatProfile> parsed = ParseFlatProfile(xml, limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kLimitExceeded);
}

TEST(ParseLimitsTest, TooManyElements) {
  ParseLimits limits;
  limits.max_elements = 10;
  EXPECT_TRUE(ParseFlatProfile(Profile(10), limits).ok());
  Result<FlatProfile> parsed = ParseFlatProfile(Profile(11), limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(parsed.status().message(), "12:1: more than 10 parameter elements");
}

TEST(ParseLimitsTest, DefaultElementLimit) {
  Result<FlatProfile> parsed = ParseFlatProfile(Profile(100001));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "100002:1: more than 100000 parameter elements");
}

TEST(ParseLimitsTest, ValueTooLong) {
  ParseLimits limits;
  limits.max_value_bytes = 8;
  EXPECT_TRUE(ParseFlatProfile("<flat-profile><A>12345678</A></flat-profile>", limits).ok());
  Result<FlatProfile> parsed =
      ParseFlatProfile("<flat-profile>\n<A>123456789</A></flat-profile>", limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kLimitExceeded);
  EXPECT_TRUE(parsed.status().message().starts_with("2:"));
  EXPECT_NE(parsed.status().message().find("A: value longer than the limit of 8 bytes"),
            std::string::npos)
      << parsed.status().message();
}

TEST(ParseLimitsTest, NameTooLong) {
  ParseLimits limits;
  limits.max_name_bytes = 12;  // every element name, "flat-profile" included
  EXPECT_TRUE(ParseFlatProfile("<flat-profile><Station_Name/></flat-profile>", limits).ok());
  Result<FlatProfile> parsed = ParseFlatProfile(
      "<flat-profile>\n <Resync_Periodic>1</Resync_Periodic></flat-profile>", limits);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(parsed.status().message(),
            "2:2: element name of 15 bytes is longer than the limit of 12");
}

TEST(ParseLimitsTest, DeepNestingInsideDevice) {
  std::string xml = "<device>";
  for (int i = 0; i < 20; ++i) xml += "<x>";
  for (int i = 0; i < 20; ++i) xml += "</x>";
  xml += "</device>";
  Result<FlatProfile> parsed = ParseFlatProfile(xml);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kLimitExceeded);
  // The 17th element (depth 17 > 16) starts at byte 8 + 15 * 3.
  EXPECT_EQ(parsed.status().message(), "1:54: elements nested deeper than the limit of 16");
}

TEST(ParseLimitsTest, LongValueWithinLimitIsKept) {
  std::string value(60000, 'v');
  Result<FlatProfile> parsed =
      ParseFlatProfile("<flat-profile><GPP_A>" + value + "</GPP_A></flat-profile>");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->elements.size(), 1u);
  EXPECT_EQ(parsed->elements[0].value, value);
}

}  // namespace
}  // namespace cwmp::prov

namespace cwmp::prov {
namespace {

// The parser context is reused per thread; these check that reuse leaks nothing between calls.
TEST(ParserReuseTest, ParsesCorrectlyAfterEachKindOfFailure) {
  const char* failures[] = {
      "<!DOCTYPE x [<!ENTITY e \"v\">]><flat-profile><A>&e;</A></flat-profile>",
      "<flat-profile><A ua=\"bad\">1</A></flat-profile>",
      "<flat-profile><A>1</B></flat-profile>",
      "<flat-profile><A><B/></A></flat-profile>",
      "<flat-profile><A>",
  };
  for (const char* bad : failures) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParseFlatProfile(bad).ok());
    Result<FlatProfile> good = ParseFlatProfile("<flat-profile>\n<B ua=\"ro\"/></flat-profile>");
    ASSERT_TRUE(good.ok()) << good.status().ToString();
    ASSERT_EQ(good->elements.size(), 1u);
    EXPECT_EQ(good->elements[0].name, "B");
    EXPECT_EQ(good->elements[0].value, std::nullopt);
    EXPECT_EQ(good->elements[0].ua, Access::kRo);
    EXPECT_EQ(good->elements[0].line, 2);
  }
}

TEST(ParserReuseTest, ManyDistinctNamesAcrossCalls) {
  // 3 x 10,000 distinct names: the context's name dictionary passes its bound and the
  // context is rebuilt in between; every parse still sees its own names.
  for (int round = 0; round < 3; ++round) {
    std::string xml = "<flat-profile>";
    for (int i = 0; i < 10000; ++i) {
      xml += "<P" + std::to_string(round) + "_" + std::to_string(i) + ">" + std::to_string(i) +
             "</P" + std::to_string(round) + "_" + std::to_string(i) + ">";
    }
    xml += "</flat-profile>";
    Result<FlatProfile> parsed = ParseFlatProfile(xml);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    ASSERT_EQ(parsed->elements.size(), 10000u);
    EXPECT_EQ(parsed->elements[9999].name, "P" + std::to_string(round) + "_9999");
    EXPECT_EQ(parsed->elements[9999].value, "9999");
  }
}

TEST(ParserReuseTest, ConcurrentThreads) {
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &wrong] {
      for (int i = 0; i < 200; ++i) {
        std::string value = std::to_string(t * 1000 + i);
        Result<FlatProfile> parsed =
            ParseFlatProfile("<flat-profile><GPP_A>" + value + "</GPP_A></flat-profile>");
        if (!parsed.ok() || parsed->elements.size() != 1 || parsed->elements[0].value != value) {
          ++wrong;
        }
        if (ParseFlatProfile("<flat-profile><A>").ok()) ++wrong;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace cwmp::prov
