#pragma once
// The assembled gateway on an io_context the caller runs: server, listeners, router,
// Authenticator, upstream pool and readiness probe, built from a gateway_config around
// a token store the caller opened. `jtgw serve` adds the process around it (store,
// signals, threads); tests run it in-process to share the store (revocation tests).
#include "auth/authenticator.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/net.hpp"
#include "gateway/http/server.hpp"
#include "storage/token_store.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace jtgw::proxy {
class upstream_pool;
}
namespace jtgw::jira {
class jira_client;
}
namespace jtgw::odata {
class odata_service;
}
namespace jtgw::portal {
class portal_service;
}

namespace jtgw::app {

class readiness_probe;
class router;

class gateway {
 public:
  // Start-up; throws std::runtime_error with a message for the operator: the seal key
  // file (auth = "user": created 0600 when missing, refused when group or others may
  // read it), the upstream (a CA file that does not load), the OData catalog (naming
  // the table and column at fault). The store must outlive it.
  gateway(net::io_context& ioc, const config::gateway_config& config, storage::token_store& store);
  ~gateway();
  gateway(const gateway&) = delete;
  gateway& operator=(const gateway&) = delete;

  // Binds every [[listener]] in order and returns the bound endpoints (real ports for
  // port 0). Throws std::runtime_error naming the listener (bind error, TLS files);
  // nothing stays bound then.
  std::vector<tcp::endpoint> start();

  // SIGHUP: re-reads every TLS listener's certificate and key (all or nothing; open
  // connections keep theirs). Returns the load error, if any.
  error_code reload_tls();

  // SIGTERM: /readyz turns 503, listeners close, in-flight requests finish within
  // `timeout`, then whatever is left is closed.
  net::awaitable<void> drain(std::chrono::milliseconds timeout);

  http::metrics_registry& metrics() noexcept;
  std::size_t open_connections() const noexcept;

 private:
  const config::gateway_config config_;
  std::shared_ptr<http::metrics_registry> metrics_;
  auth::authenticator authenticator_;
  std::unique_ptr<proxy::upstream_pool> pool_;
  std::unique_ptr<jira::jira_client> jira_;        // the data layer behind /odata
  std::unique_ptr<odata::odata_service> odata_;
  std::unique_ptr<portal::portal_service> portal_;  // the token page and its /api
  std::unique_ptr<readiness_probe> readiness_;
  std::shared_ptr<router> router_;
  std::unique_ptr<http::server> server_;
};

// The server limits a config asks for.
http::server_limits limits_of(const config::gateway_config& config);

}  // namespace jtgw::app
