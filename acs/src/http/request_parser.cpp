#include <algorithm>
#include <cctype>
#include <charconv>

#include "acs/http_request.h"
#include "cwmp/base/http_reason.h"

namespace acs::http {
namespace {

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// RFC 9110 tchar.
bool IsTokenChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsTokenChar);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Field values: visible ASCII, obs-text, SP, HTAB. No CR, LF or NUL.
bool IsFieldValue(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

// True if the comma-separated list `value` holds `token` (case-insensitive).
bool ListHas(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = Trim(value.substr(0, comma));
    if (IEquals(item, token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

const std::string* Request::Find(std::string_view name) const {
  for (const auto& h : headers) {
    if (IEquals(h.name, name)) return &h.value;
  }
  return nullptr;
}

ParseState RequestParser::Fail(int status, std::string message) {
  state_ = ParseState::kError;
  error_status_ = status;
  error_message_ = std::move(message);
  wants_continue_ = false;
  return state_;
}

ParseState RequestParser::Feed(std::string_view bytes) {
  if (state_ == ParseState::kError) return state_;
  buf_.append(bytes);
  if (state_ == ParseState::kComplete) return state_;
  return Run();
}

Request RequestParser::TakeRequest() {
  Request out = std::move(req_);
  req_ = Request();
  phase_ = Phase::kHead;
  state_ = ParseState::kNeedMore;
  remaining_ = 0;
  trailer_bytes_ = 0;
  head_scan_ = 0;
  wants_continue_ = false;
  buf_.erase(0, pos_);
  pos_ = 0;
  if (!buf_.empty()) Run();
  return out;
}

std::optional<std::string_view> RequestParser::NextLine(size_t max_len, bool* too_long) {
  *too_long = false;
  size_t lf = buf_.find('\n', pos_);
  if (lf == std::string::npos) {
    *too_long = buf_.size() - pos_ > max_len;
    return std::nullopt;
  }
  if (lf - pos_ > max_len) {
    *too_long = true;
    return std::nullopt;
  }
  std::string_view line(buf_.data() + pos_, lf - pos_);
  pos_ = lf + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

ParseState RequestParser::Run() {
  while (true) {
    switch (phase_) {
      case Phase::kHead: {
        // Skip empty lines before the request line (RFC 9112 §2.2).
        while (pos_ < buf_.size() && (buf_[pos_] == '\r' || buf_[pos_] == '\n')) {
          if (buf_[pos_] == '\r' && (pos_ + 1 >= buf_.size())) return state_;
          if (buf_[pos_] == '\r' && buf_[pos_ + 1] != '\n') return Fail(400, "bare CR");
          pos_ += buf_[pos_] == '\r' ? 2 : 1;
        }
        // Resume the search where the last Feed left off, so a head that trickles in byte by
        // byte is scanned once, not once per byte.
        size_t from = std::max(pos_, head_scan_ > 2 ? head_scan_ - 2 : 0);
        head_scan_ = buf_.size();
        size_t end = buf_.find("\n\r\n", from);
        size_t end_lf = buf_.find("\n\n", from);
        size_t head_end = std::min(end == std::string::npos ? end : end + 3,
                                   end_lf == std::string::npos ? end_lf : end_lf + 2);
        if (head_end == std::string::npos) {
          if (buf_.size() - pos_ > limits_.max_head_bytes) {
            return Fail(431,
                        "request head over " + std::to_string(limits_.max_head_bytes) + " bytes");
          }
          return state_;
        }
        if (head_end - pos_ > limits_.max_head_bytes) {
          return Fail(431,
                      "request head over " + std::to_string(limits_.max_head_bytes) + " bytes");
        }
        std::string_view head(buf_.data() + pos_, head_end - pos_);
        pos_ = head_end;
        head_scan_ = 0;
        if (!ParseHead(head)) return state_;
        if (!SetupBody()) return state_;
        break;
      }
      case Phase::kBody: {
        size_t take = std::min(remaining_, buf_.size() - pos_);
        req_.body.append(buf_, pos_, take);
        pos_ += take;
        remaining_ -= take;
        if (remaining_ > 0) return state_;
        phase_ = Phase::kDone;
        break;
      }
      case Phase::kChunkSize: {
        bool too_long = false;
        auto line = NextLine(1024, &too_long);
        if (!line) return too_long ? Fail(400, "chunk size line too long") : state_;
        std::string_view size_text = line->substr(0, line->find(';'));
        size_text = Trim(size_text);
        if (size_text.empty() || size_text.size() > 15) {
          return Fail(400, "bad chunk size");
        }
        size_t size = 0;
        auto [p, ec] =
            std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
        if (ec != std::errc() || p != size_text.data() + size_text.size()) {
          return Fail(400, "bad chunk size");
        }
        if (size > limits_.max_body_bytes - req_.body.size()) {
          return Fail(413, "body over " + std::to_string(limits_.max_body_bytes) + " bytes");
        }
        remaining_ = size;
        phase_ = size == 0 ? Phase::kTrailers : Phase::kChunkData;
        break;
      }
      case Phase::kChunkData: {
        size_t take = std::min(remaining_, buf_.size() - pos_);
        req_.body.append(buf_, pos_, take);
        pos_ += take;
        remaining_ -= take;
        if (remaining_ > 0) return state_;
        phase_ = Phase::kChunkDataEnd;
        break;
      }
      case Phase::kChunkDataEnd: {
        bool too_long = false;
        auto line = NextLine(2, &too_long);
        if (!line) return too_long ? Fail(400, "chunk data longer than its size") : state_;
        if (!line->empty()) return Fail(400, "chunk data longer than its size");
        phase_ = Phase::kChunkSize;
        break;
      }
      case Phase::kTrailers: {
        bool too_long = false;
        size_t before = pos_;
        size_t room =
            limits_.max_head_bytes > trailer_bytes_ ? limits_.max_head_bytes - trailer_bytes_ : 0;
        auto line = NextLine(room, &too_long);
        if (!line) return too_long ? Fail(431, "trailer section too large") : state_;
        trailer_bytes_ += pos_ - before;
        if (line->empty()) {
          phase_ = Phase::kDone;
          break;
        }
        // Trailer fields are checked for syntax but not merged into the headers.
        size_t colon = line->find(':');
        if (colon == std::string_view::npos || !IsToken(line->substr(0, colon)) ||
            !IsFieldValue(line->substr(colon + 1))) {
          return Fail(400, "malformed trailer field");
        }
        break;
      }
      case Phase::kDone:
        wants_continue_ = false;
        state_ = ParseState::kComplete;
        return state_;
    }
  }
}

bool RequestParser::ParseHead(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    size_t lf = head.find('\n');
    std::string_view line = head.substr(0, lf);
    head.remove_prefix(lf == std::string_view::npos ? head.size() : lf + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find('\r') != std::string_view::npos) return Fail(400, "bare CR"), false;
    if (line.empty()) break;
    lines.push_back(line);
  }
  if (lines.empty()) return Fail(400, "empty request"), false;

  // request-line = method SP request-target SP HTTP-version
  std::string_view rl = lines[0];
  size_t sp1 = rl.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : rl.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || rl.find(' ', sp2 + 1) != std::string_view::npos) {
    return Fail(400, "malformed request line"), false;
  }
  std::string_view method = rl.substr(0, sp1);
  std::string_view target = rl.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = rl.substr(sp2 + 1);
  if (!IsToken(method)) return Fail(400, "malformed method"), false;
  if (target.empty() || std::any_of(target.begin(), target.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u >= 0x7f;
      })) {
    return Fail(400, "malformed request target"), false;
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      !std::isdigit(static_cast<unsigned char>(version[5])) ||
      !std::isdigit(static_cast<unsigned char>(version[7]))) {
    return Fail(400, "malformed HTTP version"), false;
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    return Fail(505, "HTTP version " + std::string(version.substr(5)) + " not supported"), false;
  }
  req_.method = std::string(method);
  req_.target = std::string(target);
  req_.version_minor = version[7] - '0';

  if (lines.size() - 1 > limits_.max_headers) {
    return Fail(431, "more than " + std::to_string(limits_.max_headers) + " header fields"), false;
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') {
      return Fail(400, "obsolete line folding"), false;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Fail(400, "header line without colon"), false;
    std::string_view name = line.substr(0, colon);
    if (!IsToken(name)) return Fail(400, "malformed header name"), false;
    std::string_view value = Trim(line.substr(colon + 1));
    if (!IsFieldValue(value)) return Fail(400, "control character in header value"), false;
    req_.headers.push_back(Header{std::string(name), std::string(value)});
  }
  return true;
}

bool RequestParser::SetupBody() {
  const std::string* te = nullptr;
  std::optional<std::string> content_length;
  bool close = false, keep_alive_token = false, expect_continue = false;
  for (const auto& h : req_.headers) {
    if (IEquals(h.name, "Transfer-Encoding")) {
      if (te != nullptr) return Fail(400, "repeated Transfer-Encoding"), false;
      te = &h.value;
    } else if (IEquals(h.name, "Content-Length")) {
      if (content_length) return Fail(400, "repeated Content-Length"), false;
      content_length = h.value;
    } else if (IEquals(h.name, "Connection")) {
      close = close || ListHas(h.value, "close");
      keep_alive_token = keep_alive_token || ListHas(h.value, "keep-alive");
    } else if (IEquals(h.name, "Expect")) {
      if (!IEquals(h.value, "100-continue")) {
        return Fail(417, "unsupported Expect: " + h.value), false;
      }
      expect_continue = true;
    }
  }
  req_.keep_alive = req_.version_minor == 1 ? !close : (keep_alive_token && !close);

  if (te != nullptr) {
    if (content_length) return Fail(400, "both Transfer-Encoding and Content-Length"), false;
    if (req_.version_minor == 0) return Fail(400, "Transfer-Encoding in HTTP/1.0"), false;
    if (!IEquals(Trim(*te), "chunked")) {
      return Fail(501, "transfer coding \"" + *te + "\" not supported"), false;
    }
    req_.chunked = true;
    phase_ = Phase::kChunkSize;
  } else if (content_length) {
    const std::string& cl = *content_length;
    size_t length = 0;
    auto [p, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), length, 10);
    if (cl.empty() || cl.size() > 19 || ec != std::errc() || p != cl.data() + cl.size()) {
      return Fail(400, "malformed Content-Length"), false;
    }
    if (length > limits_.max_body_bytes) {
      return Fail(413, "body of " + cl + " bytes over the limit of " +
                           std::to_string(limits_.max_body_bytes)),
             false;
    }
    remaining_ = length;
    phase_ = length == 0 ? Phase::kDone : Phase::kBody;
  } else {
    phase_ = Phase::kDone;  // no body (RFC 9112 §6.3: requests without framing have none)
  }
  wants_continue_ = expect_continue && phase_ != Phase::kDone;
  return true;
}

const char* ReasonPhrase(int status) { return cwmp::HttpReasonPhrase(status); }

std::string Serialize(const Response& r) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + ReasonPhrase(r.status) + "\r\n";
  for (const auto& h : r.headers) out += h.name + ": " + h.value + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  if (!r.keep_alive) out += "Connection: close\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}

}  // namespace acs::http
