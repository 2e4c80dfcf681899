#pragma once
// The device's side of file transfers. The device model decides what to transfer and when,
// and applies what was fetched; a TransferExecutor moves the bytes and touches the hardware.
// The daemon's implementation (libcurl: HTTP/HTTPS/TFTP, image slots, the trust store) lives
// elsewhere; tests use an in-process one. Calls are blocking and come from Device::Tick().
//
// Faults are TR-069 TransferComplete fault codes: 9010 file transfer failure, 9011 upload
// failure, 9012 server authentication failure, 9013 unsupported protocol, 9015 unable to contact
// the file server, 9016 unable to access the file, 9017 unable to complete the download,
// 9018 file corrupted, 9019 file authentication failure. fault_code 0 is success.

#include <cstdint>
#include <string>
#include <string_view>

#include "cwmp/base/secret.h"
#include "cwmp/soap/messages.h"

namespace agent {

// File types the device accepts (docs/agent-device-model.md).
inline constexpr std::string_view kFileTypeFirmware = "1 Firmware Upgrade Image";
inline constexpr std::string_view kFileTypeConfig = "3 Vendor Configuration File";
// Vendor type: a PEM bundle installed as the phone's custom CA (guide: Custom_CA_Rule).
inline constexpr std::string_view kFileTypeCustomCa = "X 00562B Custom CA";
inline constexpr std::string_view kUploadTypeConfig = "1 Vendor Configuration File";
inline constexpr std::string_view kUploadTypeLog = "2 Vendor Log File";

struct TransferRequest {
  std::string url;
  std::string username;
  cwmp::Secret password;
  std::string file_type;
  uint32_t file_size = 0;  // announced size, 0 = unknown
  std::string target_file_name;
};

struct DownloadResult {
  cwmp::soap::TransferFault fault;  // code 0: `content` holds the whole file
  std::string content;
};

class TransferExecutor {
 public:
  virtual ~TransferExecutor() = default;
  // Downloads request.url.
  virtual DownloadResult Fetch(const TransferRequest& request) = 0;
  // Uploads `content` to request.url (HTTP PUT or the like).
  virtual cwmp::soap::TransferFault Put(const TransferRequest& request,
                                        std::string_view content) = 0;
  // Verifies a fetched firmware image and writes it to the inactive slot; the device reboots
  // into it after the session. 9018/9019 when the image is bad.
  virtual cwmp::soap::TransferFault InstallFirmware(const TransferRequest& request,
                                                    std::string_view image) = 0;
  // Installs a PEM bundle as the custom CA.
  virtual cwmp::soap::TransferFault InstallCustomCa(std::string_view pem) = 0;
  // The phone's log, for an Upload of "2 Vendor Log File".
  virtual std::string ReadLog() = 0;
};

}  // namespace agent
