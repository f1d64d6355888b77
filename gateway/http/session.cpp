// One connection: TLS handshake, then requests one at a time until the connection
// closes. This is the translation unit that instantiates Beast's parser and serializer
// templates for the whole server; everything else talks to it through `exchange`.
#include "gateway/http/access_log.hpp"
#include "gateway/http/error_response.hpp"
#include "gateway/http/io_errors.hpp"
#include "gateway/http/request_checks.hpp"
#include "gateway/http/request_id.hpp"
#include "gateway/http/server_state.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <charconv>
#include <optional>

namespace jtgw::http {
namespace {

constexpr net::as_tuple_t<net::use_awaitable_t<>> use_tuple{};

// Bytes asked of the socket per read while collecting a request header.
constexpr std::size_t read_chunk = 8 * 1024;
// An unread request body up to this size is skipped so the connection can serve the next
// request; a larger or unknown-length one closes the connection instead (cheaper).
constexpr std::uint64_t max_skipped_body = 64 * 1024;
// After the last response: how long and how much we read from a client that keeps
// sending, so unread data does not make the kernel reset the connection and destroy our
// last response (e.g. a 400 for a smuggling attempt) before the client has read it.
constexpr std::chrono::milliseconds linger_timeout{1'000};
constexpr std::size_t linger_bytes = 64 * 1024;

constexpr std::string_view request_id_field = "X-Request-Id";

enum class next_step { keep_going, close_gracefully, close_now };

class session_exchange final : public exchange {
 public:
  session_exchange(server_state& state, any_stream& stream, beast::flat_buffer& buffer,
                   header_parser& parser, request_header& header, const peer_info& peer,
                   const std::string& request_id, bool last_request)
      : state_(state),
        stream_(stream),
        buffer_(buffer),
        parser_(parser),
        header_(header),
        peer_(peer),
        request_id_(request_id),
        // Beast's keep_alive() requires a parsed header; a rejected one is answered and closed.
        client_keep_alive_(parser.is_header_done() && parser.keep_alive()),
        last_request_(last_request),
        body_complete_(parser.is_done()) {}

  const request_header& request() const noexcept override { return header_; }
  header_parser& parser() noexcept override { return parser_; }
  any_stream& stream() noexcept override { return stream_; }
  beast::flat_buffer& buffer() noexcept override { return buffer_; }
  const peer_info& peer() const noexcept override { return peer_; }
  const server_limits& limits() const noexcept override { return state_.limits; }
  const std::string& request_id() const noexcept override { return request_id_; }
  exchange_record& record() noexcept override { return record_; }
  void close_after() noexcept override { closing_ = true; }
  bool closing() const noexcept override { return closing_; }
  void body_read() noexcept override { body_complete_ = true; }

  bool keep_alive() const noexcept override {
    return client_keep_alive_ && !closing_ && !last_request_ &&
           !state_.draining.load(std::memory_order_relaxed) && !unread_body_too_large();
  }

  net::awaitable<boost::system::result<std::string>> read_body() override {
    if (body_taken_) co_return std::string{};
    body_taken_ = true;
    if (body_complete_) co_return std::string{};
    if (expects_continue()) {
      // The client waits for this before sending the body (curl does for large bodies).
      static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
      stream_.tcp().expires_after(state_.limits.write_timeout);
      auto [ec, n] = co_await net::async_write(stream_, net::buffer(continue_line), use_tuple);
      if (ec) {
        closing_ = true;
        co_return ec;
      }
    }
    beast::http::request_parser<beast::http::string_body> body_parser(std::move(parser_));
    body_parser.body_limit(state_.limits.body_limit);
    stream_.tcp().expires_after(state_.limits.read_timeout);
    auto [ec, n] = co_await beast::http::async_read(stream_, buffer_, body_parser, use_tuple);
    if (ec) {
      // Framing is lost: whatever follows on the wire cannot be trusted as a request.
      closing_ = true;
      co_return ec;
    }
    body_complete_ = true;
    std::string body = std::move(body_parser.get().body());
    record_.bytes_in = body.size();
    co_return body;
  }

  net::awaitable<error_code> write(string_response& response) override {
    if (responded_) co_return net::error::already_started;  // one response per request
    responded_ = true;
    const bool keep = keep_alive();
    if (!keep) closing_ = true;
    response.keep_alive(keep);
    if (response.find(request_id_field) == response.end()) response.set(request_id_field, request_id_);
    response.prepare_payload();
    stream_.tcp().expires_after(state_.limits.write_timeout);
    error_code ec;
    std::size_t written = 0;
    if (header_.method() == beast::http::verb::head) {
      // HEAD: the header announces the GET body's length, but no body follows.
      beast::http::response_serializer<beast::http::string_body> serializer(response);
      std::tie(ec, written) = co_await beast::http::async_write_header(stream_, serializer, use_tuple);
    } else {
      std::tie(ec, written) = co_await beast::http::async_write(stream_, response, use_tuple);
    }
    record_.status = response.result_int();
    record_.bytes_out += written;
    if (ec) {
      closing_ = true;
      report_io_error("write response", ec, peer_.remote);
    }
    co_return ec;
  }

  bool responded() const noexcept { return responded_; }
  bool body_complete() const noexcept { return body_complete_; }

 private:
  bool expects_continue() const {
    return header_.version() >= 11 && beast::iequals(header_[beast::http::field::expect], "100-continue");
  }

  bool unread_body_too_large() const noexcept {
    if (body_complete_) return false;
    if (body_taken_) return true;  // a body read that failed: framing is lost
    // A client waiting for 100-continue never sends the body we would skip.
    if (expects_continue()) return true;
    const auto length = parser_.content_length();
    return !length || *length > max_skipped_body;
  }

  server_state& state_;
  any_stream& stream_;
  beast::flat_buffer& buffer_;
  header_parser& parser_;
  request_header& header_;
  const peer_info& peer_;
  const std::string& request_id_;  // the connection's, rewritten for each request
  exchange_record record_;
  bool client_keep_alive_;  // from the parser: Connection header and HTTP version
  bool last_request_;
  bool body_complete_;
  bool body_taken_ = false;
  bool responded_ = false;
  bool closing_ = false;
};

// Writes the access-log line and updates the server's metrics for one exchange.
void finish_exchange(server_state& state, session_exchange& ex, std::chrono::system_clock::time_point arrived,
                     std::chrono::steady_clock::time_point started) {
  const auto total = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  const exchange_record& rec = ex.record();
  access_entry entry;
  entry.time = arrived;
  entry.request_id = ex.request_id();
  entry.client = ex.peer().address;
  entry.method = ex.request().method_string();
  entry.target = ex.request().target();
  entry.record = &rec;
  entry.total = total;
  // Stamped with the arrival time we already have (the pattern prints the message only):
  // spdlog would read the clock again.
  state.access_log->log(arrived, spdlog::source_loc{}, spdlog::level::info, access_log_line(entry));

  const std::string_view route = rec.route.empty() ? std::string_view("none") : std::string_view(rec.route);
  char status[16];
  const auto status_end = std::to_chars(status, status + sizeof status, rec.status).ptr;
  state.instruments.requests.add({{"route", route}, {"status", std::string_view(status, status_end - status)}});
  state.instruments.duration.observe({{"route", route}}, static_cast<double>(total.count()) / 1e6);
  if (rec.bytes_in) state.instruments.bytes_in.add(rec.bytes_in);
  if (rec.bytes_out) state.instruments.bytes_out.add(rec.bytes_out);
}

// Answers a request the session refuses by itself, then closes.
net::awaitable<next_step> reject(session_exchange& ex, const request_rejection& rejection) {
  ex.close_after();
  ex.record().route = "rejected";
  auto response = json_error_response(rejection.status, rejection.code, rejection.message);
  const error_code ec = co_await ex.write(response);
  co_return ec ? next_step::close_now : next_step::close_gracefully;
}

// Skips a small unread request body so the next request on the connection can be read.
net::awaitable<bool> skip_body(server_state& state, any_stream& stream, beast::flat_buffer& buffer,
                               header_parser& parser) {
  beast::http::request_parser<beast::http::string_body> skipper(std::move(parser));
  skipper.body_limit(max_skipped_body);
  stream.tcp().expires_after(state.limits.read_timeout);
  auto [ec, n] = co_await beast::http::async_read(stream, buffer, skipper, use_tuple);
  co_return !ec;
}

// request_id: the connection's string for the id of the request being served (one
// string, so its capacity serves every request instead of an allocation each).
net::awaitable<next_step> serve_one(server_state& state, connection& conn, any_stream& stream,
                                    beast::flat_buffer& buffer, std::string& request_id,
                                    const peer_info& peer, bool first, bool last) {
  const server_limits& limits = state.limits;
  if (buffer.size() == 0) {
    // Draining: no new request is in flight here, so there is nothing to wait for.
    if (state.draining.load(std::memory_order_relaxed)) co_return next_step::close_gracefully;
    // Waiting for the next request is bounded by idle_timeout; once its first byte is
    // here, the whole header must arrive within read_timeout (slow-header clients).
    // drain() closes connections found idle; it sets `draining` before it looks.
    conn.idle = true;
    stream.tcp().expires_after(first ? limits.read_timeout : limits.idle_timeout);
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(read_chunk), use_tuple);
    conn.idle = false;
    if (ec) {
      // A timeout or close between requests is how keep-alive connections end.
      if (ec != beast::error::timeout) report_io_error("read request", ec, peer.remote);
      co_return next_step::close_now;
    }
    buffer.commit(n);
  }
  const auto arrived = std::chrono::system_clock::now();
  const auto started = std::chrono::steady_clock::now();
  stream.tcp().expires_after(limits.read_timeout);

  header_parser parser;
  parser.header_limit(limits.header_limit);
  parser.body_limit(limits.body_limit);
  request_header header;
  // Until the header parses, exchanges carry an empty header and a generated id.
  auto rejected = [&](const request_rejection& r) -> net::awaitable<next_step> {
    generate_request_id(request_id);
    session_exchange ex(state, stream, buffer, parser, header, peer, request_id, true);
    const auto step = co_await reject(ex, r);
    finish_exchange(state, ex, arrived, started);
    co_return step;
  };

  // Collect the header block ourselves (instead of http::async_read_header) so its raw
  // bytes can be checked for obs-fold, which Beast would silently unfold.
  std::size_t header_end = 0;
  std::size_t scanned = 0;
  for (;;) {
    const std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
    const std::string_view window = data.substr(0, limits.header_limit);
    const auto pos = window.find("\r\n\r\n", scanned > 3 ? scanned - 3 : 0);
    if (pos != std::string_view::npos) {
      header_end = pos + 4;
      break;
    }
    scanned = window.size();
    if (data.size() >= limits.header_limit)
      co_return co_await rejected(rejection_for_parse_error(beast::http::error::header_limit));
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(read_chunk), use_tuple);
    if (ec) {
      report_io_error("read request header", ec, peer.remote);
      co_return next_step::close_now;
    }
    buffer.commit(n);
  }
  const std::string_view block(static_cast<const char*>(buffer.data().data()), header_end);
  if (has_obs_fold(block))
    co_return co_await rejected({beast::http::status::bad_request, "bad_request",
                                 "folded header lines (obs-fold) are not accepted"});
  error_code ec;
  const std::size_t used = parser.put(net::buffer(block.data(), block.size()), ec);
  if (!ec && (!parser.is_header_done() || used != header_end)) ec = beast::http::error::bad_version;
  if (ec) co_return co_await rejected(rejection_for_parse_error(ec));
  buffer.consume(header_end);
  // The header moves out of the parser; the parser keeps the framing state for the body.
  header = std::move(parser.release().base());

  choose_request_id(header[request_id_field], request_id);
  session_exchange ex(state, stream, buffer, parser, header, peer, request_id, last);
  if (auto rejection = check_request_header(header)) {
    const auto step = co_await reject(ex, *rejection);
    finish_exchange(state, ex, arrived, started);
    co_return step;
  }

  try {
    co_await state.handler->handle(ex);
  } catch (const std::exception& e) {
    // Handlers return errors as values; an exception is a bug, and it must not take the
    // process down or leave the connection in an unknown state.
    spdlog::error("request handler threw for request {}: {}", ex.request_id(), e.what());
    ex.close_after();
  }
  if (!ex.responded() && ex.record().status == 0 && !ex.closing()) {
    ex.close_after();
    auto response = json_error_response(beast::http::status::internal_server_error, "internal_error",
                                        "the server did not produce a response", header.version());
    co_await ex.write(response);
  }
  if (!ex.closing() && !ex.body_complete() && !co_await skip_body(state, stream, buffer, parser))
    ex.close_after();
  finish_exchange(state, ex, arrived, started);
  co_return ex.closing() ? next_step::close_gracefully : next_step::keep_going;
}

// Ends the connection. Graceful: TLS close_notify, or a TCP half-close followed by a
// bounded read of whatever the client still sends (see linger_timeout).
net::awaitable<void> close_connection(any_stream& stream, bool graceful) {
  if (graceful) {
    stream.tcp().expires_after(linger_timeout);
    if (stream.is_tls()) {
      co_await stream.async_shutdown(use_tuple);
    } else {
      error_code ec;
      stream.tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
      std::array<char, 4096> sink;
      for (std::size_t total = 0; !ec && total < linger_bytes;) {
        auto [read_ec, n] = co_await stream.async_read_some(net::buffer(sink), use_tuple);
        ec = read_ec;
        total += n;
      }
    }
  }
  stream.tcp().close();
}

// Keeps a connection registered with the server (for drain and the open gauge).
class registration {
 public:
  registration(server_state& state, std::shared_ptr<connection> conn)
      : state_(state), conn_(std::move(conn)), id_(state_.add(conn_)) {}
  ~registration() {
    conn_->stream = nullptr;
    state_.remove(id_);
  }
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;

 private:
  server_state& state_;
  std::shared_ptr<connection> conn_;
  std::uint64_t id_;
};

}  // namespace

net::awaitable<void> run_session(std::shared_ptr<server_state> state, std::shared_ptr<connection> conn,
                                 tcp::socket socket, std::shared_ptr<net::ssl::context> tls) {
  // A forced close (drain timeout) cancels what the coroutine awaits; operations then
  // report operation_aborted as values like any other error instead of throwing.
  co_await net::this_coro::throw_if_cancelled(false);
  registration registered(*state, conn);
  error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  const peer_info peer{remote, tls != nullptr, remote.address().to_string()};
  state->instruments.connections.add({{"tls", tls ? "true" : "false"}});

  std::optional<any_stream> holder;
  if (tls)
    holder.emplace(any_stream::tls_stream(deadline_stream(std::move(socket)), *tls));
  else
    holder.emplace(any_stream::plain_stream(deadline_stream(std::move(socket))));
  any_stream& stream = *holder;
  conn->stream = &stream;

  if (tls) {
    stream.tcp().expires_after(state->limits.handshake_timeout);
    auto [handshake_ec] = co_await stream.async_handshake(net::ssl::stream_base::server, use_tuple);
    if (handshake_ec) {
      report_io_error("tls handshake", handshake_ec, peer.remote);
      stream.tcp().close();
      co_return;
    }
  }

  beast::flat_buffer buffer;
  std::string request_id;
  const std::uint32_t max_requests = std::max<std::uint32_t>(1, state->limits.max_requests_per_connection);
  next_step step = next_step::keep_going;
  for (std::uint32_t n = 0; n < max_requests && step == next_step::keep_going; ++n)
    step = co_await serve_one(*state, *conn, stream, buffer, request_id, peer, n == 0, n + 1 == max_requests);
  co_await close_connection(stream, step == next_step::close_gracefully);
}

}  // namespace jtgw::http
