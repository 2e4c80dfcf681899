// OpensslEncDecrypt and the DecodeContent pipeline on arbitrary bytes with the password the
// seeds were made with ("PASS"), so mutations reach the padding, validator and gzip stages.
// PBKDF2 is cut to 1 iteration to keep executions fast; the code path is the same.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cwmp/content/base64.h"
#include "cwmp/content/content.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const cwmp::Secret pass("PASS");
  cwmp::Result<cwmp::content::EncDecrypted> d =
      cwmp::content::OpensslEncDecrypt(in, pass, cwmp::content::LooksLikeProfile, 1);
  if (d.ok() && !cwmp::content::LooksLikeProfile(d->plaintext)) std::abort();

  cwmp::content::DecodeOptions options;
  options.key = pass;
  options.pbkdf2_iterations = 1;
  options.max_output = 1 << 20;
  cwmp::Result<cwmp::content::Decoded> decoded = cwmp::content::DecodeContent(in, options);
  if (decoded.ok() && decoded->plaintext.size() > options.max_output) std::abort();

  // The base64 decoder is reached by -a files; check it against the encoder too.
  cwmp::Result<std::string> b = cwmp::content::Base64Decode(in);
  if (b.ok()) {
    cwmp::Result<std::string> again =
        cwmp::content::Base64Decode(cwmp::content::Base64Encode(*b, 64));
    if (!again.ok() || *again != *b) std::abort();
  }
  return 0;
}
