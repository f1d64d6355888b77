#pragma once
// jtgw's request handler: routes each request and answers it.
//
//   /rest/api/2/…, /rest/api/3/…, /rest/agile/1.0/…  → request policy, Authenticator on
//        every request (nothing cached: a revoked token fails on the next request, on the
//        same keep-alive connection too), then the streaming relay as the user
//   /healthz → 200 while the process serves
//   /readyz  → 200 when the store answers and the upstream accepts connections, else 503
//   /metrics → Prometheus text
//   /, /assets/…, /api/… → the token portal (gateway/portal), when configured
//   anything else → 404 {"error":"not_found",…}
// Absolute-form targets and CONNECT go through the request policy too (→ 400).
#include "auth/authenticator.hpp"
#include "gateway/app/readiness.hpp"
#include "gateway/app/upstream_identity.hpp"
#include "gateway/http/exchange.hpp"
#include "gateway/http/metrics.hpp"
#include "gateway/proxy/upstream_pool.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <variant>
#include <vector>

namespace jtgw::odata {
class odata_service;
}
namespace jtgw::portal {
class portal_service;
}

namespace jtgw::app {

// The metric families the app adds to httpcore's (requests, connections, bytes).
struct app_instruments {
  explicit app_instruments(http::metrics_registry& registry);
  http::counter_family& auth_outcomes;      // by reason: ok or a denial code
  http::histogram_family& upstream_seconds;  // request sent → response header, relayed requests
  http::counter_family& relay_outcomes;     // by outcome: relayed, upstream_unreachable, …
  http::counter_family& relayed_bytes;      // by direction: to_upstream, to_client
  // The series every relayed request updates, found once (they are rendered from the
  // start, at 0): no label lookup or lock per request.
  http::counter_series auth_ok;
  http::histogram_series upstream_latency;
  http::counter_series bytes_to_upstream;
  http::counter_series bytes_to_client;
  std::vector<http::counter_series> outcomes;  // indexed by proxy::relay_status
};

struct router_parts {
  auth::authenticator& authenticator;
  identity_builder identities;
  proxy::upstream_pool& pool;
  readiness_probe& readiness;
  http::metrics_registry& metrics;
  odata::odata_service* odata = nullptr;  // /odata; nullptr: not served
  portal::portal_service* portal = nullptr;  // /, /assets/, /api/ (token portal); nullptr: not served
};

class router final : public http::request_handler {
 public:
  explicit router(router_parts parts);

  // Picks the route and returns its coroutine: a plain function, so the dispatch costs no
  // coroutine frame of its own.
  net::awaitable<void> handle(http::exchange& ex) override;

  // While draining, /readyz answers 503 so load balancers stop sending traffic.
  void set_draining() noexcept { draining_.store(true); }

 private:
  // An authenticated caller, or the response that refuses the request (not yet sent).
  // A plain function, not a coroutine: only the refusal needs a write, and the caller
  // awaits it (one coroutine frame less per request).
  struct authenticated {
    auth::principal who;  // its user and token_id moved to ex.record()
    upstream_identity identity;
  };
  std::variant<authenticated, http::string_response> authenticate(http::exchange& ex, bool odata_errors);
  net::awaitable<void> handle_rest(http::exchange& ex);
  // /healthz, /readyz, /metrics and 404.
  net::awaitable<void> handle_own(http::exchange& ex);
  net::awaitable<void> handle_odata(http::exchange& ex);
  net::awaitable<void> handle_readyz(http::exchange& ex);

  router_parts parts_;
  app_instruments instruments_;
  std::atomic<bool> draining_{false};
};

}  // namespace jtgw::app
