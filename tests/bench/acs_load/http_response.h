#pragma once
// Incremental parser of one HTTP/1.1 response as acsd sends them (Content-Length bodies, or a
// body up to the end of the connection), for the acs-load tool. Not a general HTTP client.

#include <string>
#include <string_view>
#include <vector>

namespace acs_load {

struct HttpResponse {
  int status = 0;
  bool keep_alive = true;  // false: "Connection: close" (or HTTP/1.0)
  std::string set_cookie;  // the first Set-Cookie's "name=value" part
  std::vector<std::string> www_authenticate;
  std::string retry_after;
  std::string body;
};

class ResponseParser {
 public:
  enum class State { kIncomplete, kComplete, kError };
  // Appends received bytes; returns the state after them.
  State Feed(std::string_view bytes);
  // The peer closed the connection: a response without Content-Length is complete now.
  State FeedEof();
  const HttpResponse& response() const { return response_; }
  const std::string& error() const { return error_; }
  void Reset();

 private:
  State ParseHead();
  std::string buffer_;
  HttpResponse response_;
  bool head_done_ = false;
  long content_length_ = -1;
  size_t body_start_ = 0;
  std::string error_;
  State state_ = State::kIncomplete;
};

// "key=value" pairs of a "Digest realm=\"x\", nonce=\"y\", ..." challenge (keys lower case).
struct DigestChallenge {
  std::string realm, nonce, qop, algorithm, opaque;
};
// Picks the MD5 challenge among `headers` (what most CPEs implement), else the first Digest one.
// false when there is none.
bool ParseDigestChallenge(const std::vector<std::string>& headers, DigestChallenge* out);

}  // namespace acs_load
