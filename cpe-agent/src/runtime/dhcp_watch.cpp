#include "runtime/dhcp_watch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cwmp/dhcp/state.h"

namespace agent {
namespace {

// Reads at most `cap` bytes; kNotFound when absent, kLimitExceeded when larger.
cwmp::Result<std::string> ReadSmallFile(const std::string& path, size_t cap) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return cwmp::NotFound(path + " does not exist");
  std::string data(cap + 1, '\0');
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<size_t>(in.gcount()));
  if (data.size() > cap) return cwmp::LimitExceeded(path + " is larger than the limit");
  return data;
}

}  // namespace

int64_t DhcpStateMtime(const std::string& state_dir) {
  struct stat st {};
  std::string path = state_dir + "/" + std::string(cwmp::dhcp::kStateFileName);
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec +
         static_cast<int64_t>(st.st_ino);  // a rename changes the inode even in the same ns
}

cwmp::Result<DhcpDiscovery> ReadDhcpDiscovery(const std::string& state_dir) {
  auto text = ReadSmallFile(state_dir + "/" + std::string(cwmp::dhcp::kStateFileName),
                            cwmp::dhcp::kMaxStateFileBytes);
  if (!text.ok()) return text.status();
  auto state = cwmp::dhcp::ParseState(*text);
  if (!state.ok()) return state.status().WithPrefix("dhcp.json");
  DhcpDiscovery d;
  d.acs_url = state->acs_url;
  d.generation = state->acs_url_generation;
  d.provisioning_code = state->provisioning_code;
  d.retry_min_wait = state->retry_min_wait;
  d.retry_multiplier = state->retry_multiplier;
  auto ack = ReadSmallFile(state_dir + "/" + std::string(cwmp::dhcp::kBootstrapAckFileName),
                           cwmp::dhcp::kMaxStateFileBytes);
  if (ack.ok()) {
    auto value = cwmp::dhcp::ParseBootstrapAck(*ack);
    if (value.ok()) d.acked = *value;
  }
  return d;
}

cwmp::Status WriteBootstrapAck(const std::string& state_dir, uint64_t generation) {
  const std::string final_path = state_dir + "/" + std::string(cwmp::dhcp::kBootstrapAckFileName);
  const std::string tmp = final_path + ".tmp";
  const std::string text = std::to_string(generation) + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return cwmp::IoError("cannot write " + tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return cwmp::IoError("cannot write " + final_path + ": " + std::strerror(errno));
  }
  int dir = ::open(state_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return cwmp::Status::Ok();
}

}  // namespace agent
