#include "cli/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace agent::cli {
namespace {

std::string ErrnoText(const std::string& path) { return path + ": " + std::strerror(errno); }

cwmp::Status WriteAll(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return cwmp::IoError(ErrnoText(what));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return cwmp::Status::Ok();
}

std::string MiB(size_t bytes) {
  if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
  return std::to_string(bytes) + " bytes";
}

}  // namespace

cwmp::Result<std::string> ReadFileCapped(const std::string& path, size_t max_bytes) {
  const bool is_stdin = path == "-";
  int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return cwmp::IoError(ErrnoText(path));
  struct stat st {};
  if (!is_stdin && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return cwmp::LimitExceeded(path + ": file is " + std::to_string(st.st_size) +
                               " bytes, over the " + MiB(max_bytes) + " input limit");
  }
  std::string data;
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      cwmp::Status err = cwmp::IoError(ErrnoText(path));
      if (!is_stdin) ::close(fd);
      return err;
    }
    if (n == 0) break;
    if (data.size() + static_cast<size_t>(n) > max_bytes) {
      if (!is_stdin) ::close(fd);
      return cwmp::LimitExceeded(path + ": input exceeds the " + MiB(max_bytes) + " limit");
    }
    data.append(buf, static_cast<size_t>(n));
  }
  if (!is_stdin) ::close(fd);
  return data;
}

cwmp::Status WriteFileAtomic(const std::string& path, std::string_view data) {
  if (path == "-") return WriteAll(STDOUT_FILENO, data, "stdout");
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return cwmp::IoError(ErrnoText(tmp));
  cwmp::Status st = WriteAll(fd, data, tmp);
  if (st.ok() && ::fsync(fd) != 0) st = cwmp::IoError(ErrnoText(tmp));
  if (::close(fd) != 0 && st.ok()) st = cwmp::IoError(ErrnoText(tmp));
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) st = cwmp::IoError(ErrnoText(path));
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

}  // namespace agent::cli
