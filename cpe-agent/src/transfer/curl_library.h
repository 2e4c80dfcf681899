#pragma once
// libcurl, loaded with dlopen when a request needs it instead of at program start.
//
// Why: Debian's libcurl.so.4 drags in ~25 libraries (libldap → libgnutls → nettle/gmp/p11-kit,
// krb5/gssapi, librtmp, libssh2, nghttp2, idn2, psl, brotli, zstd) that the phone never uses
// but whose pages stay mapped for the life of the process: ~4 MiB of the idle agent's RSS.
// Loading libcurl only while an ACS session or a transfer runs, and unloading it afterwards in
// `cpe-agent run`, removes them from the idle phone (docs/agent-memory.md).
//
// Contract:
// - Acquire() returns a Lease: a table of libcurl entry points that stay valid while the lease
//   (a shared_ptr) is held. Hold it for as long as any CURL handle or curl_slist made through it
//   is alive. The first Acquire loads libcurl and calls curl_global_init.
// - By default the library stays loaded for the rest of the process once loaded (fleet mode,
//   tests: sessions overlap, reloading would only cost CPU). After UnloadWhenUnused(true) the
//   release of the last lease calls curl_global_cleanup and dlclose, and the next Acquire loads
//   it again. Thread-safe.
// - libcurl's own functions (and the OpenSSL they use) behave exactly as when linked.

#include <curl/curl.h>

#include <functional>
#include <memory>

#include "cwmp/base/status.h"

namespace agent::curl {

// The libcurl entry points this program uses. Call through these, never the curl_* symbols.
struct Api {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_global_cleanup) global_cleanup = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

using Lease = std::shared_ptr<const Api>;

// Loads libcurl if needed. Fails with a clear message when libcurl.so.4 cannot be loaded.
cwmp::Result<Lease> Acquire();

// true: unload libcurl when the last lease is released (the idle single phone); then
// `after_unload` (if any) runs in the thread that released it, once the library is gone.
// false (default): keep it loaded once loaded. Switching to true while no lease is held
// unloads at once.
void UnloadWhenUnused(bool enable, std::function<void()> after_unload = {});

// Whether libcurl is currently loaded by this module (for tests and diagnostics).
bool IsLoaded();

}  // namespace agent::curl
