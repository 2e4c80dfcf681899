#pragma once
// Incremental HTTP/1.1 request parser for the ACS endpoints (RFC 9112), with limits.
//
// Feed it bytes as they arrive; it reports kNeedMore, kComplete or kError. On kError,
// error_status() is the status to answer before closing the connection: 400 (malformed),
// 413 (body over the limit), 431 (head or a trailer section over the limit, too many headers),
// 417 (an Expect other than 100-continue), 501 (a transfer coding other than chunked),
// 505 (HTTP version other than 1.0/1.1).
// Bytes after a complete request (pipelining) stay buffered and are parsed after
// TakeRequest(). Time limits are the connection's job, not the parser's.
//
// Hardening against request smuggling: Transfer-Encoding together with Content-Length,
// repeated or non-numeric Content-Length, obsolete line folding, whitespace before a header
// colon and bare CR are all 400.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace acs::http {

struct Limits {
  size_t max_head_bytes = 16 * 1024;  // request line + headers (and trailers)
  size_t max_headers = 100;
  size_t max_body_bytes = 4 * 1024 * 1024;  // after de-chunking
};

struct Header {
  std::string name;   // as received
  std::string value;  // without surrounding whitespace
};

struct Request {
  std::string method;
  std::string target;     // request-target as sent ("/cwmp", "/devices?x=1")
  int version_minor = 1;  // HTTP/1.<minor>
  std::vector<Header> headers;
  std::string body;
  bool keep_alive = true;  // the connection may carry another request afterwards
  bool chunked = false;    // the body arrived chunked

  // The first header with this name (case-insensitive), or nullptr.
  const std::string* Find(std::string_view name) const;
};

enum class ParseState { kNeedMore, kComplete, kError };

class RequestParser {
 public:
  explicit RequestParser(Limits limits = {}) : limits_(limits) {}

  // Appends bytes and parses as far as possible.
  ParseState Feed(std::string_view bytes);
  ParseState state() const { return state_; }
  // True once the head is parsed, the body still expected and the client sent
  // "Expect: 100-continue": the server should send "HTTP/1.1 100 Continue" now.
  bool wants_continue() const { return wants_continue_; }
  // True once the request line and headers of the current request are parsed.
  bool head_complete() const { return phase_ != Phase::kHead; }
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }
  // The complete request (state() must be kComplete); resets the parser and parses any
  // buffered pipelined bytes, so state() may be kComplete again right away.
  Request TakeRequest();
  // Bytes received but not yet consumed by a complete request.
  size_t buffered() const { return buf_.size() - pos_; }

 private:
  enum class Phase { kHead, kBody, kChunkSize, kChunkData, kChunkDataEnd, kTrailers, kDone };
  ParseState Run();
  bool ParseHead(std::string_view head);
  bool SetupBody();
  ParseState Fail(int status, std::string message);
  // Finds the next line (LF-terminated) starting at pos_; nullopt when incomplete.
  std::optional<std::string_view> NextLine(size_t max_len, bool* too_long);

  Limits limits_;
  std::string buf_;
  size_t pos_ = 0;
  Phase phase_ = Phase::kHead;
  ParseState state_ = ParseState::kNeedMore;
  Request req_;
  size_t remaining_ = 0;  // body bytes (Content-Length) or current chunk bytes left
  size_t trailer_bytes_ = 0;
  size_t head_scan_ = 0;  // buffer offset the head search has reached
  bool wants_continue_ = false;
  int error_status_ = 0;
  std::string error_message_;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;  // Content-Length and Connection are added by Serialize
  std::string body;
  bool keep_alive = true;
};

// The standard reason phrase ("Not Found"), or "Unknown".
const char* ReasonPhrase(int status);
// Status line, headers, Content-Length, "Connection: close" when !keep_alive, body.
std::string Serialize(const Response& response);

}  // namespace acs::http
