// HTTPS on the CWMP endpoint: TLS 1.2+, Basic over TLS, client certificates mapped to the
// device. Certificates are made with the openssl command line for each test binary run.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <variant>

#include "serve_fixture.h"

CWMP_PG_ENVIRONMENT();

namespace acs::testing {
namespace {

namespace fs = std::filesystem;

// CA, server certificate, client certificates for two devices (CN = device id).
class Pki {
 public:
  Pki() {
    dir_ = fs::temp_directory_path() / ("acs_tls_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    Run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout ca.key "
        "-out ca.pem");
    Issue("server", "/CN=127.0.0.1");
    Issue("client", std::string("/O=Example/CN=") + kDevice + "TLS1");
  }
  ~Pki() { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

 private:
  void Run(const std::string& cmd) {
    std::string full = "cd " + dir_.string() + " && " + cmd + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(full.c_str()), 0) << cmd;
  }
  void Issue(const std::string& name, const std::string& subject) {
    Run("openssl req -newkey rsa:2048 -nodes -subj '" + subject + "' -keyout " + name +
        ".key -out " + name + ".csr");
    Run("openssl x509 -req -in " + name +
        ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-out " +
        name + ".pem");
  }
  fs::path dir_;
};

// A blocking TLS client speaking one HTTP request at a time.
class TlsClient {
 public:
  TlsClient(uint16_t port, const Pki& pki, bool with_cert, int max_version = 0) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx_, pki.Path("ca.pem").c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    if (max_version != 0) {
      SSL_CTX_set_min_proto_version(ctx_, max_version);
      SSL_CTX_set_max_proto_version(ctx_, max_version);
    }
    if (with_cert) {
      SSL_CTX_use_certificate_file(ctx_, pki.Path("client.pem").c_str(), SSL_FILETYPE_PEM);
      SSL_CTX_use_PrivateKey_file(ctx_, pki.Path("client.key").c_str(), SSL_FILETYPE_PEM);
    }
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    connected_ = SSL_connect(ssl_) == 1;
    ERR_clear_error();
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    ::close(fd_);
  }
  bool connected() const { return connected_; }
  std::string version() const { return SSL_get_version(ssl_); }

  HttpReply Post(const std::string& body, const std::string& extra_headers = "") {
    std::string req =
        "POST / HTTP/1.1\r\nHost: acs\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
        extra_headers;
    if (!cookie_.empty()) req += "Cookie: " + cookie_ + "\r\n";
    req += "\r\n" + body;
    HttpReply r;  // status 0: the connection failed (the caller checks the status)
    if (SSL_write(ssl_, req.data(), static_cast<int>(req.size())) != static_cast<int>(req.size())) {
      return r;
    }
    std::string buf;
    char b[8192];
    size_t head_end;
    while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
      int n = SSL_read(ssl_, b, sizeof b);
      if (n <= 0) return r;
      buf.append(b, static_cast<size_t>(n));
    }
    r.status = std::stoi(buf.substr(9, 3));
    size_t cl = 0;
    size_t p = buf.find("Content-Length: ");
    if (p != std::string::npos && p < head_end) cl = std::stoul(buf.substr(p + 16));
    size_t sc = buf.find("Set-Cookie: ");
    if (sc != std::string::npos && sc < head_end) {
      cookie_ = buf.substr(sc + 12, buf.find(';', sc) - sc - 12);
      r.headers["set-cookie"] = buf.substr(sc + 12, buf.find("\r\n", sc) - sc - 12);
    }
    size_t ra = buf.find("Retry-After: ");
    if (ra != std::string::npos && ra < head_end) {
      r.headers["retry-after"] = buf.substr(ra + 13, buf.find("\r\n", ra) - ra - 13);
    }
    while (buf.size() < head_end + 4 + cl) {
      int n = SSL_read(ssl_, b, sizeof b);
      if (n <= 0) break;
      buf.append(b, static_cast<size_t>(n));
    }
    r.body = buf.substr(head_end + 4, cl);
    return r;
  }

 private:
  SSL_CTX* ctx_;
  SSL* ssl_;
  int fd_;
  bool connected_ = false;
  std::string cookie_;
};

class SessionTlsTest : public ServeTest {
 protected:
  static void SetUpTestSuite() {
    std::signal(SIGPIPE, SIG_IGN);  // the test's own TLS client writes to closed sockets
    pki_ = new Pki();
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  config::ServeConfig TlsConfig(bool client_certs) {
    config::ServeConfig c = Config();
    c.tls_cert = pki_->Path("server.pem");
    c.tls_key = pki_->Path("server.key");
    if (client_certs) c.tls_client_ca = pki_->Path("ca.pem");
    return c;
  }
  static Pki* pki_;
};
Pki* SessionTlsTest::pki_ = nullptr;

TEST_F(SessionTlsTest, HttpsSessionWithBasicCredentials) {
  config::ServeConfig c = TlsConfig(false);
  c.cpe_auth = cwmp_endpoint::AuthMode::kBasic;
  c.cpe_password = cwmp::Secret("pw");
  serve::Server& server = StartServer(c);
  TlsClient cpe(server.cwmp_port(), *pki_, false);
  ASSERT_TRUE(cpe.connected());
  const std::string inform = ReadData("inform_periodic.xml", {{"SERIAL", "TLSB"}});
  EXPECT_EQ(cpe.Post(inform).status, 401);
  // "user:pw" in base64.
  HttpReply r = cpe.Post(inform, "Authorization: Basic dXNlcjpwdw==\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.Header("set-cookie").find("Secure"), std::string::npos);
  EXPECT_EQ(cpe.Post("").status, 204);
  // TLS 1.1 is refused.
  TlsClient old(server.cwmp_port(), *pki_, false, TLS1_1_VERSION);
  EXPECT_FALSE(old.connected());
  // Plain HTTP on the TLS port: the handshake fails, the connection is closed without an
  // HTTP answer, and the server keeps serving.
  {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(server.cwmp_port());
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    const std::string req = "POST / HTTP/1.1\r\nHost: acs\r\nContent-Length: 0\r\n\r\n";
    ASSERT_EQ(::send(fd, req.data(), req.size(), MSG_NOSIGNAL), static_cast<ssize_t>(req.size()));
    pollfd p{fd, POLLIN, 0};
    ASSERT_EQ(::poll(&p, 1, 10000), 1);
    char buf[256];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    EXPECT_FALSE(n > 0 && std::string(buf, static_cast<size_t>(n)).rfind("HTTP/", 0) == 0);
    ::close(fd);
  }
  TlsClient again(server.cwmp_port(), *pki_, false);
  EXPECT_TRUE(again.connected());
}

TEST_F(SessionTlsTest, ClientCertificateIdentifiesTheDevice) {
  config::ServeConfig c = TlsConfig(true);
  c.cpe_auth = cwmp_endpoint::AuthMode::kNone;  // the certificate is the credential
  serve::Server& server = StartServer(c);
  TlsClient without(server.cwmp_port(), *pki_, false);
  if (without.connected()) {
    // TLS 1.3 reports the missing certificate after the handshake: the request fails.
    EXPECT_EQ(without.Post(ReadData("inform_periodic.xml", {{"SERIAL", "TLS1"}})).status, 0);
  }
  TlsClient cpe(server.cwmp_port(), *pki_, true);
  ASSERT_TRUE(cpe.connected());
  HttpReply r = cpe.Post(ReadData("inform_periodic.xml", {{"SERIAL", "TLS1"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(cpe.Post("").status, 204);
  // The same certificate for another device's Inform is refused.
  TlsClient other(server.cwmp_port(), *pki_, true);
  ASSERT_TRUE(other.connected());
  EXPECT_EQ(other.Post(ReadData("inform_periodic.xml", {{"SERIAL", "TLS2"}})).status, 403);
  EXPECT_EQ(Scalar("SELECT count(*) FROM devices"), "1");
}

// Beyond --max-connections the TLS listener answers like the plain one: after the handshake,
// 503 with Retry-After; the connections being served are not disturbed.
TEST_F(SessionTlsTest, BeyondCapacityATlsClientGets503WithRetryAfter) {
  config::ServeConfig c = TlsConfig(false);
  c.max_connections = 1;
  serve::Server& server = StartServer(c);
  TlsClient first(server.cwmp_port(), *pki_, false);
  ASSERT_TRUE(first.connected());
  EXPECT_EQ(first.Post("").status, 204);  // served: it holds the only slot (keep-alive)

  const std::string inform = ReadData("inform_periodic.xml", {{"SERIAL", "TLSCAP"}});
  for (int i = 0; i < 3; ++i) {
    TlsClient extra(server.cwmp_port(), *pki_, false);
    ASSERT_TRUE(extra.connected()) << "the handshake completes even when over capacity";
    HttpReply r = extra.Post(inform);
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.Header("retry-after"), "5");
  }
  // Nothing of the refused Informs was stored, and the first connection still works.
  EXPECT_EQ(Scalar("SELECT count(*) FROM devices"), "0");
  HttpReply ok = first.Post(inform);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(first.Post("").status, 204);
}

TEST_F(SessionTlsTest, BadTlsFilesStopTheStart) {
  config::ServeConfig c = TlsConfig(false);
  c.tls_key = pki_->Path("client.key");  // does not match the certificate
  auto s = serve::Server::Start(c, serve::NotFoundNbiHandler(), *logger_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("TLS key " + pki_->Path("client.key")), std::string::npos)
      << s.status().message();
  c.tls_cert = pki_->Path("missing.pem");
  s = serve::Server::Start(c, serve::NotFoundNbiHandler(), *logger_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("missing.pem"), std::string::npos);
}

}  // namespace
}  // namespace acs::testing
