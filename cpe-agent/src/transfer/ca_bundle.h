#pragma once
// The custom CA bundle's certificate check (OpenSSL X.509), used by CaStore through
// CaBundleCommonNameIsolated (network_worker.h), which runs it in the network worker in
// `cpe-agent run`.

#include <cstddef>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace agent {

inline constexpr size_t kMaxCaBundle = 64 * 1024;

// Parses every certificate in a PEM bundle (at most kMaxCaBundle bytes); returns the CN of the
// first one. An empty bundle, trailing garbage that is not a certificate, or a bundle without
// certificates is an error.
cwmp::Result<std::string> CaBundleCommonName(std::string_view pem);

}  // namespace agent
