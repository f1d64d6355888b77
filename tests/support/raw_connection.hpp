#pragma once
// One keep-alive HTTP/1.1 connection to 127.0.0.1, blocking I/O with a receive timeout
// (a hang guard, not a timing assertion): what a client that reuses its connection sees.
#include <cstdint>
#include <string>

#include "tests/support/http_reply.hpp"

namespace jtgw::test_support {

class raw_connection {
 public:
  // Connects (from `bind_address` if given); throws std::runtime_error when it cannot.
  explicit raw_connection(std::uint16_t port, const std::string& bind_address = "");
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;
  // Sends one GET with these extra header lines ("Name: value\r\n"…) and reads one
  // response (Content-Length or chunked). Throws on a closed or silent socket.
  http_reply get(const std::string& target, const std::string& header_lines);

 private:
  std::string read_some();
  int fd_ = -1;
  std::string buffer_;
};

}  // namespace jtgw::test_support
