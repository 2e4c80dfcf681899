#pragma once
// Private helpers for the OpenSSL EVP calls of the content codecs: RAII for cipher contexts and
// one place that turns the OpenSSL error queue into a message (the translation boundary).

#include <openssl/err.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace cwmp::content::internal {

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

inline CipherCtx NewCipherCtx() { return CipherCtx(EVP_CIPHER_CTX_new()); }

// "<what> failed (<first OpenSSL error>)"; clears the thread's error queue.
inline std::string OpensslFailure(const char* what) {
  unsigned long code = ERR_get_error();
  std::string msg = std::string(what) + " failed";
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    msg += std::string(" (") + buf + ")";
  }
  ERR_clear_error();
  return msg;
}

}  // namespace cwmp::content::internal
