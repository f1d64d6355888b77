#include "gateway/app/readiness.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/url/parse.hpp>

namespace jtgw::app {

namespace {
constexpr net::as_tuple_t<net::use_awaitable_t<>> use_tuple{};
}  // namespace

readiness_probe::readiness_probe(storage::token_store& store, std::string base_url,
                                 std::chrono::milliseconds connect_timeout,
                                 std::chrono::milliseconds cache_for)
    : store_(store), connect_timeout_(connect_timeout), cache_for_(cache_for) {
  // The config has validated the URL; a failure here leaves host_ empty (never ready).
  if (auto url = boost::urls::parse_absolute_uri(base_url)) {
    host_ = url->host_address();  // IPv6 without brackets, as the resolver wants it
    port_ = url->has_port() ? std::string(url->port())
                            : (url->scheme_id() == boost::urls::scheme::https ? "443" : "80");
  }
}

net::awaitable<readiness_report> readiness_probe::check() {
  readiness_report report;
  // A real read (the policy is kept in memory): any digest no token has; not found is healthy.
  const auto probe = store_.find_by_digest(storage::token_digest{});
  report.store_ok = probe || probe.error() == storage::store_error::not_found;

  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    if (have_cached_ && now - checked_at_ < cache_for_) {
      report.upstream_ok = cached_ok_;
      co_return report;
    }
  }
  report.upstream_ok = co_await connect_once();
  std::lock_guard lock(mutex_);
  have_cached_ = true;
  checked_at_ = std::chrono::steady_clock::now();
  cached_ok_ = report.upstream_ok;
  co_return report;
}

net::awaitable<bool> readiness_probe::connect_once() {
  if (host_.empty()) co_return false;
  auto executor = co_await net::this_coro::executor;
  tcp::resolver resolver(executor);
  beast::tcp_stream stream(executor);
  // The stream's timer bounds the connect; the resolve of a literal or /etc/hosts name
  // is immediate, and a slow DNS is itself a reason not to be ready.
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(host_, port_, use_tuple);
  if (resolve_ec) co_return false;
  stream.expires_after(connect_timeout_);
  auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, use_tuple);
  error_code ignored;
  stream.socket().close(ignored);
  co_return !connect_ec;
}

}  // namespace jtgw::app
