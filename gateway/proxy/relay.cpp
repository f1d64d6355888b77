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
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Jira's response headers are modest; a bigger header is a broken or hostile upstream.
constexpr std::uint32_t upstream_header_limit = 64 * 1024;
// A body up to this size that came whole with Jira's header joins the client's header
// text: one buffer, one send(2), where header and body apart take a sendmsg(2) and its
// iovec (and a 2 KB copy costs less than that).
constexpr std::uint64_t max_body_in_header = 4 * 1024;
// Interim responses (100 Continue, 103 Early Hints) skipped before the final one.
constexpr int max_interim_responses = 8;

bool is_timeout(const error_code& ec) { return ec == beast::error::timeout; }

// In user mode Jira's verdict on the stored credential: 401 always means it was refused.
// A 403 usually means "not allowed to see this" and passes through, except when Jira
// (Data Center's Seraph) says the login itself failed (CAPTCHA, repeated failures).
bool credential_refused(unsigned code, std::string_view seraph_login_reason) {
  if (code == static_cast<unsigned>(status::unauthorized)) return true;
  if (code != static_cast<unsigned>(status::forbidden)) return false;
  return seraph_login_reason.find("AUTHENTICATED_FAILED") != std::string_view::npos ||
         seraph_login_reason.find("AUTHENTICATION_DENIED") != std::string_view::npos;
}
constexpr std::string_view seraph_login_reason = "X-Seraph-LoginReason";

// The header and framing Beast's parser read, in the relay's one shape for a response
// header. Its bytes are consumed already (size 0).
void take_parsed_head(const bhttp::response_parser<bhttp::buffer_body>& parser, response_head& head) {
  head = head_of(parser.get().base());
  if (!parser.chunked()) head.content_length = parser.content_length();
  head.keep_alive = parser.keep_alive();
}

// Reads a response header into `head`. When `try_simple` and the header's first read
// holds it whole in its simple form (response_head.hpp), it is read there, its bytes left
// at the front of `buffer` (head.size; the views point into them). Otherwise `parser`
// reads it, as Beast's http::async_read_header does but without its composed-operation
// layers (each wraps the handler and tracks work on the executor at every read): this is
// the relay's hottest wait. `received` is set when any byte arrives (a reused connection
// that Jira closed delivers none: retried).
net::awaitable<error_code> read_response_header(http::any_stream& stream, beast::flat_buffer& buffer,
                                                bhttp::response_parser<bhttp::buffer_body>& parser,
                                                bool try_simple, response_head& head, bool& received) {
  for (;;) {
    if (buffer.size() != 0) {
      const std::string_view data(static_cast<const char*>(buffer.data().data()), buffer.size());
      // One try: a header that needs a second read is Beast's, whose parser does not
      // rescan what it has seen (a trickling upstream would make rescans quadratic).
      if (try_simple && scan_simple_response_head(data, upstream_header_limit, head) == head_scan::complete)
        co_return error_code{};
      try_simple = false;
      error_code ec;
      // Beast parses a header only once it is complete: until then put() consumes nothing.
      buffer.consume(parser.put(buffer.data(), ec));
      if (ec && ec != bhttp::error::need_more) co_return ec;
      if (parser.is_header_done()) {
        take_parsed_head(parser, head);
        co_return error_code{};
      }
    }
    // Sized like Beast's reads: the buffer's free room (the pool reserves upstream_read_size).
    const std::size_t room = std::clamp<std::size_t>(buffer.capacity() - buffer.size(), 512, upstream_read_size);
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(room), use_tuple);
    if (ec == net::error::eof) {
      // As Beast reports it: a header cut short, or nothing at all.
      if (!parser.got_some()) co_return bhttp::error::end_of_stream;
      parser.put_eof(ec);
      co_return ec ? ec : bhttp::error::partial_message;
    }
    if (ec) co_return ec;
    buffer.commit(n);
    received = true;
  }
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

  // A body, if any, streams through the client's parser, moved into a buffer_body parser
  // (it has read the header only, so the move is allowed). The header Jira gets is written
  // as text from ex.request() on each connection tried.
  std::optional<bhttp::request_parser<bhttp::buffer_body>> request_body;  // set iff a body
  const auto body_pending = [&] { return request_body && !request_body->is_done(); };
  if (!ex.parser().is_done()) {
    const bool continue_expected = beast::iequals(ex.request()[field::expect], "100-continue");
    request_body.emplace(std::move(ex.parser()));
    request_body->body_limit(limits.body_limit);
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
  // Transfer-Encoding is hop-by-hop: a chunked body is re-chunked upstream.
  const bool client_chunked = request_body && request_body->chunked();
  const forward_context forward{client_address,
                                ex.peer().tls,
                                ex.request_id(),
                                pool.host_header(),
                                &plan.credential,
                                plan.mode == upstream_auth_mode::service ? std::string_view(plan.forwarded_user)
                                                                         : std::string_view()};
  // The request body's buffer (only used when there is a body).
  detail::body_chunk request_chunk(request_body ? request_body->content_length() : boost::none);

  // Connect, send, await the response header. A reused keep-alive connection may have
  // been closed by Jira while idle; a bodiless request is then retried once on a fresh one.
  connection_ptr up;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> response_parser;
  response_head jira_head;  // the final response's header, however it was read
  clock::time_point sent_at;
  for (int attempt = 0;; ++attempt) {
    up = attempt == 0 ? pool.take_idle() : nullptr;
    if (!up) {
      auto acquired = co_await pool.connect_new();
      if (!acquired) {
        const auto kind = is_timeout(acquired.error()) ? relay_status::upstream_timeout
                                                       : relay_status::upstream_unreachable;
        co_return co_await answer(ex, client_version, kind, acquired.error(), body_pending());
      }
      up = std::move(*acquired);
    }
    write_upstream_request_header(up->head, ex.request(), pool.base_path(), plan.upstream_target, forward,
                                  client_chunked);
    sent_at = clock::now();
    // The header, then the client's body if there is one, streamed.
    detail::framed_output request_out({up->stream, config.response_timeout}, up->head, client_chunked);
    detail::pump_result sent;
    if (request_body)
      sent = co_await detail::relay_parsed<true>({ex.stream(), limits.read_timeout}, ex.buffer(),
                                                 *request_body, request_out, request_chunk);
    else if (!request_out.finish_now(sent.error))
      sent.error = co_await request_out.rest();
    ex.record().bytes_in = sent.body_bytes;
    if (request_body && request_body->is_done()) ex.body_read();
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
        bool received = false;
        // A HEAD response's Content-Length announces a body that does not follow: Beast's.
        failure = co_await read_response_header(up->stream, up->buffer, *response_parser, !head, jira_head,
                                                received);
        if (received) nothing_received = false;
        if (failure || jira_head.status / 100 != 1) break;
      }
    }
    if (!failure) break;
    const bool retry = attempt == 0 && up->reused && !request_body && nothing_received &&
                       !is_timeout(failure);
    if (retry) continue;
    const auto kind = is_timeout(failure) ? relay_status::upstream_timeout : relay_status::upstream_unreachable;
    co_return co_await answer(ex, client_version, kind, failure, body_pending());
  }
  ex.record().upstream_time = std::chrono::duration_cast<std::chrono::microseconds>(clock::now() - sent_at);

  const unsigned code = jira_head.status;
  if (plan.mode == upstream_auth_mode::user && credential_refused(code, jira_head.find(seraph_login_reason)))
    co_return co_await answer(ex, client_version, relay_status::credential_rejected, {}, false);

  // The response header for the client.
  const bool header_only = head || code / 100 == 1 || code == 204 || code == 304;
  // A known length (and no chunking) is relayed as bytes; anything else is parsed.
  const boost::optional<std::uint64_t> length = jira_head.content_length;
  bool keep_alive = ex.keep_alive();
  bool rechunk = false;
  if (!header_only && !length) {
    // Chunked or close-delimited upstream body: chunk it for HTTP/1.1 clients; an
    // HTTP/1.0 client learns the end from the connection closing.
    if (client_version >= 11)
      rechunk = true;
    else
      keep_alive = false;
  }
  if (!keep_alive) ex.close_after();
  const response_context client_framing{client_version, keep_alive, rechunk, ex.request_id(), plan.token_expires};
  write_client_response_header(up->head, jira_head, client_framing);
  up->buffer.consume(jira_head.size);  // the views into these bytes are done with
  ex.record().status = code;
  const bool body_in_header =
      !header_only && length && *length <= max_body_in_header && up->buffer.size() >= *length;
  if (body_in_header) {
    up->head.append(static_cast<const char*>(up->buffer.data().data()), static_cast<std::size_t>(*length));
    up->buffer.consume(static_cast<std::size_t>(*length));
  }

  detail::framed_output out({ex.stream(), limits.write_timeout}, up->head, rechunk);
  // When body bytes came with the header (a small JSON answer usually arrives whole), the
  // header goes out with them (or the first of them) in one write. Otherwise the header is
  // sent at once, so a client of a slow upstream learns the status before the body
  // trickles in.
  const bool complete = header_only || body_in_header;
  if (complete || up->buffer.size() == 0) {
    error_code header_error;
    if (!(complete ? out.finish_now(header_error) : out.write_now({}, header_error)))
      header_error = co_await out.rest();
    ex.record().bytes_out = out.written();
    if (header_error) {
      ex.close_after();
      co_return relay_outcome{relay_status::client_failed, header_error};
    }
  }
  if (!complete) {
    detail::body_chunk response_chunk(length);
    const detail::pump_side upstream_side{up->stream, config.response_timeout};
    detail::pump_result pumped;
    if (length)
      pumped = co_await detail::relay_length(upstream_side, up->buffer, *length, out, response_chunk);
    else
      pumped = co_await detail::relay_parsed<false>(upstream_side, up->buffer, *response_parser, out, response_chunk);
    ex.record().bytes_out = out.written();
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
  // The whole response is relayed. The pool keeps the connection only if nothing was left
  // over after the body (a broken or hostile upstream's extra bytes would start the next
  // response).
  if (jira_head.keep_alive) pool.release(std::move(up));
  co_return relay_outcome{relay_status::relayed, {}};
}

}  // namespace jtgw::proxy
