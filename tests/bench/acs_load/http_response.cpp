#include "http_response.h"

#include <cctype>
#include <cstdlib>

namespace acs_load {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

void ResponseParser::Reset() {
  // Bytes after the completed response (pipelining) are not expected from acsd; dropped.
  buffer_.clear();
  response_ = HttpResponse{};
  head_done_ = false;
  content_length_ = -1;
  body_start_ = 0;
  error_.clear();
  state_ = State::kIncomplete;
}

ResponseParser::State ResponseParser::ParseHead() {
  size_t end = buffer_.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (buffer_.size() > 65536) {
      error_ = "response head over 64 KiB";
      return State::kError;
    }
    return State::kIncomplete;
  }
  std::string_view head(buffer_.data(), end);
  size_t line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") {
    error_ = "bad status line";
    return State::kError;
  }
  response_.status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  response_.keep_alive = status_line.substr(0, 8) == "HTTP/1.1";
  size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    if (next == std::string_view::npos) next = head.size();
    std::string_view line = head.substr(pos, next - pos);
    pos = next + 2;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name = Lower(line.substr(0, colon));
    std::string value = Trim(line.substr(colon + 1));
    if (name == "content-length") {
      content_length_ = std::atol(value.c_str());
    } else if (name == "connection") {
      if (Lower(value) == "close") response_.keep_alive = false;
      if (Lower(value) == "keep-alive") response_.keep_alive = true;
    } else if (name == "set-cookie" && response_.set_cookie.empty()) {
      response_.set_cookie = value.substr(0, value.find(';'));
    } else if (name == "www-authenticate") {
      response_.www_authenticate.push_back(value);
    } else if (name == "retry-after") {
      response_.retry_after = value;
    } else if (name == "transfer-encoding") {
      error_ = "chunked responses are not supported by acs-load";
      return State::kError;
    }
  }
  head_done_ = true;
  body_start_ = end + 4;
  if (content_length_ < 0 && (response_.status == 204 || response_.status == 304 ||
                              response_.status / 100 == 1)) {
    content_length_ = 0;
  }
  return State::kIncomplete;
}

ResponseParser::State ResponseParser::Feed(std::string_view bytes) {
  if (state_ != State::kIncomplete) return state_;
  buffer_.append(bytes);
  if (!head_done_) {
    State st = ParseHead();
    if (st == State::kError) return state_ = st;
    if (!head_done_) return state_;
  }
  if (content_length_ >= 0 && buffer_.size() - body_start_ >= static_cast<size_t>(content_length_)) {
    response_.body = buffer_.substr(body_start_, static_cast<size_t>(content_length_));
    state_ = State::kComplete;
  }
  return state_;
}

ResponseParser::State ResponseParser::FeedEof() {
  if (state_ != State::kIncomplete) return state_;
  if (head_done_ && content_length_ < 0) {
    response_.body = buffer_.substr(body_start_);
    response_.keep_alive = false;
    return state_ = State::kComplete;
  }
  error_ = "connection closed before the response was complete";
  return state_ = State::kError;
}

bool ParseDigestChallenge(const std::vector<std::string>& headers, DigestChallenge* out) {
  bool found = false;
  for (const auto& h : headers) {
    if (Lower(std::string_view(h).substr(0, 7)) != "digest ") continue;
    DigestChallenge c;
    std::string_view rest = std::string_view(h).substr(7);
    while (!rest.empty()) {
      size_t eq = rest.find('=');
      if (eq == std::string_view::npos) break;
      std::string key = Lower(Trim(rest.substr(0, eq)));
      rest.remove_prefix(eq + 1);
      std::string value;
      if (!rest.empty() && rest[0] == '"') {
        size_t close = rest.find('"', 1);
        if (close == std::string_view::npos) break;
        value = std::string(rest.substr(1, close - 1));
        rest.remove_prefix(close + 1);
      } else {
        size_t comma = rest.find(',');
        value = Trim(rest.substr(0, comma));
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma);
      }
      size_t comma = rest.find(',');
      rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
      if (key == "realm") c.realm = value;
      if (key == "nonce") c.nonce = value;
      if (key == "qop") c.qop = value;
      if (key == "algorithm") c.algorithm = value;
      if (key == "opaque") c.opaque = value;
    }
    if (c.nonce.empty()) continue;
    bool md5 = c.algorithm.empty() || Lower(c.algorithm) == "md5";
    if (!found || md5) {
      *out = c;
      found = true;
    }
    if (md5) return true;
  }
  return found;
}

}  // namespace acs_load
