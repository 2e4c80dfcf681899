// Fuzz target: the ACS HTTP/1.1 request parser (and the Digest and Basic Authorization parsers
// on what it yields). The first byte picks where the input is split into two Feed() calls, so the
// incremental paths are exercised as well as the one-shot one.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "acs/http_basic.h"
#include "acs/http_digest.h"
#include "acs/http_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  acs::http::Limits limits;
  limits.max_head_bytes = 2048;
  limits.max_headers = 32;
  limits.max_body_bytes = 8192;
  size_t split = data[0] % size;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  split = split < input.size() ? split : input.size();

  acs::http::RequestParser parser(limits);
  acs::http::ParseState state = parser.Feed(input.substr(0, split));
  if (state != acs::http::ParseState::kError) state = parser.Feed(input.substr(split));
  for (int i = 0; i < 64 && state == acs::http::ParseState::kComplete; ++i) {
    acs::http::Request req = parser.TakeRequest();
    if (req.body.size() > limits.max_body_bytes) std::abort();
    if (req.headers.size() > limits.max_headers) std::abort();
    if (const std::string* auth = req.Find("Authorization")) {
      (void)acs::http::ParseDigestAuthorization(*auth);
      (void)acs::http::ParseBasicAuthorization(*auth);
    }
    state = parser.state();
  }
  if (state == acs::http::ParseState::kError) {
    int s = parser.error_status();
    if (s != 400 && s != 413 && s != 417 && s != 431 && s != 501 && s != 505) std::abort();
  }
  return 0;
}
