#pragma once
// NetworkTransferExecutor: the daemon's TransferExecutor. It moves files with the phone's own
// transfer layer (agent/transfer.h: TFTP/HTTP/HTTPS per the guide's Table 2, the custom CA,
// the client certificate), installs firmware into the A/B image slots after ValidateUpgrade,
// and installs custom CAs into the CA store — so a Download RPC uses the same paths as
// Upgrade_Rule and Custom_CA_Rule.
//
// Transfer failures map to TransferComplete faults: file not found → 9016; 401/407 still
// refused after the retries → 9012; no answer from the server → 9015; any other failure →
// 9016 for downloads and 9011 for uploads; a bad image → 9018 (corrupt) or 9019 (signature).

#include <memory>
#include <string>

#include "agent/ca_store.h"
#include "agent/firmware.h"
#include "agent/transfer.h"
#include "agent/transfer_executor.h"

namespace agent {

struct NetworkExecutorOptions {
  std::string state_dir;        // image slots (<state>/firmware) and CA store (<state>/ca)
  FetchOptions fetch;           // User-Agent, client certificate, limits, hosts, TFTP server
  UpgradePolicy policy;        // model, Downgrade_Rev_Limit, trusted signing key
  std::string log_file;         // what an Upload of "2 Vendor Log File" sends ("" = none)
  // Shared with the upgrade and custom CA engines (not owned; must outlive the executor), so
  // that a Download RPC and Upgrade_Rule / Custom_CA_Rule change one set of slots and one trust
  // store. Null: the executor opens its own from state_dir.
  ImageSlots* image_slots = nullptr;
  CaStore* ca_store = nullptr;
};

// Opens the image slots and the CA store in options.state_dir.
cwmp::Result<std::unique_ptr<TransferExecutor>> MakeNetworkTransferExecutor(
    const NetworkExecutorOptions& options);

}  // namespace agent
