#include "tests/support/raw_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace jtgw::test_support {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

}  // namespace

raw_connection::raw_connection(std::uint16_t port, const std::string& bind_address) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  require(fd_ >= 0, "socket failed");
  timeval timeout{30, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (!bind_address.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, bind_address.c_str(), &local.sin_addr);
    require(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0, "bind to " + bind_address);
  }
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  require(::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0,
          "connect to port " + std::to_string(port) + ": " + std::strerror(errno));
}

raw_connection::~raw_connection() {
  if (fd_ >= 0) ::close(fd_);
}

std::string raw_connection::read_some() {
  char chunk[16 * 1024];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  require(n > 0, std::string("the connection closed or went silent (") + (n == 0 ? "EOF" : std::strerror(errno)) + ")");
  return std::string(chunk, static_cast<std::size_t>(n));
}

http_reply raw_connection::get(const std::string& target, const std::string& header_lines) {
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header_lines + "\r\n";
  require(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()),
          "send failed");
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) buffer_ += read_some();
  http_reply reply;
  require(parse_head(buffer_.substr(0, head_end), reply), "no status line: " + buffer_.substr(0, head_end));
  buffer_.erase(0, head_end + 4);
  if (lower_case(reply.header("transfer-encoding")).find("chunked") != std::string::npos) {
    for (;;) {
      std::size_t line_end;
      while ((line_end = buffer_.find("\r\n")) == std::string::npos) buffer_ += read_some();
      const std::size_t size = std::stoul(buffer_.substr(0, line_end), nullptr, 16);
      while (buffer_.size() < line_end + 2 + size + 2) buffer_ += read_some();
      reply.body += buffer_.substr(line_end + 2, size);
      buffer_.erase(0, line_end + 2 + size + 2);
      if (size == 0) break;  // no trailers from our peers
    }
  } else {
    const std::string length = reply.header("content-length");
    require(!length.empty(), "response without Content-Length or chunked framing");
    const std::size_t size = std::stoul(length);
    while (buffer_.size() < size) buffer_ += read_some();
    reply.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
  }
  return reply;
}

}  // namespace jtgw::test_support
