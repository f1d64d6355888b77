#pragma once
// The heart of the relay, for either direction: read a body through a buffer_body parser
// into one fixed chunk, hand the same chunk to a serializer, repeat. The parser and the
// serializer share the message, so its body (data, size, more) is the hand-off point.
// Included only by relay.cpp, which instantiates it once per direction.
#include "gateway/http/any_stream.hpp"
#include "gateway/http/net.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdint>
#include <span>

namespace jtgw::proxy::detail {

// One side of a pump: a stream and the deadline for each operation on it.
struct pump_side {
  http::any_stream& stream;
  std::chrono::milliseconds timeout;
};

struct pump_result {
  error_code error;         // first failure, if any
  bool reading = false;     // the failure was on the input side
  std::uint64_t body_bytes = 0;     // body bytes read from the input
  std::uint64_t written_bytes = 0;  // bytes written to the output (with chunk framing)
};

// Streams the rest of the body. If the header was not written yet through `serializer`
// (async_write_header), it goes out in one write with the first chunk. Postcondition on success: parser.is_done() and
// serializer.is_done().
template <bool is_request>
net::awaitable<pump_result> pump_body(pump_side in, beast::flat_buffer& in_buffer,
                                      beast::http::parser<is_request, beast::http::buffer_body>& parser,
                                      pump_side out,
                                      beast::http::serializer<is_request, beast::http::buffer_body>& serializer,
                                      std::span<char> chunk) {
  constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
  pump_result result;
  auto& body = parser.get().body();
  do {
    if (!parser.is_done()) {
      body.data = chunk.data();
      body.size = chunk.size();
      in.stream.tcp().expires_after(in.timeout);
      auto [read_error, ignored] = co_await beast::http::async_read(in.stream, in_buffer, parser, use_tuple);
      (void)ignored;
      // need_buffer only means "the chunk is full": the normal end of one step.
      if (read_error && read_error != beast::http::error::need_buffer) {
        result.error = read_error;
        result.reading = true;
        co_return result;
      }
      const std::size_t filled = chunk.size() - body.size;
      result.body_bytes += filled;
      body.data = chunk.data();
      body.size = filled;
      body.more = !parser.is_done();
    } else {
      body.data = nullptr;
      body.size = 0;
      body.more = false;
    }
    out.stream.tcp().expires_after(out.timeout);
    auto [write_error, written] = co_await beast::http::async_write(out.stream, serializer, use_tuple);
    result.written_bytes += written;
    if (write_error && write_error != beast::http::error::need_buffer) {
      result.error = write_error;
      co_return result;
    }
  } while (!parser.is_done() || !serializer.is_done());
  co_return result;
}

}  // namespace jtgw::proxy::detail
