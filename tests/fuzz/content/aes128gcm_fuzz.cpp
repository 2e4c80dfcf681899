// Aes128gcmDecrypt on arbitrary bytes with the RFC 8188 §3.2 IKM (the seeds are the RFC
// bodies), so mutations reach header parsing, record splitting and delimiter checks.
// Whatever decrypts must re-encrypt and decrypt to the same plaintext.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/content/aes128gcm.h"
#include "cwmp/content/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cwmp::Secret ikm32(cwmp::content::Base64UrlDecode("BO3ZVPxUlnLORbVGMpbT1Q").value());
  static const cwmp::Secret ikm31(cwmp::content::Base64UrlDecode("yqdlZ-tYemfogSmv7Ws5PQ").value());
  constexpr size_t kLimit = 1 << 20;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (const cwmp::Secret* ikm : {&ikm31, &ikm32}) {
    cwmp::Result<cwmp::content::Aes128gcmDecrypted> d =
        cwmp::content::Aes128gcmDecryptDetailed(in, *ikm, kLimit);
    if (!d.ok()) continue;
    if (d->plaintext.size() > kLimit || d->record_size < 18) std::abort();
    cwmp::content::Aes128gcmOptions o;
    o.record_size = d->record_size;
    o.keyid = d->keyid;
    cwmp::Result<std::string> e = cwmp::content::Aes128gcmEncrypt(d->plaintext, *ikm, o);
    if (!e.ok()) std::abort();
    cwmp::Result<std::string> back = cwmp::content::Aes128gcmDecrypt(*e, *ikm, kLimit);
    if (!back.ok() || *back != d->plaintext) std::abort();
  }
  return 0;
}
