#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (port 0) for tests: records every request byte-for-byte
// and answers from a script. Keep-alive: several requests per connection.

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace agent_test {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string raw_head;  // request line and headers as received
  int connection = 0;    // 1-based index of the TCP connection it came on
  std::optional<std::string> Header(const std::string& name) const;
};

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool drop_connection = false;  // close the connection without answering
};

class ScriptedHttpServer {
 public:
  using Handler = std::function<ScriptedResponse(const RecordedRequest&)>;
  explicit ScriptedHttpServer(Handler handler);
  // HTTPS: serves TLS with the given PEM certificate chain and key; with `client_ca_file`, a
  // client certificate issued by that CA is required.
  ScriptedHttpServer(Handler handler, const std::string& cert_file, const std::string& key_file,
                     const std::string& client_ca_file = "");
  ~ScriptedHttpServer();

  uint16_t port() const { return port_; }
  std::string Url(const std::string& path = "/acs") const;
  int tls_handshake_failures() const { return tls_failures_; }
  std::vector<RecordedRequest> requests() const;
  int connections() const { return connections_; }

 private:
  void Listen();
  void Loop();
  void Serve(int fd, void* ssl, int connection);

  Handler handler_;
  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> tls_failures_{0};
  void* ssl_ctx_ = nullptr;  // SSL_CTX* when serving HTTPS
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;
  std::thread thread_;
};

// Answers with `responses` in order; 500 once they run out.
ScriptedHttpServer::Handler Sequence(std::vector<ScriptedResponse> responses);

// A 200 answer carrying a SOAP envelope.
ScriptedResponse Soap(std::string xml,
                      std::vector<std::pair<std::string, std::string>> headers = {});

}  // namespace agent_test
