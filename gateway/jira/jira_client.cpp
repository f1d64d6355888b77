#include "gateway/jira/jira_client.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

namespace jtgw::jira {

namespace bhttp = beast::http;
namespace json = boost::json;
using boost::system::result;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

namespace {

// Jira's response headers are modest; a bigger header is a broken or hostile upstream.
constexpr std::uint32_t header_limit = 64 * 1024;

struct attempt {
  error_code error;
  bool reused = false;          // the connection came from the idle list
  bool received = false;        // any response byte arrived
  unsigned status = 0;
  std::string body;
  std::string retry_after;
  std::string seraph_reason;    // Data Center: X-Seraph-LoginReason
};

// One request on one connection: send, read the whole (bounded) response. A GET has an
// empty `body`; a POST sends `body` as JSON.
net::awaitable<attempt> exchange_once(proxy::upstream_pool& pool, bhttp::verb verb, const std::string& target,
                                      const std::string& body, const jira_identity& who, std::size_t body_limit,
                                      bool reuse) {
  attempt out;
  auto acquired = co_await pool.acquire(reuse);
  if (!acquired) {
    out.error = acquired.error();
    co_return out;
  }
  auto connection = std::move(*acquired);
  out.reused = connection->reused;

  bhttp::request<bhttp::string_body> request{verb, pool.base_path() + target, 11};
  request.set(bhttp::field::host, pool.host_header());
  request.set(bhttp::field::authorization, who.credential.authorization());
  request.set(bhttp::field::accept, "application/json");
  request.set(bhttp::field::user_agent, "jtgw");
  if (!who.request_id.empty()) request.set("X-Request-Id", who.request_id);
  if (!who.forwarded_user.empty()) request.set("X-Forwarded-User", who.forwarded_user);
  if (verb == bhttp::verb::post) {
    request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
  }
  request.keep_alive(true);
  request.prepare_payload();

  const auto timeout = pool.config().response_timeout;
  connection->stream.tcp().expires_after(timeout);
  auto [write_error, written] = co_await bhttp::async_write(connection->stream, request, use_tuple);
  (void)written;
  if (write_error) {
    out.error = write_error;
    co_return out;
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.header_limit(header_limit);
  parser.body_limit(body_limit);
  connection->stream.tcp().expires_after(timeout);
  // Beast applies the deadline per operation; a body read is one operation, so a slow
  // but steady Jira gets the whole response_timeout for the whole response.
  auto [read_error, read] = co_await bhttp::async_read(connection->stream, connection->buffer, parser, use_tuple);
  out.received = read > 0 || parser.got_some();
  if (read_error) {
    out.error = read_error;
    co_return out;
  }
  auto& response = parser.get();
  out.status = response.result_int();
  out.retry_after = std::string(response[bhttp::field::retry_after]);
  out.seraph_reason = std::string(response["X-Seraph-LoginReason"]);
  const bool keep = parser.keep_alive();
  out.body = std::move(response.body());
  if (keep) pool.release(std::move(connection));
  co_return out;
}

std::chrono::milliseconds jittered(std::chrono::milliseconds base) {
  // Full jitter in [base/2, base]: retries of many exports do not arrive in lockstep.
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_int_distribution<std::int64_t> pick(base.count() / 2, std::max<std::int64_t>(base.count(), 1));
  return std::chrono::milliseconds(pick(rng));
}

jira_failure transport_failure(const error_code& ec) {
  if (ec == net::error::operation_aborted) return {failure_kind::cancelled, 0, {}, "cancelled"};
  if (ec == beast::error::timeout) return {failure_kind::timeout, 0, {}, "Jira did not answer in time"};
  if (ec == bhttp::error::body_limit) return {failure_kind::too_large, 0, {}, "Jira's response exceeds the size limit"};
  return {failure_kind::unreachable, 0, {}, "Jira could not be reached: " + ec.message()};
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty() || value.size() > 64) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) {
    if (seconds < 0) return std::nullopt;
    return std::chrono::seconds(std::min<std::int64_t>(seconds, 86'400));
  }
  // An HTTP-date (RFC 9110 IMF-fixdate): "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const std::string text(value);
  const char* parsed = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (parsed == nullptr || *parsed != '\0') return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(::timegm(&tm));
  const auto delta = std::chrono::duration_cast<std::chrono::seconds>(at - now);
  return std::chrono::seconds(std::clamp<std::int64_t>(delta.count(), 0, 86'400));
}

std::string jira_error_text(std::string_view body) {
  json::error_code ec;
  const auto v = json::parse(json::string_view(body.data(), body.size()), ec);
  std::string out;
  if (!ec && v.is_object()) {
    const auto& o = v.get_object();
    if (const auto* messages = o.if_contains("errorMessages"); messages && messages->is_array())
      for (const auto& m : messages->get_array())
        if (m.is_string()) out.append(out.empty() ? "" : "; ").append(m.get_string());
    if (const auto* errors = o.if_contains("errors"); errors && errors->is_object())
      for (const auto& [key, m] : errors->get_object())
        if (m.is_string()) out.append(out.empty() ? "" : "; ").append(key).append(": ").append(m.get_string());
  }
  if (out.size() > 300) out.resize(300);
  return out;
}

jira_client::jira_client(proxy::upstream_pool& pool, retry_policy policy) : pool_(pool), policy_(policy) {}

net::awaitable<result<json::value, jira_failure>> jira_client::get_json(std::string target, const jira_identity& who,
                                                                        json::storage_ptr storage) {
  return exchange(bhttp::verb::get, std::move(target), {}, who, std::move(storage));
}

net::awaitable<result<json::value, jira_failure>> jira_client::post_json(std::string target, std::string body,
                                                                         const jira_identity& who) {
  return exchange(bhttp::verb::post, std::move(target), std::move(body), who, {});
}

net::awaitable<result<json::value, jira_failure>> jira_client::exchange(beast::http::verb verb, std::string target,
                                                                        std::string body, const jira_identity& who,
                                                                        json::storage_ptr storage) {
  // Our own request bodies are small (≤ 1000 ids); a bigger one is a bug, not Jira's fault.
  if (body.size() > policy_.max_request_bytes)
    co_return jira_failure{failure_kind::too_large, 0, {},
                           "the request to Jira exceeds the size limit (" + std::to_string(body.size()) + " bytes)"};
  auto backoff = policy_.first_backoff;
  for (int tries = 1;; ++tries) {
    auto got = co_await exchange_once(pool_, verb, target, body, who, policy_.max_body_bytes, true);
    // A kept-alive connection Jira closed while idle fails before any byte: once more, fresh.
    if (got.error && got.reused && !got.received && got.error != beast::error::timeout &&
        got.error != net::error::operation_aborted)
      got = co_await exchange_once(pool_, verb, target, body, who, policy_.max_body_bytes, false);
    if (got.error) co_return transport_failure(got.error);

    const unsigned status = got.status;
    if (status / 100 == 2) {
      json::error_code ec;
      auto value = json::parse(got.body, ec, storage);
      if (ec) co_return jira_failure{failure_kind::bad_json, status, {}, "Jira's response is not JSON: " + ec.message()};
      co_return std::move(value);
    }
    if (status == 429 || status == 503) {
      const auto retry_after = parse_retry_after(got.retry_after, std::chrono::system_clock::now());
      if (tries >= policy_.max_attempts) {
        const auto tell = std::max<std::chrono::seconds>(
            std::chrono::seconds(1),
            retry_after.value_or(std::chrono::duration_cast<std::chrono::seconds>(policy_.max_backoff)));
        co_return jira_failure{failure_kind::throttled, status, tell,
                               "Jira is " + std::string(status == 429 ? "rate limiting" : "unavailable") + " after " +
                                   std::to_string(tries) + " attempts"};
      }
      auto delay = jittered(backoff);
      if (retry_after) delay = std::min<std::chrono::milliseconds>(*retry_after, policy_.max_retry_after) + delay / 4;
      backoff = std::min(backoff * 2, policy_.max_backoff);
      spdlog::debug("jira {}: {} on {}; retry {} in {} ms", who.request_id, status, target.substr(0, target.find('?')),
                    tries, delay.count());
      net::steady_timer timer(co_await net::this_coro::executor, delay);
      auto [wait_error] = co_await timer.async_wait(use_tuple);
      if (wait_error) co_return transport_failure(wait_error);
      continue;
    }
    if (status == 401 || (status == 403 && (got.seraph_reason.find("AUTHENTICATED_FAILED") != std::string::npos ||
                                            got.seraph_reason.find("AUTHENTICATION_DENIED") != std::string::npos)))
      co_return jira_failure{failure_kind::credential_rejected, status, {}, "Jira rejected the credential"};
    auto text = jira_error_text(got.body);
    co_return jira_failure{status / 100 == 4 ? failure_kind::client_error : failure_kind::server_error, status, {},
                           "Jira answered " + std::to_string(status) + (text.empty() ? "" : ": " + text)};
  }
}

}  // namespace jtgw::jira
