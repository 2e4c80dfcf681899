#pragma once
// A throwaway certificate authority for integration tests, made with the real `openssl` CLI in a
// directory the caller owns (normally a mkdtemp() directory that the test removes).
//
//   ca.pem / ca.key              the test root CA (what a phone's custom CA would be)
//   server.pem / server.key      a server certificate for CN=localhost with
//                                subjectAltName DNS:localhost, DNS:prov.test, IP:127.0.0.1
//   client.pem / client.key      a client certificate whose subject carries the phone's identity
//                                the way the guide describes (OU=<model>, L=<serial>, ST=<mac>;
//                                the guide's "S=" is the X.509 stateOrProvinceName)
//   other-ca.pem / other-ca.key  a second, unrelated CA (for "wrong CA" tests)
//   other-client.pem / .key      a client certificate signed by the unrelated CA

#include <string>

namespace cwmp_test {

// Runs `command` through /bin/sh; returns its exit status (-1 if it could not run or was killed).
int RunShell(const std::string& command);

// Quotes `s` for /bin/sh.
std::string ShellQuote(const std::string& s);

struct ClientIdentity {
  std::string model = "CP-6841-3PCC";
  std::string serial = "88012BA01234";
  std::string mac = "000e08abcdef";
};

class TestCa {
 public:
  // Creates every file above in `dir` (which must exist). Returns false and fills *error (the
  // failing command) when openssl fails.
  static bool Create(const std::string& dir, const ClientIdentity& client, TestCa* out,
                     std::string* error);

  const std::string& dir() const { return dir_; }
  std::string ca_cert() const { return dir_ + "/ca.pem"; }
  std::string ca_key() const { return dir_ + "/ca.key"; }
  std::string server_cert() const { return dir_ + "/server.pem"; }
  std::string server_key() const { return dir_ + "/server.key"; }
  std::string client_cert() const { return dir_ + "/client.pem"; }
  std::string client_key() const { return dir_ + "/client.key"; }
  std::string other_ca_cert() const { return dir_ + "/other-ca.pem"; }
  std::string other_client_cert() const { return dir_ + "/other-client.pem"; }
  std::string other_client_key() const { return dir_ + "/other-client.key"; }
  const ClientIdentity& client() const { return client_; }

  // The client certificate's subject as nginx prints $ssl_client_s_dn (RFC 2253 order).
  std::string ClientSubjectRfc2253() const;

 private:
  std::string dir_;
  ClientIdentity client_;
};

}  // namespace cwmp_test
