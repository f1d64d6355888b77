#include "tests/gateway/e2e/raw_upstream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace jtgw::e2e {

using namespace std::chrono_literals;

raw_upstream::raw_upstream(mode m, std::uint64_t stream_bytes, std::chrono::milliseconds piece_delay)
    : mode_(m), stream_bytes_(stream_bytes), piece_delay_(piece_delay) {
  listen();
}

raw_upstream::raw_upstream(std::string response)
    : mode_(mode::canned), canned_response_(std::move(response)), stream_bytes_(0), piece_delay_(0) {
  listen();
}

void raw_upstream::listen() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("raw_upstream: cannot listen on 127.0.0.1");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] {
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0 || stopping_) {
        if (fd >= 0) ::close(fd);
        return;
      }
      fds_.push_back(fd);  // only this thread appends; the destructor reads after join
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  });
}

raw_upstream::~raw_upstream() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  for (auto& w : workers_) w.join();
  for (int fd : fds_) ::close(fd);
  ::close(listen_fd_);
}

void raw_upstream::serve(int fd) {
  std::string request;
  char chunk[4096];
  while (request.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return;  // a readiness probe connects and leaves
    request.append(chunk, static_cast<std::size_t>(n));
  }
  ++requests_;
  if (mode_ == mode::canned &&
      ::send(fd, canned_response_.data(), canned_response_.size(), MSG_NOSIGNAL) < 0)
    return;
  if (mode_ != mode::slow_stream) {
    while (!stopping_) std::this_thread::sleep_for(20ms);
    return;
  }
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                           std::to_string(stream_bytes_) + "\r\n\r\n";
  if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) < 0) return;
  const std::string piece(64 * 1024, 'x');
  std::uint64_t sent = 0;
  while (sent < stream_bytes_ && !stopping_) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), stream_bytes_ - sent));
    if (::send(fd, piece.data(), n, MSG_NOSIGNAL) != static_cast<ssize_t>(n)) return;
    sent += n;
    streaming_ = true;
    std::this_thread::sleep_for(piece_delay_);
  }
}

}  // namespace jtgw::e2e
