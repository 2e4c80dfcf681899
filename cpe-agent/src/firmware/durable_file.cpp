#include "firmware/durable_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace agent::durable {
namespace {

std::string ErrnoText(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

void Step(const StepHook& hook, std::string_view step) {
  if (hook) hook(step);
}

}  // namespace

cwmp::Status SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return cwmp::IoError(ErrnoText("cannot open directory", dir));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return cwmp::IoError(ErrnoText("cannot fsync directory", dir));
  return cwmp::Status::Ok();
}

cwmp::Status MakeDirectories(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return cwmp::IoError("cannot create directory " + dir + ": " + ec.message());
  return cwmp::Status::Ok();
}

cwmp::Status WriteFile(const std::string& path, std::string_view data, const StepHook& hook) {
  const std::string tmp = path + ".tmp";
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  Step(hook, "open");
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return cwmp::IoError(ErrnoText("cannot create", tmp));
  // Written in 64 KiB pieces so a crash can land in the middle of a large image.
  constexpr size_t kChunk = 64 * 1024;
  size_t done = 0;
  while (done < data.size()) {
    size_t n = std::min(kChunk, data.size() - done);
    ssize_t w = ::write(fd, data.data() + done, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      cwmp::Status st = cwmp::IoError(ErrnoText("cannot write", tmp));
      ::close(fd);
      ::unlink(tmp.c_str());
      return st;
    }
    done += static_cast<size_t>(w);
    Step(hook, "chunk");
  }
  Step(hook, "fsync");
  if (::fsync(fd) != 0) {
    cwmp::Status st = cwmp::IoError(ErrnoText("cannot fsync", tmp));
    ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  }
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return cwmp::IoError(ErrnoText("cannot close", tmp));
  }
  Step(hook, "rename");
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    cwmp::Status st = cwmp::IoError(ErrnoText("cannot rename onto", path));
    ::unlink(tmp.c_str());
    return st;
  }
  Step(hook, "dirsync");
  return SyncDirectory(dir);
}

cwmp::Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return cwmp::NotFound(path + ": no such file");
    return cwmp::IoError(ErrnoText("cannot open", path));
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      cwmp::Status st = cwmp::IoError(ErrnoText("cannot read", path));
      ::close(fd);
      return st;
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return cwmp::LimitExceeded(path + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace agent::durable
