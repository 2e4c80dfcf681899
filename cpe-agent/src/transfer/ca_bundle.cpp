#include "transfer/ca_bundle.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

namespace agent {
namespace {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};

}  // namespace

cwmp::Result<std::string> CaBundleCommonName(std::string_view pem) {
  if (pem.size() > kMaxCaBundle) {
    return cwmp::LimitExceeded("custom CA: larger than " + std::to_string(kMaxCaBundle) + " bytes");
  }
  std::unique_ptr<BIO, BioDeleter> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return cwmp::Internal("custom CA: cannot allocate a BIO");
  std::string first_cn;
  int count = 0;
  for (;;) {
    std::unique_ptr<X509, X509Deleter> cert(
        PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    if (count == 0) {
      char buf[256] = {0};
      X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, buf,
                                sizeof(buf));
      first_cn = buf;
    }
    ++count;
  }
  unsigned long err = ERR_peek_last_error();
  bool clean_end = err == 0 || ERR_GET_REASON(err) == PEM_R_NO_START_LINE;
  ERR_clear_error();
  if (count == 0) return cwmp::ParseError("custom CA: no PEM certificate in the file");
  if (!clean_end) return cwmp::ParseError("custom CA: a certificate in the file does not parse");
  return first_cn;
}

}  // namespace agent
