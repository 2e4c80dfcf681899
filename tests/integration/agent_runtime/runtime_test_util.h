#pragma once
// Shared bits of the runtime tests: temp dirs, a Digest GET through libcurl, file writes.
#include <curl/curl.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace agent_test {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/agent-runtime-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// GET `url` with HTTP Digest credentials; the final HTTP status (0 on transport failure).
inline long DigestGet(const std::string& url, const std::string& user, const std::string& pass) {
  CURL* c = curl_easy_init();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_DIGEST);
  curl_easy_setopt(c, CURLOPT_USERNAME, user.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, pass.c_str());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  long status = 0;
  if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  return status;
}

inline std::string Profile(const std::string& elements) {
  return "<flat-profile>" + elements + "</flat-profile>\n";
}

}  // namespace agent_test
