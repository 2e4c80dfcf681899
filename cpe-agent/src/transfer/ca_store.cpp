#include "agent/ca_store.h"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <sstream>

#include "agent/network_worker.h"
#include "firmware/durable_file.h"
#include "transfer/ca_bundle.h"

namespace agent {
namespace {

std::string FormatTime(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%02d/%02d/%04d %02d:%02d:%02d", tm.tm_mon + 1, tm.tm_mday,
                tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

}  // namespace

cwmp::Result<CaStore> CaStore::Open(const std::string& state_dir) {
  CaStore store;
  store.dir_ = state_dir + "/ca";
  CWMP_RETURN_IF_ERROR(durable::MakeDirectories(store.dir_));
  auto pem = durable::ReadFile(store.dir_ + "/custom_ca.pem", kMaxCaBundle);
  if (pem.ok()) {
    auto cn = CaBundleCommonNameIsolated(*pem);
    if (!cn.ok()) return cn.status().WithPrefix(store.dir_ + "/custom_ca.pem");
    store.custom_ca_pem_ = std::move(pem.value());
    store.custom_ca_cn_ = std::move(cn.value());
  } else if (pem.status().code() != cwmp::StatusCode::kNotFound) {
    return pem.status();
  }
  auto status = durable::ReadFile(store.dir_ + "/status", 256);
  if (status.ok()) {
    std::istringstream in(*status);
    std::string word;
    long long when = 0;
    if (in >> word >> when && (word == "succeeded" || word == "failed")) {
      store.last_succeeded_ = word == "succeeded";
      store.last_time_ = static_cast<std::time_t>(when);
    }
  }
  return store;
}

cwmp::Status CaStore::InstallCustomCa(std::string_view pem, std::time_t now) {
  auto cn = CaBundleCommonNameIsolated(pem);
  if (!cn.ok()) {
    CWMP_RETURN_IF_ERROR(RecordProvisioningFailure(now));
    return cn.status();
  }
  CWMP_RETURN_IF_ERROR(durable::WriteFile(dir_ + "/custom_ca.pem", pem));
  custom_ca_pem_ = std::string(pem);
  custom_ca_cn_ = std::move(cn.value());
  CWMP_RETURN_IF_ERROR(
      durable::WriteFile(dir_ + "/status", "succeeded " + std::to_string(now) + "\n"));
  last_succeeded_ = true;
  last_time_ = now;
  return cwmp::Status::Ok();
}

cwmp::Status CaStore::RecordProvisioningFailure(std::time_t now) {
  CWMP_RETURN_IF_ERROR(
      durable::WriteFile(dir_ + "/status", "failed " + std::to_string(now) + "\n"));
  last_succeeded_ = false;
  last_time_ = now;
  return cwmp::Status::Ok();
}

cwmp::Status CaStore::RemoveCustomCa() {
  std::string path = dir_ + "/custom_ca.pem";
  if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
    return cwmp::IoError("cannot remove " + path);
  }
  std::string status = dir_ + "/status";
  if (std::remove(status.c_str()) != 0 && errno != ENOENT) {
    return cwmp::IoError("cannot remove " + status);
  }
  CWMP_RETURN_IF_ERROR(durable::SyncDirectory(dir_));
  custom_ca_pem_.clear();
  custom_ca_cn_.clear();
  last_succeeded_.reset();
  last_time_ = 0;
  return cwmp::Status::Ok();
}

std::string CaStore::ProvisioningStatus() const {
  if (!last_succeeded_) return "";
  return std::string("Last provisioning ") + (*last_succeeded_ ? "succeeded" : "failed") + " on " +
         FormatTime(last_time_);
}

std::string CaStore::CustomCaInfo() const {
  return has_custom_ca() ? "Installed - " + custom_ca_cn_ : "Not Installed";
}

}  // namespace agent
