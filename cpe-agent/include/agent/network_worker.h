#pragma once
// The network worker: `cpe-agent run` performs its network requests (the ACS session's HTTP(S)
// and every TFTP/HTTP/HTTPS transfer: resync, upgrade, custom CA, TR-069 Download/Upload) in a
// short-lived child process, `cpe-agent net-worker`, instead of in the daemon; so does the
// cryptography on what was fetched that needs OpenSSL's general machinery (decryption of
// profiles, the custom CA's certificates, firmware signatures).
//
// Why (docs/agent-memory.md): libcurl, TLS and the ~25 libraries Debian's libcurl needs stay
// out of the idle phone entirely (once OpenSSL is initialised in a process it cannot be unloaded
// again), and the code that parses what servers send (TLS, HTTP, TFTP) runs in a process that
// holds none of the phone's state: a crash there fails one request, not the phone.
//
// Contract:
// - EnableNetworkWorker(executable, after_idle): from then on every HttpClient made by
//   MakeAcsHttpClient and every agent::Fetch / agent::Upload request of this process runs in a
//   worker started as `<executable> net-worker --fd 3` (the daemon passes /proc/self/exe: the
//   same program). One worker per ACS session, kept for the whole session (one connection, its
//   cookies, its authentication), one per transfer request. A worker is killed and reaped as
//   soon as its session or request is over; `after_idle` runs (in the thread that ended it)
//   whenever the last live worker is gone.
// - Off by default: fleet mode and the tests use libcurl in process.
// - The results are those libcurl gives in process (the same code runs in the worker). A worker
//   that cannot start, dies, answers garbage, or does not answer within the request's own
//   timeouts plus 10 s fails that request or session with kIoError naming what happened.
// - The *Isolated functions below run one such operation in a worker of its own when the worker
//   is enabled, else in this process; their results are those of the direct calls.
// - A worker starts with the daemon's environment minus $CPE_AGENT_ACS_PASSWORD, no blocked
//   signals, default signal handlers, and only stdin/stdout/stderr and its socket open.
// - Thread-safe; sessions and transfers may overlap (each has its own worker).

#include <functional>
#include <memory>
#include <string>

#include "agent/firmware.h"
#include "agent/http_client.h"
#include "cwmp/content/content.h"

namespace agent {

void EnableNetworkWorker(std::string executable, std::function<void()> after_idle = {});
void DisableNetworkWorker();
bool NetworkWorkerEnabled();

// Worker processes alive now (diagnostics and tests).
int LiveNetworkWorkers();

// The HttpClient for ACS sessions: the worker's when it is enabled, else libcurl in process
// (MakeCurlHttpClient).
std::unique_ptr<HttpClient> MakeAcsHttpClient(HttpClientOptions options);

// cwmp::content::DecodeContent. In the worker only when it needs OpenSSL's ciphers (a key is
// given, or aes128gcm); plain, base64 and gzip content is decoded here.
cwmp::Result<cwmp::content::Decoded> DecodeContentIsolated(
    std::string_view bytes, const cwmp::content::DecodeOptions& options);

// The custom CA bundle check: the CN of its first certificate (transfer/ca_bundle.h).
cwmp::Result<std::string> CaBundleCommonNameIsolated(std::string_view pem);

// VerifyFirmwareSignature (firmware.h).
cwmp::Status VerifyFirmwareSignatureIsolated(const FirmwareManifest& manifest,
                                             std::string_view public_key_pem);

// The worker's side: serves requests on the stream socket `fd` until the daemon closes it.
// Returns the process exit status (0 after a clean close).
int RunNetworkWorker(int fd);

}  // namespace agent
