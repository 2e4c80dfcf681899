#include "admin/http_request_reader.h"

#include <cctype>
#include "common/text.h"

namespace agent::internal {
namespace {
using text::Lower;


bool HasToken(std::string_view list, std::string_view token) {
  std::string l = Lower(list);
  size_t pos = 0;
  while (pos <= l.size()) {
    size_t comma = l.find(',', pos);
    if (comma == std::string::npos) comma = l.size();
    std::string_view item = std::string_view(l).substr(pos, comma - pos);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item == token) return true;
    pos = comma + 1;
  }
  return false;
}

// Strict decimal: digits only, no sign, no overflow past `limit`.
bool ParseDecimal(std::string_view s, size_t limit, size_t* out) {
  if (s.empty() || s.size() > 19) return false;
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  if (v > limit) {
    *out = limit + 1;
    return true;
  }
  *out = v;
  return true;
}

}  // namespace

HttpRequestReader::Step HttpRequestReader::Fail(int status, std::string why) {
  Step s;
  s.kind = Kind::kError;
  s.error_status = status;
  s.error = std::move(why);
  return s;
}

void HttpRequestReader::Reset() {
  head_done_ = false;
  continue_sent_ = false;
  chunked_ = false;
  content_length_ = 0;
  pos_ = 0;
  pending_ = HttpRequest{};
}

HttpRequestReader::Step HttpRequestReader::ParseHead(size_t head_end) {
  std::string_view text(buf_.data(), head_end);
  size_t eol = text.find("\r\n");
  std::string_view line = text.substr(0, eol);
  if (line.size() < 8) return Fail(400, "malformed request line");
  std::string_view version = line.substr(line.rfind(' ') + 1);
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1.") {
    if (version.rfind("HTTP/", 0) == 0) return Fail(505, "only HTTP/1.0 and HTTP/1.1");
    return Fail(400, "malformed request line");
  }
  if (version[7] != '0' && version[7] != '1') return Fail(505, "only HTTP/1.0 and HTTP/1.1");
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f) {
      return Fail(400, "control character in the request head");
    }
  }
  auto head = ParseHttpRequestHead(std::string(text) + "\r\n\r\n");
  if (!head.ok()) {
    return Fail(head.status().code() == cwmp::StatusCode::kLimitExceeded ? 431 : 400,
                head.status().message());
  }
  pending_ = HttpRequest{};
  pending_.head = std::move(*head);
  pending_.minor_version = version[7] - '0';
  auto connection = pending_.head.Header("Connection");
  if (pending_.minor_version == 0) {
    pending_.keep_alive = connection && HasToken(*connection, "keep-alive");
  } else {
    pending_.keep_alive = !(connection && HasToken(*connection, "close"));
    if (!pending_.head.Header("Host")) return Fail(400, "HTTP/1.1 request without Host");
  }
  // Body framing (RFC 9112 §6): chunked, or one Content-Length, never both.
  std::optional<std::string> length;
  size_t lengths = 0;
  for (const auto& [n, v] : pending_.head.headers) {
    if (Lower(n) != "content-length") continue;
    if (lengths++ > 0 && v != *length) return Fail(400, "conflicting Content-Length headers");
    length = v;
  }
  if (auto te = pending_.head.Header("Transfer-Encoding")) {
    if (length) return Fail(400, "both Transfer-Encoding and Content-Length");
    if (Lower(*te) != "chunked") return Fail(501, "Transfer-Encoding other than chunked");
    chunked_ = true;
  } else if (length) {
    if (!ParseDecimal(*length, max_body_, &content_length_)) {
      return Fail(400, "malformed Content-Length");
    }
    if (content_length_ > max_body_) {
      return Fail(413, "request body over " + std::to_string(max_body_) + " bytes");
    }
  }
  buf_.erase(0, head_end + 4);
  head_done_ = true;
  return Step{};
}

bool HttpRequestReader::DecodeChunked(Step* error) {
  while (true) {
    size_t eol = buf_.find("\r\n", pos_);
    if (eol == std::string::npos) {
      if (buf_.size() - pos_ > 1024) *error = Fail(400, "malformed chunk size line");
      return false;
    }
    std::string_view size_line(buf_.data() + pos_, eol - pos_);
    size_line = size_line.substr(0, size_line.find(';'));  // chunk extensions are ignored
    while (!size_line.empty() && (size_line.back() == ' ' || size_line.back() == '\t')) {
      size_line.remove_suffix(1);
    }
    if (size_line.empty() || size_line.size() > 8 ||
        size_line.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos) {
      *error = Fail(400, "malformed chunk size");
      return false;
    }
    size_t size = std::stoul(std::string(size_line), nullptr, 16);
    if (size == 0) {
      // Trailer section: header lines up to an empty line; ignored.
      size_t p = eol + 2;
      while (true) {
        size_t e = buf_.find("\r\n", p);
        if (e == std::string::npos) {
          if (buf_.size() - p > 4096) *error = Fail(431, "chunked trailer too large");
          return false;
        }
        if (e == p) {
          buf_.erase(0, e + 2);
          pos_ = 0;
          return true;
        }
        p = e + 2;
      }
    }
    if (pending_.body.size() + size > max_body_) {
      *error = Fail(413, "request body over " + std::to_string(max_body_) + " bytes");
      return false;
    }
    if (buf_.size() < eol + 2 + size + 2) return false;
    if (buf_.compare(eol + 2 + size, 2, "\r\n") != 0) {
      *error = Fail(400, "chunk data not followed by CRLF");
      return false;
    }
    pending_.body.append(buf_, eol + 2, size);
    // Drop what was decoded so the buffer stays bounded by one chunk.
    buf_.erase(0, eol + 2 + size + 2);
    pos_ = 0;
  }
}

HttpRequestReader::Step HttpRequestReader::Next() {
  if (!head_done_) {
    // Robustness (RFC 9112 §2.2): empty lines before the request line are ignored.
    size_t skip = 0;
    while (skip + 1 < buf_.size() && buf_[skip] == '\r' && buf_[skip + 1] == '\n') skip += 2;
    if (skip > 0) buf_.erase(0, skip);
    size_t head_end = buf_.find("\r\n\r\n");
    if (head_end == std::string::npos) {
      if (buf_.size() > max_head_) return Fail(431, "request head over the size limit");
      return Step{};
    }
    if (head_end + 4 > max_head_) return Fail(431, "request head over the size limit");
    Step s = ParseHead(head_end);
    if (s.kind == Kind::kError) return s;
  }
  bool expects_body = chunked_ || content_length_ > 0;
  auto expect = pending_.head.Header("Expect");
  if (expect && Lower(*expect) != "100-continue") {
    return Fail(417, "unsupported Expect");
  }
  if (chunked_) {
    Step error;
    bool done = DecodeChunked(&error);
    if (error.kind == Kind::kError) return error;
    if (!done) {
      if (expect && !continue_sent_ && pending_.body.empty()) {
        continue_sent_ = true;
        return Step{Kind::kExpectContinue, {}, 0, {}};
      }
      return Step{};
    }
  } else if (buf_.size() < content_length_) {
    if (expect && expects_body && !continue_sent_ && buf_.empty()) {
      continue_sent_ = true;
      return Step{Kind::kExpectContinue, {}, 0, {}};
    }
    return Step{};
  } else {
    pending_.body = buf_.substr(0, content_length_);
    buf_.erase(0, content_length_);
  }
  Step s;
  s.kind = Kind::kRequest;
  s.request = std::move(pending_);
  Reset();
  return s;
}

}  // namespace agent::internal
