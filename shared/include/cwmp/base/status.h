#pragma once
// Status and Result<T>: the one error type for expected failures (bad input, I/O, limits).
// Exceptions are reserved for programming errors. Foreign error codes (CURLcode, SQLSTATE,
// OpenSSL, libxml2) are translated into a Status at the module boundary that calls them.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace cwmp {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // caller passed something malformed (bad value, bad option)
  kParseError,        // input text/bytes do not follow the format
  kNotFound,          // a named thing does not exist
  kLimitExceeded,     // input larger/deeper/longer than a configured bound
  kDecryptError,      // wrong key, corrupt ciphertext, failed integrity check
  kUnsupported,       // valid but not something we implement
  kIoError,           // file system or network failure
  kFailedPrecondition,
  kInternal,          // a bug or an unexpected library failure
};

// Returns a stable lower-case name ("parse_error", ...) for logs and messages.
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "parse_error: <message>", or "ok".
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>"; used to add context going up.
  Status WithPrefix(const std::string& prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
inline Status ParseError(std::string m) { return {StatusCode::kParseError, std::move(m)}; }
inline Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status LimitExceeded(std::string m) { return {StatusCode::kLimitExceeded, std::move(m)}; }
inline Status DecryptError(std::string m) { return {StatusCode::kDecryptError, std::move(m)}; }
inline Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status FailedPrecondition(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T> holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result constructed from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // The error; Status::Ok() when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cwmp

// Propagate a non-OK Status from an expression returning Status.
#define CWMP_RETURN_IF_ERROR(expr)            \
  do {                                        \
    ::cwmp::Status cwmp_status_ = (expr);     \
    if (!cwmp_status_.ok()) return cwmp_status_; \
  } while (0)
