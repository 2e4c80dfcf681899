#pragma once
// A small, real AdminActions for the admin web server and SIP listener tests: settings,
// config.xml export/apply and the ua rules run over a real ParameterStore in a temporary state
// directory; resync/upgrade/reboot/restart requests are recorded (the engines that would run
// them are other modules) and honour Provision_Enable / Upgrade_Enable; line states are kept
// here. Thread-safe: the servers call it from their own threads while the test reads it.

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agent/admin_server.h"
#include "agent/parameter_store.h"

namespace agent_admin_test {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "agent_admin_XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class StoreAdminActions : public agent::AdminActions {
 public:
  StoreAdminActions() {
    auto store = agent::ParameterStore::Open(dir_.path() + "/state");
    if (store.ok()) store_ = std::move(*store);
  }
  bool ok() const { return store_ != nullptr; }

  // Sets parameters as the admin would (all or nothing); returns the status.
  cwmp::Status Set(std::vector<std::pair<std::string, std::string>> values) {
    std::lock_guard lock(mu_);
    agent::StoreEdit edit;
    edit.values = std::move(values);
    return store_->Commit(edit, agent::ChangeSource::kLocal);
  }
  std::string Get(const std::string& name) {
    std::lock_guard lock(mu_);
    return store_->Get(name);
  }
  cwmp::prov::Access GetAccess(const std::string& name) {
    std::lock_guard lock(mu_);
    return store_->GetAccess(name);
  }

  agent::AdminSettings Settings() override {
    std::lock_guard lock(mu_);
    return agent::ReadAdminSettings(*store_);
  }
  cwmp::Status Resync(std::optional<std::string> rule) override {
    std::lock_guard lock(mu_);
    if (store_->Get("Provision_Enable") == "No") {
      return cwmp::FailedPrecondition("Provision_Enable is No");
    }
    resyncs_.push_back(std::move(rule));
    cv_.notify_all();
    return cwmp::Status::Ok();
  }
  cwmp::Status Upgrade(std::string url) override {
    std::lock_guard lock(mu_);
    if (store_->Get("Upgrade_Enable") == "No") {
      return cwmp::FailedPrecondition("Upgrade_Enable is No");
    }
    if (url.find("://") == std::string::npos && url.find('/') == std::string::npos) {
      return cwmp::InvalidArgument("\"" + url + "\" is not an upgrade URL");
    }
    upgrades_.push_back(std::move(url));
    cv_.notify_all();
    return cwmp::Status::Ok();
  }
  cwmp::Status Reboot() override {
    std::lock_guard lock(mu_);
    ++reboots_;
    cv_.notify_all();
    return cwmp::Status::Ok();
  }
  cwmp::Status Restart() override {
    std::lock_guard lock(mu_);
    ++restarts_;
    cv_.notify_all();
    return cwmp::Status::Ok();
  }
  std::string ExportProfile(bool user_view) override {
    std::lock_guard lock(mu_);
    return agent::ExportProfileXml(*store_, user_view);
  }
  cwmp::Result<agent::AdminApplyReport> ApplyProfile(std::string_view xml,
                                                     bool user_account) override {
    std::lock_guard lock(mu_);
    return agent::ApplyProfileXml(*store_, xml, user_account);
  }
  agent::AdminStatus Status() override {
    std::lock_guard lock(mu_);
    agent::AdminStatus s;
    s.software_version = "sip68xx.11-3-7MPP-0001";
    s.provisioning_status = resyncs_.empty() ? "Idle" : "Resync requested";
    s.last_resync = last_resync_;
    s.custom_ca_info = "Not Installed";
    return s;
  }
  cwmp::Status SetLineBusy(int line, bool busy) override {
    std::lock_guard lock(mu_);
    if (line < 1 || line > static_cast<int>(lines_.size())) {
      return cwmp::InvalidArgument("line " + std::to_string(line) + " does not exist (1-4)");
    }
    lines_[static_cast<size_t>(line - 1)] = busy;
    return cwmp::Status::Ok();
  }
  std::vector<bool> LineStates() override {
    std::lock_guard lock(mu_);
    return lines_;
  }
  bool LinesIdle() override {
    std::lock_guard lock(mu_);
    for (bool b : lines_) {
      if (b) return false;
    }
    return true;
  }

  void SetLastResync(agent::AdminOutcome o) {
    std::lock_guard lock(mu_);
    last_resync_ = std::move(o);
  }
  std::vector<std::optional<std::string>> resyncs() {
    std::lock_guard lock(mu_);
    return resyncs_;
  }
  std::vector<std::string> upgrades() {
    std::lock_guard lock(mu_);
    return upgrades_;
  }
  int reboots() {
    std::lock_guard lock(mu_);
    return reboots_;
  }
  int restarts() {
    std::lock_guard lock(mu_);
    return restarts_;
  }
  // Waits (bounded) until reboots() + restarts() reaches `n`.
  bool WaitForRestarts(int n, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return reboots_ + restarts_ >= n; });
  }

 private:
  TempDir dir_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<agent::ParameterStore> store_;
  std::vector<std::optional<std::string>> resyncs_;
  std::vector<std::string> upgrades_;
  int reboots_ = 0;
  int restarts_ = 0;
  std::vector<bool> lines_ = std::vector<bool>(4, false);
  std::optional<agent::AdminOutcome> last_resync_;
};

}  // namespace agent_admin_test
