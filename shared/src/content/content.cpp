#include "cwmp/content/content.h"

#include "cwmp/content/base64.h"
#include "cwmp/content/validator.h"

namespace cwmp::content {
namespace {

constexpr std::string_view kSaltedMagic = "Salted__";
constexpr std::string_view kSaltedMagicBase64 = "U2FsdGVkX1";  // base64 of "Salted__"

std::string_view TrimLeadingSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
  return s.substr(i);
}

}  // namespace

Result<Decoded> DecodeContent(std::string_view bytes, const DecodeOptions& options) {
  if (bytes.size() > options.max_input) {
    return LimitExceeded("input is " + std::to_string(bytes.size()) + " bytes, exceeds " +
                         FormatSize(options.max_input) + " limit");
  }
  Decoded out;
  std::string current;
  std::string_view view = bytes;

  if (options.aes128gcm) {
    // Content-Encoding: aes128gcm wins over --key (guide: "unless the Content-Encoding header in
    // the file indicates aes128gcm").
    if (!options.ikm || options.ikm->empty()) {
      return FailedPrecondition(
          "content is aes128gcm-encoded (Content-Encoding header) but no IKM is configured "
          "(IKM_HTTP_Encrypt_Content)");
    }
    Result<std::string> plain = Aes128gcmDecrypt(view, *options.ikm, options.max_output);
    if (!plain.ok()) return plain.status();
    current = std::move(plain).value();
    view = current;
    out.layers.emplace_back("aes128gcm");
  } else if (options.key) {
    // The validator must accept gzip too: compression precedes encryption.
    Result<EncDecrypted> plain =
        OpensslEncDecrypt(view, *options.key, LooksLikeProfile, options.pbkdf2_iterations);
    if (!plain.ok()) return plain.status();
    if (plain->base64) out.layers.emplace_back("base64");
    out.layers.push_back(std::string("aes-256-cbc/") + KdfName(plain->kdf));
    current = std::move(plain->plaintext);
    view = current;
  } else if (view.starts_with(kSaltedMagic) ||
             TrimLeadingSpace(view).starts_with(kSaltedMagicBase64)) {
    return FailedPrecondition(
        "content is encrypted with openssl enc (Salted__ header) but no --key was given");
  }

  if (LooksLikeGzip(view)) {
    Result<std::string> plain = Gunzip(view, options.max_output);
    if (!plain.ok()) return plain.status();
    current = std::move(plain).value();
    out.layers.emplace_back("gzip");
  } else if (view.size() > options.max_output) {
    return LimitExceeded("decoded size " + std::to_string(view.size()) + " bytes exceeds " +
                         FormatSize(options.max_output) + " limit");
  } else if (current.empty() && !view.empty()) {
    current.assign(view);
  }
  out.plaintext = std::move(current);
  return out;
}

Result<std::string> EncodeContent(std::string_view plaintext, const EncodeOptions& options) {
  if (options.key && options.ikm) {
    return InvalidArgument("choose one encryption: --key (AES-256-CBC) or --ikm (aes128gcm)");
  }
  if (options.base64 && !options.key) {
    return InvalidArgument("base64 armour (-a) applies only to --key (AES-256-CBC) output");
  }
  if (options.key && options.key->empty()) return InvalidArgument("--key is empty");
  std::string compressed;
  std::string_view view = plaintext;
  if (options.gzip) {
    Result<std::string> gz = Gzip(plaintext);
    if (!gz.ok()) return gz.status();
    compressed = std::move(gz).value();
    view = compressed;
  }
  const RandomBytesFn random = options.random ? options.random : RandomBytesFn(SystemRandomBytes);
  if (options.key) {
    EncOptions enc;
    enc.kdf = options.kdf;
    enc.pbkdf2_iterations = options.pbkdf2_iterations;
    enc.salt = options.salt;
    enc.base64 = options.base64;
    return OpensslEncEncrypt(view, *options.key, enc, random);
  }
  if (options.ikm) {
    Aes128gcmOptions gcm;
    gcm.record_size = options.record_size;
    gcm.keyid = options.keyid;
    return Aes128gcmEncrypt(view, *options.ikm, gcm, random);
  }
  return std::string(view);
}

}  // namespace cwmp::content
