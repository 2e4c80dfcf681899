// Connection requests for a stored device: the addresses and credentials come from its
// parameters (TR-181 Device.* or TR-098 InternetGatewayDevice.*).
#include <chrono>

#include "acs/connection_request.h"

namespace acs {
namespace {

const Parameter* FindParam(const DeviceWithParameters& d, const std::string& suffix) {
  for (const char* root : {"Device.ManagementServer.", "InternetGatewayDevice.ManagementServer."}) {
    std::string name = root + suffix;
    for (const auto& p : d.parameters) {
      if (p.name == name && p.value && !p.value->empty()) return &p;
    }
  }
  return nullptr;
}

}  // namespace

StoreConnectionRequester::StoreConnectionRequester(Store& store, ConnectionRequestOptions options)
    : store_(store), options_(std::move(options)) {
  if (!options_.unix_now) {
    options_.unix_now = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
}

ConnectionRequestResult StoreConnectionRequester::Request(const std::string& device_id) {
  auto device = store_.GetDevice(device_id);
  if (!device.ok()) {
    ConnectionRequestResult r;
    r.outcome = device.status().code() == cwmp::StatusCode::kNotFound
                    ? ConnectionRequestOutcome::kNotFound
                    : ConnectionRequestOutcome::kUnreachable;
    r.message = device.status().message();
    return r;
  }
  ConnectionRequestCredentials cred;
  const Parameter* user = FindParam(*device, "ConnectionRequestUsername");
  const Parameter* pass = FindParam(*device, "ConnectionRequestPassword");
  cred.username = user != nullptr ? *user->value : options_.default_username;
  cred.password = pass != nullptr ? cwmp::Secret(*pass->value) : options_.default_password;

  const Parameter* url = FindParam(*device, "ConnectionRequestURL");
  const Parameter* udp = FindParam(*device, "UDPConnectionRequestAddress");
  ConnectionRequestResult http;
  if (url != nullptr) {
    http = SendHttpConnectionRequest(*url->value, cred, options_.http_timeout);
    bool try_udp = http.outcome == ConnectionRequestOutcome::kUnreachable ||
                   http.outcome == ConnectionRequestOutcome::kTimeout;
    if (!try_udp || udp == nullptr) return http;
  } else if (udp == nullptr) {
    http.outcome = ConnectionRequestOutcome::kNoAddress;
    http.message = "device " + device_id + " reported no ConnectionRequestURL";
    return http;
  }
  ConnectionRequestResult r = SendUdpConnectionRequest(*udp->value, cred, options_.unix_now(),
                                                       options_.udp_copies, options_.udp_interval);
  if (url != nullptr) r.message = "HTTP: " + http.message + "; " + r.message;
  return r;
}

}  // namespace acs
