#pragma once
// A minimal, strict, bounded JSON (RFC 8259) value type, parser and serializer.
//
// Parsing is strict: exactly one value with optional surrounding whitespace; no comments,
// trailing commas, single quotes, NaN/Infinity, leading zeros, control characters in strings,
// lone surrogates or invalid UTF-8; duplicate object keys are rejected (kParseError). It is
// bounded by JsonLimits (kLimitExceeded): input size, nesting depth, string length, items.
// Numbers: an integer literal that fits in int64 is kept exactly (is_int()); any other number
// is a double (a literal out of double range is kParseError).
// Objects keep their members in input order; Serialize writes them in that order, compact,
// with only the escapes JSON requires (and \u00XX for control characters), so
// Parse(Serialize(v)) == v.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cwmp/base/status.h"

namespace cwmp::json {

class Value;
using Array = std::vector<Value>;
// Ordered members; keys are unique (Parse guarantees it, Set keeps it).
using Object = std::vector<std::pair<std::string, Value>>;

enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
// "null", "boolean", "integer", "number", "string", "array", "object".
const char* TypeName(Type type);

class Value {
 public:
  Value() = default;                                  // null
  Value(std::nullptr_t) {}                            // NOLINT(google-explicit-constructor)
  Value(bool b) : v_(b) {}                            // NOLINT
  Value(int i) : v_(static_cast<int64_t>(i)) {}       // NOLINT
  Value(int64_t i) : v_(i) {}                         // NOLINT
  Value(uint32_t i) : v_(static_cast<int64_t>(i)) {}  // NOLINT
  Value(double d) : v_(d) {}                          // NOLINT
  Value(const char* s) : v_(std::string(s)) {}        // NOLINT
  Value(std::string s) : v_(std::move(s)) {}          // NOLINT
  Value(std::string_view s) : v_(std::string(s)) {}   // NOLINT
  Value(Array a) : v_(std::make_shared<Array>(std::move(a))) {}    // NOLINT
  Value(Object o) : v_(std::make_shared<Object>(std::move(o))) {}  // NOLINT

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_number() const { return is_int() || type() == Type::kDouble; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Accessors; calling one for another type is a programming error (std::bad_variant_access).
  bool as_bool() const { return std::get<bool>(v_); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const;  // integers converted
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Array& as_array() const { return *std::get<std::shared_ptr<Array>>(v_); }
  const Object& as_object() const { return *std::get<std::shared_ptr<Object>>(v_); }
  Array& mutable_array();  // copy-on-write: values share subtrees after copying
  Object& mutable_object();

  // Object member by key, or nullptr (also when this is not an object).
  const Value* Find(std::string_view key) const;
  // Sets (replaces or appends) a member; this must be an object.
  void Set(std::string key, Value value);
  // Appends to an array; this must be an array.
  void Push(Value value);

  bool operator==(const Value& other) const;

 private:
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      v_;
};

struct JsonLimits {
  size_t max_bytes = 1024 * 1024;
  size_t max_depth = 32;          // nested arrays/objects
  size_t max_string = 64 * 1024;  // bytes of one decoded string (keys included)
  size_t max_items = 100000;      // elements of one array or members of one object
};

// Parses one JSON text. Errors name the byte offset: "offset 17: expected ':'".
Result<Value> Parse(std::string_view text, const JsonLimits& limits = {});

// Compact serialization. Doubles use the shortest form that round-trips; a non-finite double
// (not producible by Parse) is written as null.
std::string Serialize(const Value& value);
// A JSON string literal (with quotes) for `text`, which should be UTF-8.
std::string Quote(std::string_view text);

}  // namespace cwmp::json
