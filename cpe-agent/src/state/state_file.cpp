#include "agent/state_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>

namespace agent {
namespace {

std::atomic<int> g_crash_countdown{0};

// Counts one write step; raises SIGKILL when the test hook's countdown reaches it.
void CrashPoint() {
  if (g_crash_countdown.load() <= 0) return;
  if (g_crash_countdown.fetch_sub(1) == 1) ::raise(SIGKILL);
}

std::string ErrnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

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

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

void SetCrashPointForTest(int n) { g_crash_countdown.store(n); }

cwmp::Status EnsureStateDir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) == 0 || errno == EEXIST) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return cwmp::Status::Ok();
    return cwmp::IoError(dir + ": not a directory");
  }
  return cwmp::IoError(ErrnoText(dir));
}

cwmp::Status WriteStateFile(const std::string& dir, const std::string& name,
                            std::string_view data) {
  const std::string path = dir + "/" + name;
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return cwmp::IoError(ErrnoText(tmp));
  CrashPoint();
  cwmp::Status st = WriteAll(fd, data.substr(0, data.size() / 2), tmp);
  CrashPoint();
  if (st.ok()) st = WriteAll(fd, data.substr(data.size() / 2), tmp);
  CrashPoint();
  if (st.ok() && ::fsync(fd) != 0) st = cwmp::IoError(ErrnoText(tmp));
  if (::close(fd) != 0 && st.ok()) st = cwmp::IoError(ErrnoText(tmp));
  CrashPoint();
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) st = cwmp::IoError(ErrnoText(path));
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  CrashPoint();
  // The rename is durable only once the directory entry is on disk.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return cwmp::IoError(ErrnoText(dir));
  if (::fsync(dfd) != 0) st = cwmp::IoError(ErrnoText(dir));
  ::close(dfd);
  CrashPoint();
  return st;
}

cwmp::Result<std::string> ReadStateFile(const std::string& dir, const std::string& name) {
  const std::string path = dir + "/" + name;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return cwmp::NotFound(path + ": no such file");
    return cwmp::IoError(ErrnoText(path));
  }
  std::string data;
  char buf[16 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      cwmp::Status err = cwmp::IoError(ErrnoText(path));
      ::close(fd);
      return err;
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > (size_t{64} << 20)) {
      ::close(fd);
      return cwmp::LimitExceeded(path + ": state file over 64 MiB");
    }
  }
  ::close(fd);
  return data;
}

std::string EscapeField(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    auto u = static_cast<unsigned char>(c);
    if (c == '%' || u < 0x20 || u == 0x7f) {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

cwmp::Result<std::string> UnescapeField(std::string_view escaped) {
  std::string out;
  out.reserve(escaped.size());
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '%') {
      out += escaped[i];
      continue;
    }
    if (i + 2 >= escaped.size()) {
      return cwmp::ParseError("truncated %XX escape");
    }
    int hi = HexValue(escaped[i + 1]), lo = HexValue(escaped[i + 2]);
    if (hi < 0 || lo < 0) return cwmp::ParseError("bad %XX escape");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

StateWriter::StateWriter(std::string_view magic, int version) {
  out_.append(magic).append(" ").append(std::to_string(version)).append("\n");
}

void StateWriter::Record(const std::vector<std::string_view>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out_ += '\t';
    out_ += EscapeField(fields[i]);
  }
  out_ += '\n';
  ++records_;
}

std::string StateWriter::Finish() {
  out_ += "end " + std::to_string(records_) + "\n";
  return std::move(out_);
}

cwmp::Result<std::vector<std::vector<std::string>>> ParseStateRecords(std::string_view text,
                                                                      std::string_view magic,
                                                                      int version,
                                                                      std::string_view file_name) {
  const std::string where(file_name);
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) {
      return cwmp::ParseError(where + ": last line is not terminated (incomplete file)");
    }
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  const std::string header = std::string(magic) + " " + std::to_string(version);
  if (lines.empty() || lines.front() != header) {
    return cwmp::ParseError(where + ":1: expected \"" + header + "\"");
  }
  if (lines.size() < 2 || lines.back() != "end " + std::to_string(lines.size() - 2)) {
    return cwmp::ParseError(where + ": missing or wrong end line (incomplete file)");
  }
  std::vector<std::vector<std::string>> records;
  for (size_t i = 1; i + 1 < lines.size(); ++i) {
    std::vector<std::string> fields;
    std::string_view line = lines[i];
    for (;;) {
      size_t tab = line.find('\t');
      auto field = UnescapeField(line.substr(0, tab));
      if (!field.ok()) {
        return cwmp::ParseError(where + ":" + std::to_string(i + 1) + ": " +
                                field.status().message());
      }
      fields.push_back(std::move(*field));
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    records.push_back(std::move(fields));
  }
  return records;
}

}  // namespace agent
