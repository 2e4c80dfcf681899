#include "syslog_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace cwmp_test {

std::unique_ptr<SyslogReceiver> SyslogReceiver::Start(std::string* error) {
  std::unique_ptr<SyslogReceiver> r(new SyslogReceiver());
  r->fd_ = socket(AF_INET, SOCK_DGRAM, 0);
  if (r->fd_ < 0 || pipe(r->wake_) != 0) {
    *error = std::string("socket/pipe: ") + std::strerror(errno);
    return nullptr;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (bind(r->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(r->fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    *error = std::string("bind: ") + std::strerror(errno);
    return nullptr;
  }
  r->port_ = ntohs(addr.sin_port);
  r->thread_ = std::thread([p = r.get()] { p->Run(); });
  return r;
}

SyslogReceiver::~SyslogReceiver() {
  if (thread_.joinable()) {
    char c = 'q';
    (void)!write(wake_[1], &c, 1);
    thread_.join();
  }
  for (int fd : {fd_, wake_[0], wake_[1]}) {
    if (fd >= 0) close(fd);
  }
}

std::string SyslogReceiver::address() const { return "127.0.0.1:" + std::to_string(port_); }

void SyslogReceiver::Run() {
  char buf[65536];
  for (;;) {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if ((fds[0].revents & POLLIN) == 0) continue;
    ssize_t n = recv(fd_, buf, sizeof(buf), 0);
    if (n < 0) continue;
    SyslogMessage m;
    m.raw.assign(buf, static_cast<size_t>(n));
    m.text = m.raw;
    if (!m.raw.empty() && m.raw[0] == '<') {
      size_t close_pos = m.raw.find('>');
      if (close_pos != std::string::npos && close_pos > 1 && close_pos <= 4) {
        bool digits = true;
        for (size_t i = 1; i < close_pos; ++i)
          digits = digits && std::isdigit(static_cast<unsigned char>(m.raw[i]));
        if (digits) {
          m.priority = std::stoi(m.raw.substr(1, close_pos - 1));
          m.text = m.raw.substr(close_pos + 1);
        }
      }
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      messages_.push_back(std::move(m));
    }
    cv_.notify_all();
  }
}

std::vector<SyslogMessage> SyslogReceiver::WaitFor(size_t count,
                                                   std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
  return messages_;
}

std::vector<SyslogMessage> SyslogReceiver::Messages() {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}

}  // namespace cwmp_test
