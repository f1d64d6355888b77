#include "gateway/app/gateway.hpp"

#include "auth/seal_key_file.hpp"
#include "gateway/app/readiness.hpp"
#include "gateway/app/router.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/odata/odata_setup.hpp"
#include "gateway/portal/portal_setup.hpp"
#include "gateway/proxy/upstream_pool.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace jtgw::app {

namespace {

// The check behind /readyz waits at most this long for Jira to accept a connection, so a
// probe with a short timeout of its own still gets an answer.
constexpr std::chrono::milliseconds max_readiness_connect{1'000};

identity_builder identities_of(const config::gateway_config& config) {
  if (config.jira.auth == config::upstream_auth::service) return identity_builder::service(config.jira);
  // load_or_create_seal_key throws std::runtime_error naming the path.
  return identity_builder::user(config.jira.flavor, auth::load_or_create_seal_key(config.seal_key_file));
}

proxy::upstream_config upstream_of(const config::gateway_config& config) {
  proxy::upstream_config up;
  up.base_url = config.jira.url;
  up.ca_file = config.jira.ca_file.string();
  up.resolve_timeout = config.timeouts.upstream_connect;
  up.connect_timeout = config.timeouts.upstream_connect;
  up.response_timeout = config.timeouts.upstream_read;
  up.one_thread = config.threads == 1;
  return up;
}

}  // namespace

http::server_limits limits_of(const config::gateway_config& config) {
  http::server_limits limits;
  limits.header_limit = config.limits.header_bytes;
  limits.body_limit = config.limits.body_bytes;
  limits.max_requests_per_connection = config.limits.requests_per_connection;
  limits.handshake_timeout = config.timeouts.handshake;
  limits.read_timeout = config.timeouts.read;
  limits.write_timeout = config.timeouts.write;
  limits.idle_timeout = config.timeouts.idle;
  return limits;
}

gateway::gateway(net::io_context& ioc, const config::gateway_config& config, storage::token_store& store)
    : config_(config),
      metrics_(std::make_shared<http::metrics_registry>()),
      authenticator_(store) {
  try {
    pool_ = std::make_unique<proxy::upstream_pool>(ioc.get_executor(), upstream_of(config_));
  } catch (const std::exception& e) {
    throw std::runtime_error("jira upstream " + config_.jira.url + ": " + e.what());
  }
  jira_ = std::make_unique<jira::jira_client>(*pool_);
  odata_ = odata::make_odata_service(config_, *jira_);  // throws naming the catalog's table and column
  portal_ = portal::make_portal(config_, store, authenticator_.lockout(), *pool_);  // throws naming the seal key file
  readiness_ = std::make_unique<readiness_probe>(
      store, config_.jira.url, std::min(config_.timeouts.upstream_connect, max_readiness_connect));
  router_ = std::make_shared<router>(router_parts{
      .authenticator = authenticator_,
      .identities = identities_of(config_),
      .pool = *pool_,
      .readiness = *readiness_,
      .metrics = *metrics_,
      .odata = odata_.get(),
      .portal = portal_.get(),
  });
  server_ = std::make_unique<http::server>(ioc, router_, limits_of(config_),
                                           http::server_options{.metrics = metrics_, .access_log = nullptr, .one_thread = config_.threads == 1});
}

gateway::~gateway() = default;

std::vector<tcp::endpoint> gateway::start() {
  std::vector<tcp::endpoint> bound;
  for (std::size_t i = 0; i < config_.listeners.size(); ++i) {
    const auto& l = config_.listeners[i];
    auto endpoint = server_->listen(http::listener_config{
        .address = l.address, .port = l.port, .tls_cert = l.tls_cert.string(), .tls_key = l.tls_key.string()});
    if (!endpoint) {
      server_->stop_accepting();
      throw std::runtime_error("listener[" + std::to_string(i) + "] " + l.address + ":" +
                               std::to_string(l.port) + ": " + endpoint.error().message());
    }
    spdlog::info("listening on {}:{}{}", endpoint->address().to_string(), endpoint->port(),
                 l.tls() ? " (TLS)" : "");
    bound.push_back(*endpoint);
  }
  return bound;
}

error_code gateway::reload_tls() { return server_->reload_tls(); }

net::awaitable<void> gateway::drain(std::chrono::milliseconds timeout) {
  router_->set_draining();
  co_await server_->drain(timeout);
}

http::metrics_registry& gateway::metrics() noexcept { return *metrics_; }

std::size_t gateway::open_connections() const noexcept { return server_->open_connections(); }

}  // namespace jtgw::app
