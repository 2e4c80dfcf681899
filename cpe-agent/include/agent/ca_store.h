#pragma once
// The phone's trust store for HTTPS provisioning: the built-in (system) CAs plus at most one
// custom CA bundle installed by Custom_CA_Rule, persisted in the state directory, with the
// status the guide's "Custom CA Status" page shows:
//   Custom CA Provisioning Status  "Last provisioning succeeded on mm/dd/yyyy HH:MM:SS" /
//                                  "Last provisioning failed on mm/dd/yyyy HH:MM:SS" / ""
//   Custom CA Info                 "Installed - <CN>" (CN of the first certificate's subject) /
//                                  "Not Installed"
// Files (written with temp file + fsync + rename): <state>/ca/custom_ca.pem and
// <state>/ca/status ("succeeded|failed <unix time>").

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "cwmp/base/status.h"

namespace agent {

class CaStore {
 public:
  // Opens (creating <state_dir>/ca if needed) and loads what a previous run persisted.
  static cwmp::Result<CaStore> Open(const std::string& state_dir);

  // Installs a PEM bundle (one or more X.509 certificates, each must parse; at most 64 KiB) as
  // the custom CA, replacing the previous one, and records success at `now`. On a bad bundle
  // the installed CA is unchanged, failure is recorded and the error names the reason.
  cwmp::Status InstallCustomCa(std::string_view pem, std::time_t now);
  // Records a failed Custom_CA_Rule download (the installed CA is unchanged).
  cwmp::Status RecordProvisioningFailure(std::time_t now);
  // Removes the custom CA (factory reset).
  cwmp::Status RemoveCustomCa();

  bool has_custom_ca() const { return !custom_ca_pem_.empty(); }
  const std::string& custom_ca_pem() const { return custom_ca_pem_; }
  // "Last provisioning succeeded on 11/26/2026 12:04:38" (UTC), or "" before any attempt.
  std::string ProvisioningStatus() const;
  // "Installed - <CN>" or "Not Installed".
  std::string CustomCaInfo() const;

 private:
  std::string dir_;
  std::string custom_ca_pem_;
  std::string custom_ca_cn_;
  std::optional<bool> last_succeeded_;
  std::time_t last_time_ = 0;
};

}  // namespace agent
