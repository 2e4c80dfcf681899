#include "test_ca.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <fstream>

namespace cwmp_test {

int RunShell(const std::string& command) {
  int rc = std::system(command.c_str());
  if (rc == -1 || !WIFEXITED(rc)) return -1;
  return WEXITSTATUS(rc);
}

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

namespace {

bool Step(const std::string& command, std::string* error) {
  if (RunShell(command + " >/dev/null 2>&1") == 0) return true;
  *error = "command failed: " + command;
  return false;
}

bool MakeCa(const std::string& dir, const std::string& name, const std::string& cn,
            std::string* error) {
  return Step("openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj " +
                  ShellQuote("/CN=" + cn) + " -keyout " + ShellQuote(dir + "/" + name + ".key") +
                  " -out " + ShellQuote(dir + "/" + name + ".pem") +
                  " -addext basicConstraints=critical,CA:TRUE" +
                  " -addext keyUsage=critical,keyCertSign,cRLSign",
              error);
}

// Issues name.pem/name.key signed by ca.pem/ca.key, with extensions from an ext file.
bool Issue(const std::string& dir, const std::string& ca, const std::string& name,
           const std::string& subject, const std::string& extensions, std::string* error) {
  std::string ext_file = dir + "/" + name + ".ext";
  {
    std::ofstream ext(ext_file);
    ext << extensions;
    if (!ext) {
      *error = "cannot write " + ext_file;
      return false;
    }
  }
  std::string key = ShellQuote(dir + "/" + name + ".key");
  std::string csr = ShellQuote(dir + "/" + name + ".csr");
  return Step("openssl req -new -newkey rsa:2048 -nodes -subj " + ShellQuote(subject) +
                  " -keyout " + key + " -out " + csr,
              error) &&
         Step("openssl x509 -req -sha256 -days 2 -in " + csr + " -CA " +
                  ShellQuote(dir + "/" + ca + ".pem") + " -CAkey " +
                  ShellQuote(dir + "/" + ca + ".key") + " -set_serial 0x" +
                  std::to_string(std::hash<std::string>{}(name) % 1000000007) + " -extfile " +
                  ShellQuote(ext_file) + " -out " + ShellQuote(dir + "/" + name + ".pem"),
              error);
}

}  // namespace

bool TestCa::Create(const std::string& dir, const ClientIdentity& client, TestCa* out,
                    std::string* error) {
  out->dir_ = dir;
  out->client_ = client;
  const std::string server_ext =
      "basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
      "subjectAltName=DNS:localhost,DNS:prov.test,IP:127.0.0.1\n";
  const std::string client_ext = "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n";
  const std::string client_subject =
      "/OU=" + client.model + "/L=" + client.serial + "/ST=" + client.mac + "/CN=" + client.mac;
  return MakeCa(dir, "ca", "TR-069 Phone Test CA", error) &&
         MakeCa(dir, "other-ca", "Unrelated Test CA", error) &&
         Issue(dir, "ca", "server", "/CN=localhost", server_ext, error) &&
         Issue(dir, "ca", "client", client_subject, client_ext, error) &&
         Issue(dir, "other-ca", "other-client", client_subject, client_ext, error);
}

std::string TestCa::ClientSubjectRfc2253() const {
  return "CN=" + client_.mac + ",ST=" + client_.mac + ",L=" + client_.serial +
         ",OU=" + client_.model;
}

}  // namespace cwmp_test
