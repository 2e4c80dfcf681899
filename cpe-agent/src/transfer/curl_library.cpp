#include "transfer/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace agent::curl {
namespace {

// The soname of the libcurl ABI this program is compiled against (stable since 2006).
constexpr const char* kSoname = "libcurl.so.4";

struct Loaded : Api {
  void* handle = nullptr;
};

// Process-wide state. Never destroyed: at exit other threads may still hold leases, and the
// library must not be unloaded under them.
struct State {
  std::mutex mu;
  std::weak_ptr<const Api> current;  // the loaded library, while any lease exists
  Lease pinned;                      // keeps it loaded when unloading is off
  bool unload_when_unused = false;
  std::function<void()> after_unload;
};

State& TheState() {
  static State* state = new State();
  return *state;
}

template <typename Fn>
bool Resolve(void* handle, const char* name, Fn* out) {
  *out = reinterpret_cast<Fn>(dlsym(handle, name));
  return *out != nullptr;
}

cwmp::Result<std::unique_ptr<Loaded>> Load() {
  auto lib = std::make_unique<Loaded>();
  lib->handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (lib->handle == nullptr) {
    const char* why = dlerror();
    return cwmp::Internal(std::string("cannot load ") + kSoname + ": " +
                             (why != nullptr ? why : "unknown error"));
  }
  bool ok = Resolve(lib->handle, "curl_global_init", &lib->global_init) &&
            Resolve(lib->handle, "curl_global_cleanup", &lib->global_cleanup) &&
            Resolve(lib->handle, "curl_easy_init", &lib->easy_init) &&
            Resolve(lib->handle, "curl_easy_setopt", &lib->easy_setopt) &&
            Resolve(lib->handle, "curl_easy_perform", &lib->easy_perform) &&
            Resolve(lib->handle, "curl_easy_getinfo", &lib->easy_getinfo) &&
            Resolve(lib->handle, "curl_easy_cleanup", &lib->easy_cleanup) &&
            Resolve(lib->handle, "curl_easy_strerror", &lib->easy_strerror) &&
            Resolve(lib->handle, "curl_slist_append", &lib->slist_append) &&
            Resolve(lib->handle, "curl_slist_free_all", &lib->slist_free_all);
  if (!ok) {
    dlclose(lib->handle);
    return cwmp::Internal(std::string(kSoname) + " lacks a libcurl entry point");
  }
  if (lib->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    dlclose(lib->handle);
    return cwmp::Internal("curl_global_init failed");
  }
  return lib;
}

// The deleter of the last lease. curl_global_init/cleanup and dlopen/dlclose are both
// reference-counted, so a new load that raced ahead of this one stays valid.
void Unload(const Api* api) {
  auto* lib = static_cast<const Loaded*>(api);
  std::function<void()> after_unload;
  {
    std::lock_guard<std::mutex> lock(TheState().mu);
    lib->global_cleanup();
    dlclose(lib->handle);
    after_unload = TheState().after_unload;
  }
  delete lib;
  if (after_unload) after_unload();
}

}  // namespace

cwmp::Result<Lease> Acquire() {
  State& s = TheState();
  std::lock_guard<std::mutex> lock(s.mu);
  if (Lease live = s.current.lock()) return live;
  auto loaded = Load();
  if (!loaded.ok()) return loaded.status();
  Lease lease(static_cast<const Api*>(loaded->release()), &Unload);
  s.current = lease;
  if (!s.unload_when_unused) s.pinned = lease;
  return lease;
}

void UnloadWhenUnused(bool enable, std::function<void()> after_unload) {
  State& s = TheState();
  Lease drop;  // released after the lock: its deleter takes the lock
  {
    std::lock_guard<std::mutex> lock(s.mu);
    s.unload_when_unused = enable;
    s.after_unload = std::move(after_unload);
    if (enable) {
      drop = std::move(s.pinned);
    } else {
      s.pinned = s.current.lock();
    }
  }
}

bool IsLoaded() {
  State& s = TheState();
  std::lock_guard<std::mutex> lock(s.mu);
  return !s.current.expired();
}

}  // namespace agent::curl
