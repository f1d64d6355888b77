#pragma once
// /readyz: is this instance worth sending traffic to? The store must answer and the
// upstream must accept a TCP connection. The upstream check costs a connect, so its
// answer is cached for a short while: a load balancer polling every second does not
// turn into a connection storm against Jira.
#include "gateway/http/net.hpp"
#include "storage/token_store.hpp"

#include <chrono>
#include <mutex>
#include <string>

namespace jtgw::app {

struct readiness_report {
  bool store_ok = false;
  bool upstream_ok = false;
  bool ready() const noexcept { return store_ok && upstream_ok; }
};

class readiness_probe {
 public:
  // `base_url` is the validated [jira] url. `connect_timeout` bounds each check
  // (resolve + connect); a result is reused for `cache_for`.
  readiness_probe(storage::token_store& store, std::string base_url,
                  std::chrono::milliseconds connect_timeout,
                  std::chrono::milliseconds cache_for = std::chrono::milliseconds{1'500});

  // Store: a policy read succeeds. Upstream: a TCP connect to the URL's host and port
  // (not TLS: a connect says "reachable" at a fraction of the cost) within the timeout,
  // or the cached answer of a check younger than cache_for. Never throws.
  net::awaitable<readiness_report> check();

 private:
  net::awaitable<bool> connect_once();

  storage::token_store& store_;
  std::string host_;
  std::string port_;
  std::chrono::milliseconds connect_timeout_;
  std::chrono::milliseconds cache_for_;

  std::mutex mutex_;
  std::chrono::steady_clock::time_point checked_at_{};
  bool cached_ok_ = false;
  bool have_cached_ = false;
};

}  // namespace jtgw::app
