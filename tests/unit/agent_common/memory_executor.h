#pragma once
// An in-process TransferExecutor for the agent tests: downloads come from a URL -> bytes map,
// uploads are recorded. What it fetches still goes through the device's real decode and
// ApplyProfile path; only the network and the hardware are replaced.

#include <map>
#include <string>
#include <vector>

#include "agent/transfer_executor.h"

namespace agent::testing {

class MemoryExecutor : public TransferExecutor {
 public:
  std::map<std::string, std::string> files;       // URL -> content
  std::map<std::string, std::string> uploads;     // URL -> content
  std::vector<std::string> installed_firmware;    // images
  std::vector<std::string> installed_ca;          // PEM bundles
  std::string log = "boot ok\nregistered line 1\n";
  uint32_t firmware_fault = 0;                    // InstallFirmware result code

  DownloadResult Fetch(const TransferRequest& request) override {
    auto it = files.find(request.url);
    if (it == files.end()) return {{9016, "unable to access file: 404"}, {}};
    return {{}, it->second};
  }
  cwmp::soap::TransferFault Put(const TransferRequest& request,
                                std::string_view content) override {
    if (request.url.find("denied") != std::string::npos) return {9011, "upload failure: 403"};
    uploads[request.url] = std::string(content);
    return {};
  }
  cwmp::soap::TransferFault InstallFirmware(const TransferRequest&,
                                            std::string_view image) override {
    if (firmware_fault != 0) return {firmware_fault, "image rejected"};
    installed_firmware.emplace_back(image);
    return {};
  }
  cwmp::soap::TransferFault InstallCustomCa(std::string_view pem) override {
    installed_ca.emplace_back(pem);
    return {};
  }
  std::string ReadLog() override { return log; }
};

}  // namespace agent::testing
