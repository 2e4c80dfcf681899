// Strict JSON parser and serializer: accepted and rejected inputs as tables, round trips,
// limits.
#include "cwmp/base/json.h"

#include <gtest/gtest.h>

#include <string>

namespace cwmp::json {
namespace {

struct Good {
  const char* in;
  const char* out;  // canonical serialization
};

TEST(JsonParse, AcceptsAndCanonicalizes) {
  const Good cases[] = {
      {"null", "null"},
      {" true ", "true"},
      {"false", "false"},
      {"0", "0"},
      {"-0", "0"},
      {"123", "123"},
      {"-9223372036854775808", "-9223372036854775808"},
      {"9223372036854775808", "9223372036854775808.0"},
      {"1.5", "1.5"},
      {"1e2", "100.0"},
      {"-2.5E-3", "-0.0025"},
      {"\"\"", "\"\""},
      {"\"a\\\"b\\\\c\\/d\"", "\"a\\\"b\\\\c/d\""},
      {"\"\\b\\f\\n\\r\\t\\u0001\"", "\"\\b\\f\\n\\r\\t\\u0001\""},
      {"\"\\u00e9\"", "\"\xc3\xa9\""},
      {"\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\""},
      {"\"\xe2\x82\xac\"", "\"\xe2\x82\xac\""},
      {"[]", "[]"},
      {"[ 1 , [ 2 ] ]", "[1,[2]]"},
      {"{}", "{}"},
      {"{\"b\":1,\"a\":{\"c\":[null]}}", "{\"b\":1,\"a\":{\"c\":[null]}}"},
      {"\n\t{\"k\" : \"v\"}\r\n", "{\"k\":\"v\"}"},
  };
  for (const auto& c : cases) {
    auto v = Parse(c.in);
    ASSERT_TRUE(v.ok()) << c.in << ": " << v.status().ToString();
    EXPECT_EQ(Serialize(*v), c.out) << c.in;
    auto back = Parse(Serialize(*v));
    ASSERT_TRUE(back.ok()) << c.in;
    EXPECT_EQ(*back, *v) << c.in;
  }
}

TEST(JsonParse, RejectsNonStrictInput) {
  const char* cases[] = {
      "",
      " ",
      "nul",
      "True",
      "01",
      "-",
      "1.",
      ".5",
      "1e",
      "+1",
      "NaN",
      "Infinity",
      "1e999",
      "[1,]",
      "[1 2]",
      "{\"a\":1,}",
      "{'a':1}",
      "{a:1}",
      "{\"a\" 1}",
      "{\"a\":1,\"a\":2}",
      "\"unterminated",
      "\"tab\there\"",
      "\"\\x41\"",
      "\"\\u12\"",
      "\"\\ud800\"",
      "\"\\udc00\"",
      "\"\\ud800\\u0041\"",
      "\"\xff\"",
      "\"\xc0\xaf\"",
      "\"\xed\xa0\x80\"",
      "\"\xe2\x82\"",
      "1 2",
      "[] /* comment */",
      "[",
      "{",
  };
  for (const char* c : cases) {
    auto v = Parse(c);
    EXPECT_FALSE(v.ok()) << "accepted: " << c;
    if (!v.ok()) {
      EXPECT_EQ(v.status().code(), StatusCode::kParseError) << c;
      EXPECT_NE(v.status().message().find("offset "), std::string::npos) << c;
    }
  }
}

TEST(JsonParse, NamesTheOffsetAndTheDuplicateKey) {
  auto v = Parse("{\"a\":1,\"a\":2}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "offset 7: duplicate key \"a\"");
}

TEST(JsonParse, EnforcesLimits) {
  JsonLimits limits;
  limits.max_bytes = 10;
  EXPECT_EQ(Parse("[1,2,3,4,5,6]", limits).status().code(), StatusCode::kLimitExceeded);
  limits = {};
  limits.max_depth = 3;
  EXPECT_TRUE(Parse("[[[1]]]", limits).ok());
  EXPECT_EQ(Parse("[[[[1]]]]", limits).status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(Parse("{\"a\":{\"b\":{\"c\":{}}}}", limits).status().code(),
            StatusCode::kLimitExceeded);
  limits = {};
  limits.max_string = 4;
  EXPECT_TRUE(Parse("\"abcd\"", limits).ok());
  EXPECT_EQ(Parse("\"abcdef\"", limits).status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(Parse("{\"abcdef\":1}", limits).status().code(), StatusCode::kLimitExceeded);
  limits = {};
  limits.max_items = 2;
  EXPECT_TRUE(Parse("[1,2]", limits).ok());
  EXPECT_EQ(Parse("[1,2,3]", limits).status().code(), StatusCode::kLimitExceeded);
  EXPECT_EQ(Parse("{\"a\":1,\"b\":2,\"c\":3}", limits).status().code(), StatusCode::kLimitExceeded);
}

TEST(JsonParse, DeepNestingWithinDefaultsDoesNotOverflow) {
  std::string deep(100000, '[');
  EXPECT_EQ(Parse(deep).status().code(), StatusCode::kLimitExceeded);
}

TEST(JsonValue, AccessorsAndBuilders) {
  auto v = Parse("{\"n\":7,\"s\":\"x\",\"l\":[true,2.5]}");
  ASSERT_TRUE(v.ok());
  ASSERT_NE(v->Find("n"), nullptr);
  EXPECT_TRUE(v->Find("n")->is_int());
  EXPECT_EQ(v->Find("n")->as_int(), 7);
  EXPECT_EQ(v->Find("s")->as_string(), "x");
  EXPECT_EQ(v->Find("l")->as_array().size(), 2u);
  EXPECT_DOUBLE_EQ(v->Find("l")->as_array()[1].as_double(), 2.5);
  EXPECT_EQ(v->Find("missing"), nullptr);
  EXPECT_EQ(Value(1).Find("n"), nullptr);

  Value o = Object{};
  o.Set("a", 1);
  o.Set("b", Array{Value("x"), Value(nullptr)});
  o.Set("a", "replaced");
  EXPECT_EQ(Serialize(o), "{\"a\":\"replaced\",\"b\":[\"x\",null]}");
  // Copies share subtrees until written (copy on write).
  Value copy = o;
  copy.Set("c", false);
  EXPECT_EQ(Serialize(o), "{\"a\":\"replaced\",\"b\":[\"x\",null]}");
  EXPECT_EQ(Serialize(copy), "{\"a\":\"replaced\",\"b\":[\"x\",null],\"c\":false}");
  Value arr = Array{};
  arr.Push(Value(int64_t{-1}));
  EXPECT_EQ(Serialize(arr), "[-1]");
  EXPECT_FALSE(Value(1) == Value(1.0));
  EXPECT_EQ(TypeName(Type::kObject), std::string("object"));
}

TEST(JsonSerialize, QuotesControlCharactersAndKeepsUtf8) {
  EXPECT_EQ(Quote(std::string("a\x01\x1f\"\\") + "\xc3\xa9"),
            "\"a\\u0001\\u001f\\\"\\\\\xc3\xa9\"");
  EXPECT_EQ(Serialize(Value(0.1)), "0.1");
  EXPECT_EQ(Serialize(Value(3.0)), "3.0");
  EXPECT_EQ(Parse("3.0")->type(), Type::kDouble);
}

}  // namespace
}  // namespace cwmp::json
