#pragma once
// One request/response exchange on a connection, as handed to a request_handler.
//
// The session has read the request header; the body, if any, is still on the wire (part
// of it may already sit in buffer()). A handler either reads the body whole with
// read_body() or streams it itself from stream() + buffer() through the parser, then
// writes exactly one response. Streaming handlers (the relay, the OData writer) use
// stream() directly; everything else uses write().
//
// A streaming handler reads the body through its own parser built from
// std::move(parser()) (e.g. request_parser<buffer_body>), with stream() and buffer();
// parser() carries only the parse state: the header itself lives in request(). When it
// has read the whole body it calls body_read(), otherwise the session closes the
// connection after the response rather than guess where the next request starts.
// A handler that writes its own response through stream() sets record().status and
// record().bytes_out, uses keep_alive() for the response's Connection header, and calls
// close_after() if it ends the response early or says Connection: close.
#include "gateway/http/any_stream.hpp"
#include "gateway/http/net.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace jtgw::http {

using request_header = beast::http::request_header<>;
using header_parser = beast::http::request_parser<beast::http::empty_body>;
using string_request = beast::http::request<beast::http::string_body>;
using string_response = beast::http::response<beast::http::string_body>;

struct peer_info {
  tcp::endpoint remote;
  bool tls = false;
  // remote's address as text, made once per connection: the access log, lockout and
  // X-Forwarded-For want it on every request (inet_ntop formats through sprintf).
  std::string address;
};

// Limits and deadlines of one listener; every read and write is bounded by them.
struct server_limits {
  std::uint32_t header_limit = 16 * 1024;
  std::uint64_t body_limit = 1024 * 1024;  // request bodies: jtgw is read-only
  std::chrono::milliseconds handshake_timeout{10'000};
  std::chrono::milliseconds read_timeout{30'000};   // one request header or body
  std::chrono::milliseconds write_timeout{60'000};  // one write step of a response
  std::chrono::milliseconds idle_timeout{60'000};   // keep-alive wait for the next request
  std::uint32_t max_requests_per_connection = 10'000;
};

// What one request did, for the access log and metrics. Handlers fill in what they know.
struct exchange_record {
  std::string route;            // a fixed label ("rest", "odata", "healthz", …), never a path
  std::string user;             // authenticated user, empty if none
  std::string token_id;         // id of the token used, never the token
  unsigned status = 0;
  std::uint64_t bytes_in = 0;   // request body bytes
  std::uint64_t bytes_out = 0;  // response bytes including headers
  std::chrono::microseconds upstream_time{0};
};

class exchange {
 public:
  virtual ~exchange() = default;

  virtual const request_header& request() const noexcept = 0;
  virtual header_parser& parser() noexcept = 0;
  virtual any_stream& stream() noexcept = 0;
  virtual beast::flat_buffer& buffer() noexcept = 0;
  virtual const peer_info& peer() const noexcept = 0;
  virtual const server_limits& limits() const noexcept = 0;
  // The request id: the client's X-Request-Id when sane, else generated.
  virtual const std::string& request_id() const noexcept = 0;
  virtual exchange_record& record() noexcept = 0;

  // Reads the whole request body (bounded by limits().body_limit: too large → error
  // beast::http::error::body_limit). Safe to call once; later calls return "".
  virtual net::awaitable<boost::system::result<std::string>> read_body() = 0;

  // Writes a complete response (keep-alive decided by the request and by
  // close_after()), records status and bytes. Returns the write's error.
  virtual net::awaitable<error_code> write(string_response& response) = 0;

  // The connection closes after this response (a streamed body ended early, an unread
  // request body, a protocol error).
  virtual void close_after() noexcept = 0;
  virtual bool closing() const noexcept = 0;

  // Whether the response may keep the connection open: the request asked for it, nothing
  // called close_after(), the connection has requests left, the server is not draining,
  // and no unread request body is too large to skip.
  virtual bool keep_alive() const noexcept = 0;
  // A streaming handler read the whole request body itself through parser().
  virtual void body_read() noexcept = 0;
};

class request_handler {
 public:
  virtual ~request_handler() = default;
  // Answers one request: writes exactly one response (or closes the connection).
  virtual net::awaitable<void> handle(exchange& ex) = 0;
};

}  // namespace jtgw::http
