#pragma once
// Incremental HTTP/1.x request reader for the admin web server (private): bytes in, complete
// requests out, one at a time (pipelining keeps the rest buffered). Content-Length and chunked
// bodies; every size is bounded; every malformed input becomes an error status (400, 408 is the
// server's, 411, 413, 431, 501, 505) instead of an exception.

#include <cstddef>
#include <string>
#include <string_view>

#include "agent/connection_request.h"

namespace agent::internal {

struct HttpRequest {
  HttpRequestHead head;   // method, target, headers
  int minor_version = 1;  // HTTP/1.<minor>
  std::string body;
  // Whether the connection stays open after the answer (HTTP/1.1 unless "Connection: close",
  // HTTP/1.0 only with "Connection: keep-alive").
  bool keep_alive = true;
};

class HttpRequestReader {
 public:
  HttpRequestReader(size_t max_head_bytes, size_t max_body_bytes)
      : max_head_(max_head_bytes), max_body_(max_body_bytes) {}

  void Append(std::string_view bytes) { buf_.append(bytes); }

  enum class Kind {
    kNeedMore,        // wait for more bytes
    kExpectContinue,  // send "100 Continue" once, then keep reading
    kRequest,         // `request` is complete and was removed from the buffer
    kError,           // answer `error_status` (`error` says why) and close
  };
  struct Step {
    Kind kind = Kind::kNeedMore;
    HttpRequest request;
    int error_status = 0;
    std::string error;
  };
  Step Next();

  // True when part of a request has arrived (the request timeout runs).
  bool HasPartial() const { return !buf_.empty() || head_done_; }

 private:
  Step Fail(int status, std::string why);
  Step ParseHead(size_t head_end);
  // Decodes chunked body bytes from buf_[pos_]; true when the last chunk was read.
  bool DecodeChunked(Step* error);
  void Reset();

  size_t max_head_;
  size_t max_body_;
  std::string buf_;
  // The request whose head was read and whose body is being read.
  bool head_done_ = false;
  bool continue_sent_ = false;
  bool chunked_ = false;
  size_t content_length_ = 0;
  size_t pos_ = 0;  // chunked: decoding position in buf_ (after the head was removed)
  HttpRequest pending_;
};

}  // namespace agent::internal
