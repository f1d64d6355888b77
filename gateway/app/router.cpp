#include "gateway/app/router.hpp"

#include "gateway/app/denial.hpp"
#include "gateway/http/access_log.hpp"
#include "gateway/http/error_response.hpp"
#include "gateway/odata/odata_service.hpp"
#include "gateway/portal/portal_service.hpp"
#include "gateway/proxy/relay.hpp"
#include "gateway/proxy/request_policy.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>

namespace jtgw::app {

namespace {

namespace bh = beast::http;

// Route labels for metrics and the access log: fixed words, never paths.
constexpr std::string_view route_rest = "rest";
constexpr std::string_view route_odata = "odata";
constexpr std::string_view route_healthz = "healthz";
constexpr std::string_view route_readyz = "readyz";
constexpr std::string_view route_metrics = "metrics";
constexpr std::string_view route_not_found = "not_found";

bool is_rest_path(std::string_view path) {
  return std::any_of(std::begin(proxy::allowed_prefixes), std::end(proxy::allowed_prefixes),
                     [&](std::string_view prefix) { return path.starts_with(prefix); });
}

// Store failures can come in floods (a full disk fails every request): one line a
// second, with how many were swallowed, is enough to see and to alert on.
void log_store_failure(const auth::denial& denial) {
  static std::atomic<std::int64_t> last_logged_second{0};
  static std::atomic<std::uint64_t> suppressed{0};
  const auto second = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::steady_clock::now().time_since_epoch()).count();
  auto last = last_logged_second.load();
  if (second != last && last_logged_second.compare_exchange_strong(last, second)) {
    spdlog::error("token store failure: {} ({} similar suppressed)", denial.store_code.message(),
                  suppressed.exchange(0));
  } else {
    suppressed.fetch_add(1);
  }
}

auth::denial duplicate_authorization() {
  auth::denial d;
  d.reason = auth::denial_reason::malformed;
  d.message = "the request carries more than one Authorization header";
  return d;
}

std::optional<std::chrono::sys_seconds> token_expiry_header(const auth::principal& who) {
  if (!who.expires_at) return std::nullopt;
  return std::chrono::floor<std::chrono::seconds>(*who.expires_at);
}

// One series per relay outcome, indexed by the status's value.
std::vector<http::counter_series> outcome_series(http::counter_family& relay_outcomes) {
  std::vector<http::counter_series> series;
  for (auto s = 0; s <= static_cast<int>(proxy::relay_status::broken_mid_response); ++s)
    series.push_back(relay_outcomes.at({{"outcome", proxy::to_string(static_cast<proxy::relay_status>(s))}}));
  return series;
}

}  // namespace

app_instruments::app_instruments(http::metrics_registry& registry)
    : auth_outcomes(registry.counter("jtgw_auth_outcomes_total",
                                     "Authentication outcomes of /rest requests, by reason (ok or the denial code)")),
      upstream_seconds(registry.histogram("jtgw_upstream_seconds",
                                          "Time from sending a request to Jira to its response header")),
      relay_outcomes(registry.counter("jtgw_relay_outcomes_total", "Relayed requests by outcome")),
      relayed_bytes(registry.counter("jtgw_relayed_bytes_total",
                                     "Body bytes relayed, by direction (to_upstream, to_client)")),
      auth_ok(auth_outcomes.at({{"reason", "ok"}})),
      upstream_latency(upstream_seconds.at({})),
      bytes_to_upstream(relayed_bytes.at({{"direction", "to_upstream"}})),
      bytes_to_client(relayed_bytes.at({{"direction", "to_client"}})),
      outcomes(outcome_series(relay_outcomes)) {}

router::router(router_parts parts) : parts_(std::move(parts)), instruments_(parts_.metrics) {}

net::awaitable<void> router::handle(http::exchange& ex) {
  const auto& request = ex.request();
  const std::string_view target = request.target();
  const std::string_view path = http::path_without_query(target);

  // The REST prefixes, and whatever only the request policy may judge (CONNECT,
  // absolute-form, asterisk-form): it answers 400 for those.
  if (is_rest_path(path) || request.method() == bh::verb::connect || !target.starts_with('/'))
    return handle_rest(ex);
  if (parts_.odata != nullptr && odata::is_odata_path(path)) return handle_odata(ex);
  // The token portal: its page, assets and JSON API (sessions, not Basic tokens).
  if (parts_.portal != nullptr && portal::is_portal_path(path)) return parts_.portal->handle(ex);
  return handle_own(ex);
}

net::awaitable<void> router::handle_own(http::exchange& ex) {
  const auto& request = ex.request();
  const std::string_view path = http::path_without_query(request.target());
  const unsigned version = request.version();
  const bool read_only = request.method() == bh::verb::get || request.method() == bh::verb::head;
  http::string_response response;
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
    ex.record().route = path == "/healthz" ? route_healthz : path == "/readyz" ? route_readyz : route_metrics;
    if (!read_only) {
      response = http::json_error_response(bh::status::method_not_allowed, "method_not_allowed",
                                           "only GET and HEAD are allowed here", version);
      response.set(bh::field::allow, "GET, HEAD");
    } else if (path == "/readyz") {
      co_await handle_readyz(ex);
      co_return;
    } else if (path == "/healthz") {
      response = http::text_response(bh::status::ok, "application/json", R"({"status":"ok"})", version);
    } else {
      response = http::text_response(bh::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                               parts_.metrics.render(), version);
    }
  } else {
    ex.record().route = route_not_found;
    response = http::json_error_response(bh::status::not_found, "not_found",
                                         "no such resource; jtgw serves /rest/api/2/, /rest/api/3/ and /rest/agile/1.0/",
                                         version);
  }
  co_await ex.write(response);
}

net::awaitable<void> router::handle_readyz(http::exchange& ex) {
  const auto report = co_await parts_.readiness.check();
  const bool ready = report.ready() && !draining_.load();
  std::string body = std::string(R"({"status":")") + (ready ? "ready" : "not_ready") +
                     R"(","store":")" + (report.store_ok ? "ok" : "failing") +
                     R"(","upstream":")" + (report.upstream_ok ? "reachable" : "unreachable") +
                     R"(","draining":)" + (draining_.load() ? "true" : "false") + "}";
  auto response = http::text_response(ready ? bh::status::ok : bh::status::service_unavailable,
                                "application/json", std::move(body), ex.request().version());
  co_await ex.write(response);
}

net::awaitable<void> router::handle_rest(http::exchange& ex) {
  ex.record().route = route_rest;
  const auto& request = ex.request();
  const unsigned version = request.version();

  // The policy first: it is pure and cheap, and junk never costs a store lookup.
  auto decision = proxy::decide_request(request.method(), request.target());
  if (decision.kind != proxy::verdict::forward) {
    const bool bad = decision.kind == proxy::verdict::bad_request;
    auto response = http::json_error_response(bad ? bh::status::bad_request : bh::status::method_not_allowed,
                                              bad ? "bad_request" : "method_not_allowed", decision.reason, version);
    if (!bad) response.set(bh::field::allow, decision.allow);
    co_await ex.write(response);
    co_return;
  }

  auto caller = authenticate(ex, false);
  if (auto* refusal = std::get_if<http::string_response>(&caller)) {
    co_await ex.write(*refusal);
    co_return;
  }
  auto& [who, identity] = std::get<authenticated>(caller);

  proxy::relay_request plan{
      .upstream_target = decision.forward_target(request.target()),
      .credential = std::move(identity.credential),
      .mode = identity.acts_for_user ? proxy::upstream_auth_mode::service : proxy::upstream_auth_mode::user,
      .forwarded_user = identity.acts_for_user ? std::string_view(ex.record().user) : std::string_view(),
      .token_expires = token_expiry_header(who),
  };
  const auto outcome = co_await proxy::relay(ex, plan, parts_.pool);
  const auto& record = ex.record();
  instruments_.outcomes[static_cast<std::size_t>(outcome.status)].add();
  if (outcome.status == proxy::relay_status::credential_rejected) {
    instruments_.auth_outcomes.add({{"reason", code_jira_credential}});
  }
  if (record.upstream_time.count() > 0) {
    instruments_.upstream_latency.observe(std::chrono::duration<double>(record.upstream_time).count());
  }
  instruments_.bytes_to_upstream.add(record.bytes_in);
  instruments_.bytes_to_client.add(record.bytes_out);
}

// Steps 3 and 4 of the data path (DESIGN.md) for /rest and /odata alike: the
// Authenticator on every request, then who jtgw is towards Jira; every refusal through
// denial_response (in OData's error format for /odata).
std::variant<router::authenticated, http::string_response> router::authenticate(http::exchange& ex, bool odata_errors) {
  const auto& request = ex.request();
  const unsigned version = request.version();
  // One pass over the request's fields (few, and bounded by the header limit), matching
  // the name the parser already resolved: Beast's count() and operator[] would each
  // search its name tree with case-insensitive string compares.
  std::string_view authorization;
  std::size_t authorization_fields = 0;
  for (const auto& field : request) {
    if (field.name() != bh::field::authorization) continue;
    if (authorization_fields++ == 0) authorization = field.value();
  }
  // Two Authorization fields cannot both be believed; refuse rather than pick one.
  // (Initialised rather than assigned: the principal is not moved once more.)
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auth::verdict verdict = authorization_fields > 1
                              ? auth::verdict(duplicate_authorization())
                              : parts_.authenticator.verify(authorization, ex.peer().address, now);
  if (auto* denied = std::get_if<auth::denial>(&verdict)) {
    if (denied->reason == auth::denial_reason::store_error) log_store_failure(*denied);
    auto response = denial_response(refusal_of(*denied), version, instruments_.auth_outcomes);
    if (odata_errors) odata::to_odata_error(response);
    return response;
  }
  auto& who = std::get<auth::principal>(verdict);
  auto identity = parts_.identities.for_principal(who);
  // The record is where the name and token id are read from now (the access log, the
  // relay's X-Forwarded-User): moved there, not copied.
  ex.record().user = std::move(who.user);
  ex.record().token_id = std::move(who.token_id);
  if (!identity) {
    spdlog::warn("token {} of {}: {}", ex.record().token_id, ex.record().user,
                 identity.error() == identity_error::no_credential
                     ? "carries no sealed Jira credential"
                     : "its sealed Jira credential does not unseal (was the seal key replaced?)");
    refusal r{code_jira_credential,
              "jtgw cannot act as you in Jira with this token; sign in to jtgw again and create a new token"};
    auto response = denial_response(r, version, instruments_.auth_outcomes);
    if (odata_errors) odata::to_odata_error(response);
    return response;
  }
  instruments_.auth_ok.add();
  // Built in place: principal and identity move once, not again into the variant.
  return std::variant<authenticated, http::string_response>(std::in_place_type<authenticated>, std::move(who),
                                                             std::move(*identity));
}

net::awaitable<void> router::handle_odata(http::exchange& ex) {
  ex.record().route = route_odata;
  auto caller = authenticate(ex, true);
  if (auto* refusal = std::get_if<http::string_response>(&caller)) {
    co_await ex.write(*refusal);
    co_return;
  }
  auto& identity = std::get<authenticated>(caller).identity;
  const bool user_mode = !identity.acts_for_user;
  const std::string& user = ex.record().user;  // authenticate() moved the principal's name there
  odata::odata_caller odata_caller{
      .user = user,
      .identity = {std::move(identity.credential), user_mode ? std::string() : user, ex.request_id()},
      .credential_rejected = {},
  };
  if (user_mode) {
    odata_caller.credential_rejected = [this](unsigned version) {
      refusal r{code_jira_credential,
                "Jira rejected the Jira credential stored with this token; sign in to jtgw again and create a new token"};
      auto response = denial_response(r, version, instruments_.auth_outcomes);
      odata::to_odata_error(response);
      return response;
    };
  }
  co_await parts_.odata->handle(ex, std::move(odata_caller));
}

}  // namespace jtgw::app
