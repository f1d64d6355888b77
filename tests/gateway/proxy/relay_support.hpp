#pragma once
// Test support for the relay: a Jira-like upstream peer, the /rest route glue (policy then
// relay) on the real server core, certificates from a test CA, and peak RSS.
#include "gateway/proxy/relay.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace jtgw::proxy {
// Boost.Test prints outcomes by name.
inline std::ostream& operator<<(std::ostream& out, relay_status status) { return out << to_string(status); }
}  // namespace jtgw::proxy

namespace jtgw::proxy::test {

using namespace jtgw::http::test;

// The upstream peer, a request_handler on the real server core. By path suffix:
//   …/status/<code>        that status; JSON body except for 204/304 and HEAD;
//                          "?seraph=1" adds X-Seraph-LoginReason: AUTHENTICATED_FAILED
//   …/stream?bytes=N&framing=chunked|length
//                          N bytes, byte i = i % 251, written 64 KiB at a time
//   …/stall                never answers (waits two minutes)
//   anything else          200 JSON echo: {"method","target","headers":[[name,value]…],
//                          "body_bytes","body_hash"}, plus Set-Cookie and X-Upstream: 1
std::shared_ptr<http::request_handler> jira_peer();

// FNV-1a of a byte string, as the echo reports it ("body_hash", decimal).
std::uint64_t fnv1a(std::string_view bytes);
// The streamed body's byte at offset i.
inline char pattern_byte(std::uint64_t i) { return static_cast<char>(i % 251); }

// The /rest route as the gateway will compose it: decide_request, then relay() with a
// copy of `plan` whose upstream_target is the decision's. Route "rest".
class relay_route final : public http::request_handler {
 public:
  relay_route(upstream_pool& pool, relay_request plan) : pool_(pool), plan_(std::move(plan)) {}
  net::awaitable<void> handle(http::exchange& ex) override;
  // The outcome of the most recent relay() call. relay() returns after its response is
  // out, so the client may hold the response before the outcome is stored: this waits
  // (bounded, 5 s) for `expected` and returns the outcome it last saw.
  relay_status await_status(relay_status expected) const;

 private:
  upstream_pool& pool_;
  relay_request plan_;
  std::atomic<relay_status> last_{relay_status::relayed};
};

// A gateway under test: the server core on 127.0.0.1 port 0 running relay_route, with
// an upstream_pool on its own io_context thread. Stops everything on destruction.
class relay_gateway {
 public:
  relay_gateway(upstream_config config, relay_request plan, http::server_limits limits = {});
  ~relay_gateway();
  std::string url(const std::string& path) const { return url_of(endpoint_, false, path); }
  const tcp::endpoint& endpoint() const { return endpoint_; }
  upstream_pool& pool() { return *pool_; }
  relay_route& route() { return *route_; }

 private:
  net::io_context pool_ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::thread pool_thread_;
  std::unique_ptr<upstream_pool> pool_;
  std::shared_ptr<relay_route> route_;
  std::unique_ptr<test_server> server_;
  tcp::endpoint endpoint_;
};

// A plan for user mode with a Basic credential (alice / jira-secret).
relay_request user_plan();

// A test CA and leaf certificates it signs (openssl CLI, EC P-256, valid two days).
struct test_ca {
  std::string cert;
  std::string key;
};
test_ca make_ca(const std::filesystem::path& dir, const std::string& name);
// A leaf for DNS name `dns_name`, signed by `ca`.
cert_files make_leaf(const std::filesystem::path& dir, const test_ca& ca, const std::string& name,
                     const std::string& dns_name);

// What curl got: the final response's status and headers (names lower-case), the body.
struct curl_reply {
  unsigned status = 0;
  std::map<std::string, std::vector<std::string>> headers;
  std::string body;
  int exit_code = -1;
  bool has(const std::string& name) const { return headers.count(name) != 0; }
  std::string header(const std::string& name) const;  // the first value, or ""
};
// Runs real curl with extra `args` (shell words) against `url`.
curl_reply curl(const std::string& args, const std::string& url);

// The echo peer's record of the request headers it received, as name → values.
std::map<std::string, std::vector<std::string>> echoed_headers(const std::string& echo_body);

std::string base64(std::string_view text);

// Sends raw bytes on a fresh connection; the status of the first response (0: none).
unsigned raw_status(const tcp::endpoint& endpoint, const std::string& bytes);

// An upstream peer plus a gateway relaying to it. Unless config.base_url is set, the
// peer is http://127.0.0.1:PORT/jira/ (so the base path is exercised too).
struct relay_setup {
  explicit relay_setup(relay_request plan = user_plan(), upstream_config config = {},
                       http::server_limits peer_limits = {}, http::server_limits gateway_limits = {});
  test_server peer;
  tcp::endpoint peer_endpoint;
  std::optional<relay_gateway> gateway;
};

// A port on 127.0.0.1 that was free a moment ago and has no listener.
std::uint16_t closed_port();

// This process's peak resident set (VmHWM) in KiB.
std::size_t peak_rss_kib();

}  // namespace jtgw::proxy::test
