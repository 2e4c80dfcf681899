// content_decode_file KEY FILE: decodes FILE with DecodeContent (--key KEY) and writes the
// plaintext to stdout. Exists only so that hyperfine can compare whole-process cost with
// `openssl enc -d -aes-256-cbc -md sha256 -k KEY -in FILE | gunzip`.

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cwmp/content/content.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s KEY FILE\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", argv[2]);
    return 1;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  cwmp::content::DecodeOptions d;
  d.key = cwmp::Secret(argv[1]);
  cwmp::Result<cwmp::content::Decoded> r = cwmp::content::DecodeContent(ss.str(), d);
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", argv[2], r.status().ToString().c_str());
    return 1;
  }
  std::fwrite(r->plaintext.data(), 1, r->plaintext.size(), stdout);
  return 0;
}
