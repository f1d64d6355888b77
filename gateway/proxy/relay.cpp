#include "gateway/proxy/relay.hpp"

#include "gateway/http/error_response.hpp"
#include "gateway/proxy/body_pump.hpp"
#include "gateway/proxy/header_rewrite.hpp"

#include <boost/asio/write.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace jtgw::proxy {
namespace {

namespace bhttp = beast::http;
using bhttp::field;
using bhttp::status;
using clock = std::chrono::steady_clock;
using buffer_request = bhttp::request<bhttp::buffer_body>;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Jira's response headers are modest; a bigger header is a broken or hostile upstream.
constexpr std::uint32_t upstream_header_limit = 64 * 1024;
// Interim responses (100 Continue, 103 Early Hints) skipped before the final one.
constexpr int max_interim_responses = 8;

bool is_timeout(const error_code& ec) { return ec == beast::error::timeout; }

// In user mode Jira's verdict on the stored credential: 401 always means it was refused.
// A 403 usually means "not allowed to see this" and passes through, except when Jira
// (Data Center's Seraph) says the login itself failed (CAPTCHA, repeated failures).
bool credential_refused(const bhttp::response_header<>& response) {
  if (response.result() == status::unauthorized) return true;
  if (response.result() != status::forbidden) return false;
  const auto reason = response["X-Seraph-LoginReason"];
  return reason.find("AUTHENTICATED_FAILED") != std::string_view::npos ||
         reason.find("AUTHENTICATION_DENIED") != std::string_view::npos;
}

// One place answers every failure the relay reports before response bytes are out.
net::awaitable<relay_outcome> answer(http::exchange& ex, unsigned version, relay_status outcome_status,
                                     error_code cause, bool body_pending) {
  status code = status::bad_gateway;
  std::string_view error = "upstream_unreachable";
  std::string message;
  switch (outcome_status) {
    case relay_status::upstream_timeout:
      code = status::gateway_timeout;
      error = "upstream_timeout";
      message = "Jira did not answer in time; try again later";
      break;
    case relay_status::credential_rejected:
      code = status::unauthorized;
      error = "jira_credential_rejected";
      message = "Jira rejected the Jira credential stored with this token. Sign in to jtgw again "
                "and create a new token.";
      break;
    case relay_status::client_body_rejected:
      code = cause == bhttp::error::body_limit ? status::payload_too_large : status::bad_request;
      error = cause == bhttp::error::body_limit ? "body_too_large" : "bad_request_body";
      message = cause == bhttp::error::body_limit ? "the request body is too large"
                                                   : "the request body is malformed";
      break;
    default:
      message = "Jira could not be reached: " + cause.message();
      break;
  }
  // Jira failing is worth a warning; a client's oversized body or a stale token is routine.
  const auto level = outcome_status == relay_status::upstream_unreachable || outcome_status == relay_status::upstream_timeout
                         ? spdlog::level::warn
                         : spdlog::level::info;
  spdlog::log(level, "relay {}: {} ({})", ex.request_id(), error, cause ? cause.message() : "upstream said so");
  // An unread request body would be parsed as the next request: close instead.
  if (body_pending) ex.close_after();
  auto response = http::json_error_response(code, error, message, version);
  if (code == status::unauthorized)
    response.set(field::www_authenticate, R"(Basic realm="jtgw", charset="UTF-8")");
  const error_code write_error = co_await ex.write(response);
  co_return relay_outcome{write_error ? relay_status::client_failed : outcome_status, cause};
}

// One direction's body buffer: sized to the body when its length is known and smaller than
// relay_chunk_size (a 2 KB answer gets 2 KB, not 64 KiB: freeing a 64 KiB block makes
// glibc consolidate its heap on every request).
class body_chunk {
 public:
  void allocate(boost::optional<std::uint64_t> length) {
    size_ = length ? static_cast<std::size_t>(std::clamp<std::uint64_t>(*length, 1, relay_chunk_size))
                   : relay_chunk_size;
    // Every byte is written before it is read: no need to zero it.
    storage_ = std::make_unique_for_overwrite<char[]>(size_);
  }
  std::span<char> span() const noexcept { return {storage_.get(), size_}; }

 private:
  std::unique_ptr<char[]> storage_;
  std::size_t size_ = 0;
};

// The request side: what goes to Jira, and the state of the client's body.
struct outgoing {
  std::optional<bhttp::request_parser<bhttp::buffer_body>> body_parser;  // set iff a body
  buffer_request bodiless;  // the message when there is no body
  buffer_request& message() { return body_parser ? body_parser->get() : bodiless; }
  bool body_pending() const { return body_parser && !body_parser->is_done(); }
};

// Sends the request header and streams the client's body to Jira.
// Returns the error and which side failed.
net::awaitable<detail::pump_result> send_request(http::exchange& ex, outgoing& request, upstream_connection& up,
                                                 std::chrono::milliseconds upstream_timeout, std::span<char> chunk) {
  auto& message = request.message();
  bhttp::request_serializer<bhttp::buffer_body> serializer(message);
  detail::pump_result result;
  up.stream.tcp().expires_after(upstream_timeout);
  if (!request.body_parser) {
    message.body().data = nullptr;
    message.body().size = 0;
    message.body().more = false;
    auto [ec, written] = co_await bhttp::async_write(up.stream, serializer, use_tuple);
    result.error = ec;
    result.written_bytes = written;
    co_return result;
  }
  auto [header_error, header_bytes] = co_await bhttp::async_write_header(up.stream, serializer, use_tuple);
  if (header_error) {
    result.error = header_error;
    co_return result;
  }
  result = co_await detail::pump_body<true>({ex.stream(), ex.limits().read_timeout}, ex.buffer(),
                                            *request.body_parser, {up.stream, upstream_timeout}, serializer,
                                            chunk);
  result.written_bytes += header_bytes;
  co_return result;
}

}  // namespace

std::string_view to_string(relay_status status) noexcept {
  switch (status) {
    case relay_status::relayed: return "relayed";
    case relay_status::credential_rejected: return "credential_rejected";
    case relay_status::upstream_unreachable: return "upstream_unreachable";
    case relay_status::upstream_timeout: return "upstream_timeout";
    case relay_status::client_body_rejected: return "client_body_rejected";
    case relay_status::client_failed: return "client_failed";
    case relay_status::broken_mid_response: return "broken_mid_response";
  }
  return "unknown";
}

net::awaitable<relay_outcome> relay(http::exchange& ex, const relay_request& plan, upstream_pool& pool) {
  const auto& limits = ex.limits();
  const auto& config = pool.config();
  const bool head = ex.request().method() == bhttp::verb::head;
  const unsigned client_version = ex.request().version();
  const std::string& client_address = ex.peer().address;

  // The request header for Jira. A body, if any, streams through the client's parser,
  // moved into a buffer_body parser (it has read the header only, so the move is allowed;
  // the header itself comes from ex.request(), the server may have released it already).
  outgoing request;
  if (ex.parser().is_done()) {
    request.bodiless.base() = ex.request();
  } else {
    const bool continue_expected = beast::iequals(ex.request()[field::expect], "100-continue");
    request.body_parser.emplace(std::move(ex.parser()));
    request.body_parser->body_limit(limits.body_limit);
    request.body_parser->get().base() = ex.request();
    if (continue_expected) {
      // The relay reads the body itself; tell the client to send it (Expect is dropped upstream).
      static constexpr std::string_view continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
      ex.stream().tcp().expires_after(limits.write_timeout);
      auto [ec, n] = co_await net::async_write(ex.stream(), net::buffer(continue_line), use_tuple);
      (void)n;
      if (ec) {
        ex.close_after();
        co_return relay_outcome{relay_status::client_failed, ec};
      }
    }
  }
  auto& message = request.message();
  // The rewrite drops Transfer-Encoding (hop-by-hop); a chunked body is re-chunked upstream.
  const bool client_chunked = request.body_parser && request.body_parser->chunked();
  message.target(pool.base_path() + plan.upstream_target);
  message.version(11);
  rewrite_request_header(message.base(), forward_context{client_address, ex.peer().tls, ex.request_id(),
                                                         pool.host_header(), &plan.credential,
                                                         plan.mode == upstream_auth_mode::service
                                                             ? std::string_view(plan.forwarded_user)
                                                             : std::string_view()});
  if (client_chunked) message.chunked(true);

  // The request body's buffer (only when there is a body).
  body_chunk request_chunk;
  if (request.body_parser) request_chunk.allocate(request.body_parser->content_length());

  // Connect, send, await the response header. A reused keep-alive connection may have
  // been closed by Jira while idle; a bodiless request is then retried once on a fresh one.
  connection_ptr up;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> response_parser;
  clock::time_point sent_at;
  for (int attempt = 0;; ++attempt) {
    auto acquired = co_await pool.acquire(attempt == 0);
    if (!acquired) {
      const auto kind = is_timeout(acquired.error()) ? relay_status::upstream_timeout
                                                     : relay_status::upstream_unreachable;
      co_return co_await answer(ex, client_version, kind, acquired.error(), request.body_pending());
    }
    up = std::move(*acquired);
    sent_at = clock::now();
    const auto sent = co_await send_request(ex, request, *up, config.response_timeout, request_chunk.span());
    ex.record().bytes_in = sent.body_bytes;
    if (request.body_parser && request.body_parser->is_done()) ex.body_read();
    if (sent.error && sent.reading) {
      // A malformed or oversized body gets an answer; a vanished or stalled client does not.
      const bool malformed = sent.error.category() == bhttp::make_error_code(bhttp::error::body_limit).category();
      ex.close_after();
      if (!malformed) co_return relay_outcome{relay_status::client_failed, sent.error};
      co_return co_await answer(ex, client_version, relay_status::client_body_rejected, sent.error, true);
    }
    error_code failure = sent.error;
    bool nothing_received = true;
    if (!failure) {
      // Skip interim 1xx responses; the final one is what the client gets.
      for (int interim = 0; interim <= max_interim_responses; ++interim) {
        response_parser.emplace();
        response_parser->header_limit(upstream_header_limit);
        response_parser->body_limit(boost::none);  // streamed: its size never reaches memory
        if (head) response_parser->skip(true);
        up->stream.tcp().expires_after(config.response_timeout);
        auto [ec, n] = co_await bhttp::async_read_header(up->stream, up->buffer, *response_parser, use_tuple);
        if (n > 0) nothing_received = false;
        failure = ec;
        if (ec || response_parser->get().result_int() / 100 != 1) break;
      }
    }
    if (!failure) break;
    const bool retry = attempt == 0 && up->reused && request.body_parser == std::nullopt && nothing_received &&
                       !is_timeout(failure);
    if (retry) continue;
    const auto kind = is_timeout(failure) ? relay_status::upstream_timeout : relay_status::upstream_unreachable;
    co_return co_await answer(ex, client_version, kind, failure, request.body_pending());
  }
  ex.record().upstream_time = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - sent_at);

  auto& response = response_parser->get();
  if (plan.mode == upstream_auth_mode::user && credential_refused(response.base()))
    co_return co_await answer(ex, client_version, relay_status::credential_rejected, {}, false);

  // The response header for the client.
  const unsigned code = response.result_int();
  const bool header_only = head || code / 100 == 1 || code == 204 || code == 304;
  const bool length_known = response.has_content_length();
  rewrite_response_header(response.base(), plan.token_expires);
  response.version(client_version);
  bool keep_alive = ex.keep_alive();
  if (!header_only && !length_known) {
    // Chunked or close-delimited upstream body: chunk it for HTTP/1.1 clients; an
    // HTTP/1.0 client learns the end from the connection closing.
    if (client_version >= 11)
      response.chunked(true);
    else
      keep_alive = false;
  }
  response.keep_alive(keep_alive);
  if (!keep_alive) ex.close_after();
  response.set("X-Request-Id", ex.request_id());
  ex.record().status = code;

  bhttp::response_serializer<bhttp::buffer_body> serializer(response);
  response.body().data = nullptr;
  response.body().size = 0;
  response.body().more = !header_only;
  // When body bytes came with the header (a small JSON answer usually arrives whole), the
  // header goes out with the first chunk in one write. Otherwise the header is sent at
  // once, so a client of a slow upstream learns the status before the body trickles in.
  if (header_only || up->buffer.size() == 0) {
    ex.stream().tcp().expires_after(limits.write_timeout);
    auto [header_error, header_bytes] = co_await bhttp::async_write_header(ex.stream(), serializer, use_tuple);
    ex.record().bytes_out = header_bytes;
    if (header_error) {
      ex.close_after();
      co_return relay_outcome{relay_status::client_failed, header_error};
    }
  }
  if (!header_only) {
    body_chunk response_chunk;
    response_chunk.allocate(response_parser->content_length());
    const auto pumped = co_await detail::pump_body<false>({up->stream, config.response_timeout}, up->buffer,
                                                          *response_parser, {ex.stream(), limits.write_timeout},
                                                          serializer, response_chunk.span());
    ex.record().bytes_out += pumped.written_bytes;
    if (pumped.error && pumped.reading && ex.record().bytes_out == 0) {
      // Nothing reached the client yet (the header waited for the first chunk): a 502.
      co_return co_await answer(ex, client_version, relay_status::upstream_unreachable, pumped.error, false);
    }
    if (pumped.error) {
      // Bytes are out: the only honest signal left is closing the connection.
      ex.close_after();
      if (pumped.reading) spdlog::warn("relay {}: upstream body failed: {}", ex.request_id(), pumped.error.message());
      co_return relay_outcome{pumped.reading ? relay_status::broken_mid_response : relay_status::client_failed,
                              pumped.error};
    }
  }
  if (response_parser->is_done() && response_parser->keep_alive()) pool.release(std::move(up));
  co_return relay_outcome{relay_status::relayed, {}};
}

}  // namespace jtgw::proxy
