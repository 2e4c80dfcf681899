#pragma once
// TLS for the ACS's HTTP server (OpenSSL lives only behind this header, in acs/src/tls/).
// TLS 1.2 and 1.3 only; renegotiation off; optional client certificates verified against a CA
// bundle, whose subject the CWMP endpoint maps to a device.
//
// Connections work on non-blocking sockets: Read/Write behave like recv/send and report
// "try again" as -1 with errno EAGAIN, so the server's poll loop drives them.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "cwmp/base/status.h"

namespace acs::tls {

struct TlsOptions {
  std::string cert_file;       // PEM certificate chain
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // PEM CA bundle; non-empty: clients must present a certificate
};

class Connection {
 public:
  virtual ~Connection() = default;
  // > 0 bytes; 0 the peer closed; -1 with errno EAGAIN (poll, then call again) or another error.
  virtual ssize_t Read(char* buf, size_t size) = 0;
  virtual ssize_t Write(const char* buf, size_t size) = 0;
  // Decrypted bytes already buffered (poll would not report them).
  virtual bool HasBuffered() const = 0;
  // The verified client certificate's subject in RFC 2253 form ("CN=...,O=..."), or "".
  virtual std::string PeerSubject() const = 0;
  // Sends close_notify (best effort).
  virtual void Shutdown() = 0;
};

class ServerContext {
 public:
  // Loads and checks the files: kInvalidArgument naming the file and OpenSSL's reason.
  static cwmp::Result<std::shared_ptr<ServerContext>> Create(const TlsOptions& options);
  virtual ~ServerContext() = default;
  // Runs the server handshake on a connected non-blocking socket until `timeout`.
  // kIoError with the reason (timeout, protocol error, certificate rejected).
  virtual cwmp::Result<std::unique_ptr<Connection>> Accept(int fd,
                                                           std::chrono::milliseconds timeout) = 0;
};

}  // namespace acs::tls
