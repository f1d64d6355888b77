#pragma once
// Moving one message body across the relay, in either direction, through one bounded
// chunk: the output side writes jtgw's header text, then the body in the framing the
// relay chose (raw or re-chunked), one write per step. Two ways in: a known length is
// copied as bytes (no parsing; the common small JSON answer goes out straight from the
// read buffer it arrived in), anything else goes through a Beast buffer_body parser
// (chunked, close-delimited, and request bodies, whose size the parser limits).
// Included only by relay.cpp, which instantiates it.
#include "gateway/http/any_stream.hpp"
#include "gateway/http/net.hpp"
#include "gateway/proxy/relay.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace jtgw::proxy::detail {

// One side of a pump: a stream and the deadline for each operation on it.
struct pump_side {
  http::any_stream& stream;
  std::chrono::milliseconds timeout;
};

struct pump_result {
  error_code error;         // first failure, if any
  bool reading = false;     // the failure was on the input side
  std::uint64_t body_bytes = 0;  // body bytes read from the input (the output counts what it wrote)
};

// A body's read buffer, allocated on first use and sized to the body when its length is
// known and smaller than relay_chunk_size (a 2 KB answer gets 2 KB, not 64 KiB of memory
// per request in flight). A body that arrived with its header needs none.
class body_chunk {
 public:
  explicit body_chunk(boost::optional<std::uint64_t> length) : length_(length) {}
  std::span<char> get() {
    if (!storage_) {
      size_ = length_ ? static_cast<std::size_t>(std::clamp<std::uint64_t>(*length_, 1, relay_chunk_size))
                      : relay_chunk_size;
      // Every byte is written before it is read: no need to zero it.
      storage_ = std::make_unique_for_overwrite<char[]>(size_);
    }
    return {storage_.get(), size_};
  }

 private:
  boost::optional<std::uint64_t> length_;
  std::unique_ptr<char[]> storage_;
  std::size_t size_ = 0;
};

// The output of one message: the header text until it is written, then body pieces in
// the chosen framing. The header text must outlive the output.
//
// Each step (a piece, or the end) is offered to the socket at once (write_now /
// finish_now): on plain TCP with room in the send buffer, the usual case, it completes
// there, with no coroutine and no trip through the scheduler. Only what the socket does
// not take is written asynchronously (rest()), under the output's deadline.
class framed_output {
 public:
  framed_output(pump_side out, std::string_view header, bool chunked) noexcept
      : out_(out), header_(header), chunked_(chunked) {}
  // pending_ points into pieces_.
  framed_output(const framed_output&) = delete;
  framed_output& operator=(const framed_output&) = delete;

  // Starts writing `data` as the next piece of the body (a chunk when chunked), preceded
  // by the header if it is still pending; empty data writes just a pending header.
  // True: the step is done and `ec` says how. False: the caller must co_await rest()
  // next, and `data` must stay valid until then.
  bool write_now(std::string_view data, error_code& ec) { return start(data, false, ec); }
  // The same for the end of the body: the last chunk when chunked, and the header if
  // still pending.
  bool finish_now(error_code& ec) { return start({}, true, ec); }
  // Writes what write_now or finish_now left.
  net::awaitable<error_code> rest() {
    out_.stream.tcp().expires_after(out_.timeout);
    while (!pending_.empty()) {
      auto [ec, n] = co_await out_.stream.async_write_some(pending_, net::as_tuple(net::use_awaitable));
      wrote(n);
      if (ec) co_return ec;
    }
    header_ = {};
    co_return error_code{};
  }

  std::uint64_t written() const noexcept { return written_; }

 private:
  static constexpr std::string_view crlf = "\r\n";
  static constexpr std::string_view last_chunk = "0\r\n\r\n";

  static std::size_t chunk_size_line(char (&line)[24], std::size_t size) {
    static constexpr char digits[] = "0123456789abcdef";
    char reversed[16];
    std::size_t n = 0;
    do {
      reversed[n++] = digits[size % 16];
      size /= 16;
    } while (size != 0);
    for (std::size_t i = 0; i < n; ++i) line[i] = reversed[n - 1 - i];
    line[n] = '\r';
    line[n + 1] = '\n';
    return n + 2;
  }

  // Gathers what the step writes, then offers it to the socket.
  bool start(std::string_view data, bool last, error_code& ec) {
    std::size_t count = 0;
    if (!header_.empty()) pieces_[count++] = net::buffer(header_);
    if (!data.empty()) {
      if (chunked_) pieces_[count++] = net::buffer(size_line_, chunk_size_line(size_line_, data.size()));
      pieces_[count++] = net::buffer(data);
      if (chunked_) pieces_[count++] = net::buffer(crlf);
    }
    if (last && chunked_) pieces_[count++] = net::buffer(last_chunk);
    pending_ = std::span(pieces_.data(), count);
    ec = {};
    if (!pending_.empty()) {
      wrote(out_.stream.write_some_now(pending_, ec));
      if (ec == net::error::would_block) ec = {};
      if (ec) return true;
      if (!pending_.empty()) return false;
    }
    header_ = {};
    return true;
  }

  // Counts n bytes written and drops them from the front of pending_.
  void wrote(std::size_t n) noexcept {
    written_ += n;
    while (!pending_.empty() && n >= pending_.front().size()) {
      n -= pending_.front().size();
      pending_ = pending_.subspan(1);
    }
    if (n != 0) pending_.front() += n;
  }

  pump_side out_;
  std::string_view header_;
  bool chunked_;
  std::uint64_t written_ = 0;
  std::array<net::const_buffer, 5> pieces_;  // the current step's buffers
  std::span<net::const_buffer> pending_;     // what of them is still to write
  char size_line_[24];                        // the current chunk's size line
};

// Relays exactly `length` body bytes, then ends the output: bytes already in in_buffer
// are written from there (no copy), the rest is read from `in` into `chunk`. The input
// ending early is a reading error (beast::http::error::partial_message).
inline net::awaitable<pump_result> relay_length(pump_side in, beast::flat_buffer& in_buffer, std::uint64_t length,
                                                framed_output& out, body_chunk& chunk) {
  pump_result result;
  for (std::uint64_t remaining = length; remaining != 0;) {
    const bool buffered = in_buffer.size() != 0;
    std::string_view piece;
    if (buffered) {
      piece = {static_cast<const char*>(in_buffer.data().data()),
               static_cast<std::size_t>(std::min<std::uint64_t>(remaining, in_buffer.size()))};
    } else {
      const auto space = chunk.get();
      in.stream.tcp().expires_after(in.timeout);
      auto [read_error, n] = co_await in.stream.async_read_some(
          net::buffer(space.data(), static_cast<std::size_t>(std::min<std::uint64_t>(space.size(), remaining))),
          net::as_tuple(net::use_awaitable));
      if (read_error) {
        result.error = read_error == net::error::eof ? beast::http::error::partial_message : read_error;
        result.reading = true;
        co_return result;
      }
      piece = {space.data(), n};
    }
    result.body_bytes += piece.size();
    remaining -= piece.size();
    if (!out.write_now(piece, result.error)) result.error = co_await out.rest();
    if (buffered) in_buffer.consume(piece.size());
    if (result.error) co_return result;
  }
  // Usually the header and body are out already: finish_now has nothing to write.
  if (!out.finish_now(result.error)) result.error = co_await out.rest();
  co_return result;
}

// Relays the rest of a body as `parser` decodes it, then ends the output. The parser has
// read the header; its body limit applies. Postcondition on success: parser.is_done().
template <bool is_request>
net::awaitable<pump_result> relay_parsed(pump_side in, beast::flat_buffer& in_buffer,
                                         beast::http::parser<is_request, beast::http::buffer_body>& parser,
                                         framed_output& out, body_chunk& chunk) {
  pump_result result;
  auto& body = parser.get().body();
  while (!parser.is_done()) {
    const auto space = chunk.get();
    body.data = space.data();
    body.size = space.size();
    in.stream.tcp().expires_after(in.timeout);
    auto [read_error, ignored] =
        co_await beast::http::async_read(in.stream, in_buffer, parser, net::as_tuple(net::use_awaitable));
    (void)ignored;
    // need_buffer only means "the chunk is full": the normal end of one step.
    if (read_error && read_error != beast::http::error::need_buffer) {
      result.error = read_error;
      result.reading = true;
      co_return result;
    }
    const std::size_t filled = space.size() - body.size;
    result.body_bytes += filled;
    if (filled != 0 && !out.write_now(std::string_view(space.data(), filled), result.error))
      result.error = co_await out.rest();
    if (result.error) co_return result;
  }
  if (!out.finish_now(result.error)) result.error = co_await out.rest();
  co_return result;
}

}  // namespace jtgw::proxy::detail
