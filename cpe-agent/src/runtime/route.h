#pragma once
// The host to put in ConnectionRequestURL. Private to the runtime.

#include <string>

namespace agent {

// `listen_address` when it is a specific address; otherwise the local address of the route
// towards the host of `acs_url` (a connected UDP socket, nothing is sent); "127.0.0.1" when
// neither is known.
std::string ConnectionRequestHost(const std::string& listen_address, const std::string& acs_url);

// Host and port of an http(s) URL ("" when it has none); IPv6 literals without brackets.
bool SplitUrlHostPort(const std::string& url, std::string* host, std::string* port);

}  // namespace agent
