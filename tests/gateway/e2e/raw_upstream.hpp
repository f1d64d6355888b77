#pragma once
// A misbehaving upstream for the fault tests: what no real Jira does on purpose.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace jtgw::e2e {

// An HTTP/1.1 upstream on 127.0.0.1 port 0, one thread per connection:
//   stall: reads the request and never answers (until destroyed);
//   slow_stream: answers 200 with Content-Length `stream_bytes`, sent in 64 KiB pieces
//                `piece_delay` apart;
//   canned: answers with the given bytes as they are (a wrongly framed response, say),
//           then keeps the connection open without reading (until destroyed).
class raw_upstream {
 public:
  enum class mode { stall, slow_stream, canned };
  explicit raw_upstream(mode m, std::uint64_t stream_bytes = 0,
                        std::chrono::milliseconds piece_delay = std::chrono::milliseconds(0));
  // mode::canned with `response`.
  explicit raw_upstream(std::string response);
  ~raw_upstream();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // True once a response header and the first piece are on the wire.
  bool streaming() const { return streaming_.load(); }
  // Request headers read so far: one per connection (a connection carries one request).
  int requests() const { return requests_.load(); }

 private:
  void listen();
  void serve(int fd);
  mode mode_;
  std::string canned_response_;
  std::uint64_t stream_bytes_;
  std::chrono::milliseconds piece_delay_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> streaming_{false};
  std::atomic<int> requests_{0};
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::vector<int> fds_;
};

}  // namespace jtgw::e2e
