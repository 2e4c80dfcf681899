// OpenSSL behind acs/tls.h.
#include "acs/tls.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>

#include <cerrno>
#include <csignal>
#include <ctime>

namespace acs::tls {
namespace {

// OpenSSL writes with write(2), which raises SIGPIPE when the peer has gone. Block it for this
// thread while OpenSSL runs and discard a SIGPIPE that became pending, so a vanished CPE is an
// EPIPE error, not the end of the process (whatever the process's SIGPIPE disposition is).
class NoSigpipe {
 public:
  NoSigpipe() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~NoSigpipe() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        timespec zero{0, 0};
        while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
        }
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
};

using Clock = std::chrono::steady_clock;

// The OpenSSL error queue as text (and cleared).
std::string OpenSslErrors() {
  std::string out;
  unsigned long e;
  while ((e = ERR_get_error()) != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown error" : out;
}

class OpenSslConnection final : public Connection {
 public:
  explicit OpenSslConnection(SSL* ssl) : ssl_(ssl) {}
  ~OpenSslConnection() override { SSL_free(ssl_); }

  ssize_t Read(char* buf, size_t size) override {
    size_t n = 0;
    NoSigpipe guard;
    ERR_clear_error();
    if (SSL_read_ex(ssl_, buf, size, &n) == 1) return static_cast<ssize_t>(n);
    return Fail(SSL_get_error(ssl_, 0), true);
  }

  ssize_t Write(const char* buf, size_t size) override {
    size_t n = 0;
    NoSigpipe guard;
    ERR_clear_error();
    if (SSL_write_ex(ssl_, buf, size, &n) == 1) return static_cast<ssize_t>(n);
    return Fail(SSL_get_error(ssl_, 0), false);
  }

  bool HasBuffered() const override { return SSL_pending(ssl_) > 0; }

  std::string PeerSubject() const override {
    X509* cert = SSL_get0_peer_certificate(ssl_);
    if (cert == nullptr || SSL_get_verify_result(ssl_) != X509_V_OK) return "";
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(len));
    BIO_free(bio);
    return out;
  }

  void Shutdown() override {
    NoSigpipe guard;
    ERR_clear_error();
    (void)SSL_shutdown(ssl_);
  }

 private:
  ssize_t Fail(int err, bool reading) {
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
      errno = EAGAIN;
      return -1;
    }
    if (reading && err == SSL_ERROR_ZERO_RETURN) return 0;  // close_notify
    ERR_clear_error();
    errno = ECONNRESET;
    return -1;
  }
  SSL* ssl_;
};

class OpenSslContext final : public ServerContext {
 public:
  explicit OpenSslContext(SSL_CTX* ctx) : ctx_(ctx) {}
  ~OpenSslContext() override { SSL_CTX_free(ctx_); }

  cwmp::Result<std::unique_ptr<Connection>> Accept(int fd,
                                                   std::chrono::milliseconds timeout) override {
    SSL* ssl = SSL_new(ctx_);
    if (ssl == nullptr) return cwmp::Internal("SSL_new: " + OpenSslErrors());
    auto conn = std::make_unique<OpenSslConnection>(ssl);
    SSL_set_fd(ssl, fd);
    auto deadline = Clock::now() + timeout;
    NoSigpipe guard;
    while (true) {
      ERR_clear_error();
      int r = SSL_accept(ssl);
      if (r == 1) return std::unique_ptr<Connection>(std::move(conn));
      int err = SSL_get_error(ssl, r);
      short events;
      if (err == SSL_ERROR_WANT_READ)
        events = POLLIN;
      else if (err == SSL_ERROR_WANT_WRITE)
        events = POLLOUT;
      else
        return cwmp::IoError("TLS handshake failed: " + OpenSslErrors());
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return cwmp::IoError("TLS handshake timed out");
      pollfd p{fd, events, 0};
      int pr = ::poll(&p, 1, static_cast<int>(left.count()));
      if (pr < 0 && errno != EINTR) return cwmp::IoError("TLS handshake: poll failed");
      if (pr == 0) return cwmp::IoError("TLS handshake timed out");
    }
  }

 private:
  SSL_CTX* ctx_;
};

}  // namespace

cwmp::Result<std::shared_ptr<ServerContext>> ServerContext::Create(const TlsOptions& o) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return cwmp::Internal("SSL_CTX_new: " + OpenSslErrors());
  auto context = std::make_shared<OpenSslContext>(ctx);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(ctx, o.cert_file.c_str()) != 1) {
    return cwmp::InvalidArgument("TLS certificate " + o.cert_file + ": " + OpenSslErrors());
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, o.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    return cwmp::InvalidArgument("TLS key " + o.key_file + ": " + OpenSslErrors());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return cwmp::InvalidArgument("TLS key " + o.key_file + " does not match " + o.cert_file);
  }
  if (!o.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, o.client_ca_file.c_str(), nullptr) != 1) {
      return cwmp::InvalidArgument("TLS client CA " + o.client_ca_file + ": " + OpenSslErrors());
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.client_ca_file.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(ctx, names);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }
  return std::shared_ptr<ServerContext>(context);
}

}  // namespace acs::tls
