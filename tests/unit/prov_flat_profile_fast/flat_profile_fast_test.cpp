// The flat-profile fast path (shared/src/prov/flat_profile_fast.h) against the libxml2 reader,
// which stays the reference: on every input ParseFlatProfile must return exactly what the
// libxml2 reader alone returns (elements with values, ua, order and positions; or the same
// error), and whatever the fast reader accepts must be what libxml2 reads.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cwmp/prov/catalog.h"
#include "cwmp/prov/flat_profile.h"
#include "prov/flat_profile_fast.h"

namespace cwmp::prov {
namespace {

using internal::ParseFlatProfileFast;
using internal::ParseFlatProfileLibxml2;

std::string Show(const FlatProfile& profile) {
  std::ostringstream out;
  for (const ProfileElement& e : profile.elements) {
    out << e.line << ':' << e.column << " <" << e.name << '>'
        << (e.ua ? " ua=" + std::string(AccessName(*e.ua)) : "")
        << (e.value ? " [" + *e.value + "]" : " (no value)") << '\n';
  }
  return out.str();
}

// Same elements, in the same order, with the same positions.
bool SameProfile(const FlatProfile& a, const FlatProfile& b) {
  if (a.elements.size() != b.elements.size()) return false;
  for (size_t i = 0; i < a.elements.size(); ++i) {
    const ProfileElement& x = a.elements[i];
    const ProfileElement& y = b.elements[i];
    if (!x.SameContent(y) || x.line != y.line || x.column != y.column) return false;
  }
  return true;
}

// ParseFlatProfile agrees with the libxml2 reader; a fast result agrees too. Returns whether
// the fast reader took the input.
bool ExpectAgreement(const std::string& xml, const ParseLimits& limits = {}) {
  SCOPED_TRACE("input: " + xml.substr(0, 200));
  const Result<FlatProfile> reference = ParseFlatProfileLibxml2(xml, limits);
  const Result<FlatProfile> parsed = ParseFlatProfile(xml, limits);
  EXPECT_EQ(parsed.ok(), reference.ok())
      << "ParseFlatProfile: " << (parsed.ok() ? "ok" : parsed.status().ToString())
      << "\nlibxml2: " << (reference.ok() ? "ok" : reference.status().ToString());
  if (parsed.ok() && reference.ok()) {
    EXPECT_TRUE(SameProfile(*parsed, *reference)) << "ParseFlatProfile:\n"
                                                  << Show(*parsed) << "libxml2:\n"
                                                  << Show(*reference);
  } else if (!parsed.ok() && !reference.ok()) {
    EXPECT_EQ(parsed.status().ToString(), reference.status().ToString());
  }
  const std::optional<FlatProfile> fast = ParseFlatProfileFast(xml, limits);
  if (fast) {
    EXPECT_TRUE(reference.ok()) << "the fast reader accepted what libxml2 rejects: "
                                << reference.status().ToString();
    if (reference.ok()) {
      EXPECT_TRUE(SameProfile(*fast, *reference)) << "fast:\n"
                                                  << Show(*fast) << "libxml2:\n"
                                                  << Show(*reference);
    }
  }
  return fast.has_value();
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> FilesUnder(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(CWMP_SOURCE_DIR) + "/" + dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Every catalog parameter once, as the benchmark's full profile.
std::string FullProfile(bool device_wrapper) {
  FlatProfile p;
  for (const ParamDef& def : Catalog::Builtin().params()) {
    p.elements.push_back({def.name, def.default_value, def.access, 0, 0});
  }
  SerializeOptions options;
  options.device_wrapper = device_wrapper;
  return SerializeFlatProfile(p, options);
}

// --- The corpus: every profile the project has ---------------------------------------------

TEST(FlatProfileFastTest, EveryProfileInTheTestCorpusAgrees) {
  size_t files = 0;
  size_t fast = 0;
  for (const char* dir :
       {"tests/data/profiles", "tests/data/profile_cli", "tests/fuzz/corpus/flat_profile",
        "tests/fuzz/corpus/flat_profile_fast"}) {
    for (const auto& path : FilesUnder(dir)) {
      SCOPED_TRACE(path.string());
      ++files;
      if (ExpectAgreement(ReadFile(path))) ++fast;
    }
  }
  EXPECT_GT(files, 30u);
  EXPECT_GT(fast, 20u);
}

// The guide's examples (tests/data/profiles) are all in the shape the fast reader takes.
TEST(FlatProfileFastTest, GuideExamplesTakeTheFastPath) {
  for (const auto& path : FilesUnder("tests/data/profiles")) {
    SCOPED_TRACE(path.string());
    const std::string xml = ReadFile(path);
    EXPECT_TRUE(ParseFlatProfileFast(xml, {}).has_value());
    ExpectAgreement(xml);
  }
}

TEST(FlatProfileFastTest, FullCatalogProfileTakesTheFastPath) {
  for (bool device : {false, true}) {
    const std::string xml = FullProfile(device);
    std::optional<FlatProfile> fast = ParseFlatProfileFast(xml, {});
    ASSERT_TRUE(fast.has_value());
    EXPECT_EQ(fast->elements.size(), Catalog::Builtin().params().size());
    EXPECT_TRUE(ExpectAgreement(xml));
  }
}

// --- Inputs the fast reader understands ----------------------------------------------------

struct Variant {
  const char* name;
  std::string xml;
};
void PrintTo(const Variant& v, std::ostream* os) { *os << v.name; }

class UnderstoodTest : public ::testing::TestWithParam<Variant> {};

TEST_P(UnderstoodTest, FastPathTakesItAndAgrees) {
  EXPECT_TRUE(ExpectAgreement(GetParam().xml)) << "the fast reader declined";
}

const Variant kUnderstood[] = {
    {"plain", "<flat-profile><A>1</A></flat-profile>"},
    {"declaration",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile><A>1</A></flat-profile>"},
    {"declaration_single_quotes_utf8_standalone",
     "<?xml version='1.0' encoding='utf8' standalone='yes'?><flat-profile><A>1</A></flat-profile>"},
    {"declaration_spaces", "<?xml  version = \"1.0\"\n encoding= 'Utf-8'  ?><flat-profile/>"},
    {"declaration_standalone_only", "<?xml version=\"1.0\" standalone=\"no\"?><flat-profile/>"},
    {"bom", "\xEF\xBB\xBF<flat-profile>\n<A>1</A></flat-profile>"},
    {"bom_and_declaration",
     "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<flat-profile>\n <A>1</A></flat-profile>"},
    {"trimmed", "<flat-profile>\n<A> 7200 </A>\n<B>\n\t x \t\n</B></flat-profile>"},
    {"newlines_inside", "<flat-profile><A>a\nb\r\nc\rd</A></flat-profile>"},
    {"crlf_everywhere", "<flat-profile>\r\n<A> 1\r\n2 </A>\r\n<B>3</B>\r\n</flat-profile>\r\n"},
    {"lone_cr_lines", "<flat-profile>\r<A>1</A>\r<B>\r2\r\r3</B>\r</flat-profile>"},
    {"ua_all", "<flat-profile><A ua=\"na\">1</A><B ua='ro'>2</B><C ua=\"rw\">3</C></flat-profile>"},
    {"ua_only", "<flat-profile><A ua=\"ro\"/><B ua=\"rw\" /><C\n ua = 'na'\n/></flat-profile>"},
    {"empty_forms",
     "<flat-profile><A/><B></B><C ua=\"na\"></C><D >  </D><E>\"\"</E></flat-profile>"},
    {"entities",
     "<flat-profile><A>&amp;&lt;&gt;&apos;&quot;</A><B>(S0 &lt;:1800&gt;)</B></flat-profile>"},
    {"char_refs",
     "<flat-profile><A>&#65;&#x41;&#x4a;&#x4A;&#0000065;&#233;&#x20AC;&#x1F600;&#1114111;</A>"
     "</flat-profile>"},
    {"char_ref_line_ends",
     "<flat-profile><A>a&#10;b&#13;c&#13;&#10;d</A><B>&#13;x&#9;</B></flat-profile>"},
    {"char_ref_space_kept_by_trim_rules", "<flat-profile><A>&#32;x&#32;</A></flat-profile>"},
    {"utf8_values",
     "<flat-profile><A>Caf\xC3\xA9</A><B>\xE2\x82\xAC \xF0\x9F\x98\x80 \xC2\x80</B>"
     "<C>\xEF\xBF\xBD\xEF\xBB\xBF</C></flat-profile>"},
    {"utf8_columns",
     "<flat-profile><A>\xC3\xA9\xE2\x82\xAC</A><B>1</B><!-- \xC3\xA9 --><C/></flat-profile>"},
    {"comments",
     "<!-- head -->\n<flat-profile>\n<!-- c -->\n<A>1<!-- in -->2</A>\n"
     "<!-- <B ua=\"na\"/> - x -->\n</flat-profile>\n<!-- tail -->\n"},
    {"empty_comment", "<flat-profile><!----><A>1<!---->2</A></flat-profile>"},
    {"stray_text",
     "<flat-profile>available options: AUTO|10 HALF &amp; ]] ] >\n<A>1</A>stray</flat-profile>"},
    {"device",
     "<?xml version=\"1.0\"?>\n<device>\n<flat-profile>\n<A>1</A>\n</flat-profile>\n</device>"},
    {"device_two_profiles_text_comments",
     "<device>x<!-- c --><flat-profile><A>1</A></flat-profile> y <flat-profile/>"
     "<flat-profile ><A>2</A></flat-profile ></device >"},
    {"empty_roots_1", "<flat-profile/>"},
    {"empty_roots_2", "<device/>"},
    {"empty_roots_3", "<device></device>"},
    {"empty_roots_4", "<flat-profile ></flat-profile>"},
    {"names",
     "<flat-profile><Phone-UI-User-Mode>No</Phone-UI-User-Mode>"
     "<Enable_802.1X_Authentication>No</Enable_802.1X_Authentication><_a.b-c9/>"
     "<flat-profile>p</flat-profile><device>d</device><xml1>x</xml1></flat-profile>"},
    {"end_tag_space", "<flat-profile><A>1</A \n></flat-profile\t>"},
    {"duplicates", "<flat-profile>\n<A>1</A>\n<B>x</B>\n<A>2</A>\n<A ua=\"rw\"/>\n</flat-profile>"},
    {"gt_in_text", "<flat-profile><A>a > b ]> ]]</A></flat-profile>"},
    {"one_line_many",
     "<flat-profile><A>1</A><B>2</B><C>3</C><D>4</D><E>\xC3\xA9</E><F>5</F></flat-profile>"},
    {"del_free_ascii", "<flat-profile><A> !\"#$%'()*+,-./09:;=?@AZ[\\^_`az{|}~</A></flat-profile>"},
};

INSTANTIATE_TEST_SUITE_P(Shapes, UnderstoodTest, ::testing::ValuesIn(kUnderstood),
                         [](const auto& info) { return std::string(info.param.name); });

// --- Inputs it declines: libxml2 reads (or rejects) them, exactly as before ----------------

class DeclinedTest : public ::testing::TestWithParam<Variant> {};

TEST_P(DeclinedTest, FallsBackToLibxml2) {
  const std::string& xml = GetParam().xml;
  EXPECT_FALSE(ParseFlatProfileFast(xml, {}).has_value());
  ExpectAgreement(xml);
}

const std::string kLaughs =
    "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n]>\n"
    "<flat-profile><GPP_A>&lol2;</GPP_A></flat-profile>\n";

const Variant kDeclined[] = {
    // Hostile input: every DTD goes to libxml2, which stops at the DOCTYPE.
    {"xxe",
     "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
     "<flat-profile><A>&e;</A></flat-profile>"},
    {"billion_laughs", kLaughs},
    {"external_dtd", "<!DOCTYPE flat-profile SYSTEM \"http://192.0.2.1/p.dtd\"><flat-profile/>"},
    {"undeclared_entity", "<flat-profile><A>&e;</A></flat-profile>"},
    {"entity_case", "<flat-profile><A>&AMP;</A></flat-profile>"},
    {"entity_without_semicolon", "<flat-profile><A>&amp</A></flat-profile>"},
    {"bare_ampersand", "<flat-profile><A>a & b</A></flat-profile>"},
    {"bare_ampersand_between", "<flat-profile>a & b<A>1</A></flat-profile>"},
    // Other XML constructs.
    {"cdata", "<flat-profile><A><![CDATA[(<:1>)]]></A></flat-profile>"},
    {"processing_instruction", "<flat-profile><?app x?><A>1</A></flat-profile>"},
    {"pi_before_root", "<?app x?><flat-profile/>"},
    {"xml_pi_without_space", "<?xml?><flat-profile/>"},
    {"other_attribute", "<flat-profile><A note=\"x\" ua=\"ro\">1</A></flat-profile>"},
    {"attribute_after_ua", "<flat-profile><A ua=\"ro\" note=\"x\">1</A></flat-profile>"},
    {"duplicate_ua", "<flat-profile><A ua=\"rw\" ua=\"ro\"/></flat-profile>"},
    {"ua_upper_case", "<flat-profile><A ua=\"RW\">1</A></flat-profile>"},
    {"ua_empty", "<flat-profile><A ua=\"\"/></flat-profile>"},
    {"ua_with_space", "<flat-profile><A ua=\" rw\"/></flat-profile>"},
    {"ua_char_ref", "<flat-profile><A ua=\"r&#119;\">1</A></flat-profile>"},
    {"ua_unquoted", "<flat-profile><A ua=rw/></flat-profile>"},
    {"ua_mixed_quotes", "<flat-profile><A ua=\"rw'/></flat-profile>"},
    {"root_attribute", "<flat-profile version=\"1\"><A>1</A></flat-profile>"},
    {"default_namespace", "<flat-profile xmlns=\"urn:x\"><A>1</A></flat-profile>"},
    {"prefix", "<flat-profile xmlns:x=\"urn:x\"><x:A>1</x:A></flat-profile>"},
    {"undeclared_prefix", "<flat-profile><x:A>1</x:A></flat-profile>"},
    {"non_ascii_name", "<flat-profile><Caf\xC3\xA9>1</Caf\xC3\xA9></flat-profile>"},
    {"device_other_child", "<device><deviceProtocol>SIP</deviceProtocol><flat-profile/></device>"},
    {"element_inside_parameter", "<flat-profile><A>x<B>1</B></A></flat-profile>"},
    {"wrong_root", "<config><A>1</A></config>"},
    {"two_roots", "<flat-profile/>\n<flat-profile/>"},
    {"text_after_root", "<flat-profile/>x"},
    {"text_before_root", "x<flat-profile/>"},
    {"mismatched_end_tag", "<flat-profile><A>1</B></flat-profile>"},
    {"end_tag_prefix_of_name", "<flat-profile><AB>1</A></flat-profile>"},
    {"end_tag_longer_name", "<flat-profile><A>1</AB></flat-profile>"},
    {"truncated", "<flat-profile>\n<A>1</A>\n<B>2"},
    {"truncated_comment", "<flat-profile><!-- x"},
    {"unclosed_root", "<flat-profile><A>1</A>"},
    {"white_space_only", "  \n "},
    {"cdata_end_in_text", "<flat-profile><A>a]]>b</A></flat-profile>"},
    {"cdata_end_between", "<flat-profile>]]><A>1</A></flat-profile>"},
    {"double_hyphen_in_comment", "<flat-profile><!-- a -- b --><A>1</A></flat-profile>"},
    {"comment_ending_in_hyphen", "<flat-profile><!-- a ---><A>1</A></flat-profile>"},
    {"comment_starting_with_hyphen", "<flat-profile><!---a --><A>1</A></flat-profile>"},
    // Characters.
    {"control_char", std::string("<flat-profile><A>\x01</A></flat-profile>")},
    {"nul", std::string("<flat-profile><A>a\0b</A></flat-profile>", 38)},
    {"del", "<flat-profile><A>\x7F</A></flat-profile>"},
    {"invalid_utf8", "<flat-profile><A>\xFF</A></flat-profile>"},
    {"truncated_utf8", "<flat-profile><A>\xC3</A></flat-profile>"},
    {"overlong_utf8", "<flat-profile><A>\xC0\xAF</A></flat-profile>"},
    {"overlong_3_byte", "<flat-profile><A>\xE0\x80\xAF</A></flat-profile>"},
    {"surrogate_utf8", "<flat-profile><A>\xED\xA0\x80</A></flat-profile>"},
    {"non_character_fffe", "<flat-profile><A>\xEF\xBF\xBE</A></flat-profile>"},
    {"above_10ffff", "<flat-profile><A>\xF4\x90\x80\x80</A></flat-profile>"},
    {"invalid_utf8_in_comment", "<flat-profile><!-- \xFF --></flat-profile>"},
    {"control_in_comment", "<flat-profile><!-- \x02 --></flat-profile>"},
    {"char_ref_nul", "<flat-profile><A>&#0;</A></flat-profile>"},
    {"char_ref_control", "<flat-profile><A>&#1;</A></flat-profile>"},
    {"char_ref_surrogate", "<flat-profile><A>&#xD800;</A></flat-profile>"},
    {"char_ref_fffe", "<flat-profile><A>&#xFFFE;</A></flat-profile>"},
    {"char_ref_too_big", "<flat-profile><A>&#x110000;</A></flat-profile>"},
    {"char_ref_upper_x", "<flat-profile><A>&#X41;</A></flat-profile>"},
    {"char_ref_empty", "<flat-profile><A>&#;</A></flat-profile>"},
    {"char_ref_hex_empty", "<flat-profile><A>&#x;</A></flat-profile>"},
    {"char_ref_long", "<flat-profile><A>&#000000065;</A></flat-profile>"},
    // Declarations.
    {"declaration_latin1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><flat-profile/>"},
    {"declaration_version_1_1", "<?xml version=\"1.1\"?><flat-profile/>"},
    {"declaration_without_version", "<?xml encoding=\"UTF-8\"?><flat-profile/>"},
    {"declaration_no_space_between", "<?xml version=\"1.0\"encoding=\"UTF-8\"?><flat-profile/>"},
    {"declaration_standalone_maybe", "<?xml version=\"1.0\" standalone=\"maybe\"?><flat-profile/>"},
    {"declaration_not_first", " <?xml version=\"1.0\"?><flat-profile/>"},
    {"declaration_twice", "<?xml version=\"1.0\"?><?xml version=\"1.0\"?><flat-profile/>"},
    {"utf16_bom", std::string("\xFF\xFE<\0f\0", 6)},
};

INSTANTIATE_TEST_SUITE_P(Shapes, DeclinedTest, ::testing::ValuesIn(kDeclined),
                         [](const auto& info) { return std::string(info.param.name); });

// --- Limits: the fast reader declines at the limit, libxml2 reports it ---------------------

TEST(FlatProfileFastLimitsTest, ValueSizeAtAndOverTheLimit) {
  ParseLimits limits;
  limits.max_value_bytes = 8;
  // Counted as libxml2 delivers the text: after CR LF folding and escapes, before trimming.
  EXPECT_TRUE(ExpectAgreement("<flat-profile><A>12345678</A></flat-profile>", limits));
  EXPECT_TRUE(ExpectAgreement("<flat-profile><A>1234\r\n567</A></flat-profile>", limits));
  EXPECT_TRUE(
      ExpectAgreement("<flat-profile><A>&amp;&amp;1234<!-- c -->56</A></flat-profile>", limits));
  EXPECT_FALSE(ExpectAgreement("<flat-profile><A>123456789</A></flat-profile>", limits));
  EXPECT_FALSE(ExpectAgreement("<flat-profile><A> 12345678</A></flat-profile>", limits));
  EXPECT_FALSE(ExpectAgreement("<flat-profile><A>1234<!-- c -->56789</A></flat-profile>", limits));
  EXPECT_FALSE(ExpectAgreement("<flat-profile><A>1234567&#233;</A></flat-profile>", limits));
  // Text between parameters is not a value.
  EXPECT_TRUE(ExpectAgreement("<flat-profile>123456789<A>1</A></flat-profile>", limits));
}

TEST(FlatProfileFastLimitsTest, ElementCount) {
  ParseLimits limits;
  limits.max_elements = 3;
  EXPECT_TRUE(ExpectAgreement("<flat-profile><A/><B/><C/></flat-profile>", limits));
  EXPECT_FALSE(ExpectAgreement("<flat-profile><A/><B/><C/><D/></flat-profile>", limits));
}

TEST(FlatProfileFastLimitsTest, NameSize) {
  ParseLimits limits;
  limits.max_name_bytes = 12;
  EXPECT_TRUE(ExpectAgreement("<flat-profile><ABCDEFGHIJKL/></flat-profile>", limits));
  EXPECT_FALSE(ExpectAgreement("<flat-profile><ABCDEFGHIJKLM/></flat-profile>", limits));
  limits.max_name_bytes = 6;
  EXPECT_FALSE(ExpectAgreement("<device><flat-profile/></device>", limits));
  EXPECT_TRUE(ExpectAgreement("<device></device>", limits));
  limits.max_name_bytes = 5;
  EXPECT_FALSE(ExpectAgreement("<device/>", limits));
  // Whatever the limit, names stay far below libxml2's own bound.
  limits.max_name_bytes = 1 << 20;
  EXPECT_FALSE(
      ExpectAgreement("<flat-profile><" + std::string(2000, 'A') + "/></flat-profile>", limits));
}

TEST(FlatProfileFastLimitsTest, Depth) {
  ParseLimits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(ExpectAgreement("<flat-profile><A>1</A></flat-profile>", limits));
  EXPECT_FALSE(ExpectAgreement("<device><flat-profile><A>1</A></flat-profile></device>", limits));
  EXPECT_TRUE(ExpectAgreement("<device><flat-profile/></device>", limits));
  limits.max_depth = 1;
  EXPECT_FALSE(ExpectAgreement("<device><flat-profile/></device>", limits));
  EXPECT_TRUE(ExpectAgreement("<flat-profile/>", limits));
}

TEST(FlatProfileFastLimitsTest, InputSize) {
  ParseLimits limits;
  const std::string xml = "<flat-profile><A>1</A></flat-profile>";
  limits.max_bytes = xml.size();
  EXPECT_TRUE(ExpectAgreement(xml, limits));
  limits.max_bytes = xml.size() - 1;
  EXPECT_FALSE(ExpectAgreement(xml, limits));
}

// --- Positions on long lines -----------------------------------------------------------------

// A profile written on one line: every element's column is counted in characters, and the
// count resumes from the previous element, so 100,000 elements on one line take linear time.
// (Counting each column from the start of the line, as before, took about 11 s for 40,000
// elements and about a minute for 100,000: a hostile profile could burn a minute of CPU.)
TEST(FlatProfilePositionTest, OneLineProfileReadInLinearTimeWithCharacterColumns) {
  constexpr int kElements = 100000;
  std::string xml = "<flat-profile>";
  for (int i = 0; i < kElements; ++i) xml += "<A>\xC3\xA9</A>";  // 9 bytes, 8 characters
  xml += "</flat-profile>";
  for (bool libxml2 : {false, true}) {
    SCOPED_TRACE(libxml2 ? "libxml2" : "ParseFlatProfile");
    const auto start = std::chrono::steady_clock::now();
    const Result<FlatProfile> parsed =
        libxml2 ? ParseFlatProfileLibxml2(xml, {}) : ParseFlatProfile(xml);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    ASSERT_EQ(parsed->elements.size(), static_cast<size_t>(kElements));
    for (int i : {0, 1, 2, kElements / 2, kElements - 1}) {
      EXPECT_EQ(parsed->elements[i].line, 1);
      EXPECT_EQ(parsed->elements[i].column, 15 + 8 * i);
    }
    EXPECT_LT(seconds, 20.0);
  }
}

// --- Systematic mutations of real profiles --------------------------------------------------

// Every prefix of a guide sample, and every byte replaced by each of a set of bytes that
// matter to XML: the two readers must agree on all of them.
TEST(FlatProfileFastMutationTest, TruncationsAndByteReplacementsAgree) {
  const std::string base =
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<device>\n<flat-profile>\n"
      "<!-- System -->\n<A ua=\"na\">Yes</A>\n<B_1_ ua='rw'/>\n<C> x &amp; &#233; \xC3\xA9\r\n y"
      " </C>stray\n<D></D><E/>\n</flat-profile>\n</device>\n<!-- end -->\n";
  size_t fast = 0;
  for (size_t n = 0; n <= base.size(); ++n) {
    if (ExpectAgreement(base.substr(0, n))) ++fast;
  }
  EXPECT_GE(fast, 1u);
  static constexpr char kMutationBytes[] = "<>&;/!?-]\"' \t\r\n=#x\0\x7F\x80\xC3\xFF";
  const std::string bytes(kMutationBytes, sizeof kMutationBytes - 1);  // 23 bytes, NUL included
  for (size_t i = 0; i < base.size(); ++i) {
    for (char b : bytes) {
      std::string mutated = base;
      mutated[i] = b;
      ExpectAgreement(mutated);
      mutated.insert(i, 1, b);
      ExpectAgreement(mutated);
    }
  }
}

}  // namespace
}  // namespace cwmp::prov
