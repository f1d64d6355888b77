// The relay's framing and failure paths: HEAD/204/304, chunked and length bodies both
// ways, keep-alive reuse towards the upstream, an upstream that frames a body wrongly,
// and 502/504 when the upstream fails.
#include "tests/gateway/e2e/raw_upstream.hpp"
#include "tests/gateway/proxy/relay_support.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <fstream>

namespace {

using namespace jtgw;
using namespace jtgw::proxy;
using namespace jtgw::proxy::test;
using namespace std::chrono_literals;

bool is_pattern(const std::string& body) {
  for (std::size_t i = 0; i < body.size(); ++i)
    if (body[i] != pattern_byte(i)) return false;
  return true;
}

BOOST_AUTO_TEST_CASE(head_204_and_304_carry_no_body_and_keep_the_connection) {
  relay_setup setup;
  std::vector<http::string_response> responses;
  run_client([&]() -> net::awaitable<void> {
    auto socket = co_await connect_to(setup.gateway->endpoint());
    // HEAD, then 204, then 304, then GET on the same client connection: each response
    // must end exactly where the next begins.
    co_await send_all(socket,
                      "HEAD /rest/api/3/myself HTTP/1.1\r\nHost: gw\r\n\r\n"
                      "GET /rest/api/3/status/204 HTTP/1.1\r\nHost: gw\r\n\r\n"
                      "GET /rest/api/3/status/304 HTTP/1.1\r\nHost: gw\r\n\r\n"
                      "GET /rest/api/3/myself HTTP/1.1\r\nHost: gw\r\nConnection: close\r\n\r\n");
    beast::flat_buffer buffer;
    const auto all = co_await read_until_closed(socket, buffer, 10s);
    // A HEAD response announces a length but carries no body: parse it header-only.
    const std::string_view data = all.data;
    const auto head_end = data.find("\r\n\r\n");
    BOOST_REQUIRE(head_end != std::string_view::npos);
    BOOST_TEST(status_of(data) == 200u);
    BOOST_TEST(data.substr(0, head_end).find("Content-Length:") != std::string_view::npos);
    responses = parse_responses(data.substr(head_end + 4));
  });
  BOOST_REQUIRE_EQUAL(responses.size(), 3u);
  BOOST_TEST(responses[0].result_int() == 204u);
  BOOST_TEST(responses[1].result_int() == 304u);
  BOOST_TEST(responses[2].result_int() == 200u);
  BOOST_TEST(responses[2].body().find("\"method\":\"GET\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(chunked_and_length_bodies_arrive_byte_exact) {
  relay_setup setup;
  const std::uint64_t size = 3 * 1024 * 1024 + 17;  // not a multiple of the relay's chunk
  for (const std::string framing : {"chunked", "length"}) {
    BOOST_TEST_CONTEXT("framing " << framing) {
      const auto reply = curl("", setup.gateway->url("/rest/api/3/stream?bytes=" + std::to_string(size) +
                                                     "&framing=" + framing));
      BOOST_TEST(reply.status == 200u);
      BOOST_TEST(reply.body.size() == size);
      BOOST_TEST(is_pattern(reply.body));
      if (framing == "chunked")
        BOOST_TEST(reply.header("transfer-encoding") == "chunked");
      else
        BOOST_TEST(reply.header("content-length") == std::to_string(size));
    }
  }
  // An HTTP/1.0 client cannot take chunks: the body ends with the connection instead.
  const auto old = curl("--http1.0", setup.gateway->url("/rest/api/3/stream?bytes=100000&framing=chunked"));
  BOOST_TEST(old.status == 200u);
  BOOST_TEST(old.body.size() == 100000u);
  BOOST_TEST(is_pattern(old.body));
  BOOST_TEST(!old.has("transfer-encoding"));
}

BOOST_AUTO_TEST_CASE(post_bodies_stream_to_the_upstream) {
  http::server_limits peer_limits;
  peer_limits.body_limit = 4 * 1024 * 1024;
  relay_setup setup(user_plan(), {}, peer_limits);
  temp_dir dir;
  const auto file = (dir.path() / "query.json").string();
  std::string payload;
  for (int i = 0; payload.size() < 700 * 1024; ++i) payload += "{\"jql\":\"project = P" + std::to_string(i) + "\"}\n";
  std::ofstream(file, std::ios::binary) << payload;

  // Content-Length body; then chunked (curl streams it); then with Expect: 100-continue.
  for (const std::string extra : {"", "-H 'Transfer-Encoding: chunked'", "-H 'Expect: 100-continue'"}) {
    BOOST_TEST_CONTEXT("curl " << extra) {
      const auto reply = curl("-X POST -H 'Content-Type: application/json' --data-binary @" + file + " " + extra,
                              setup.gateway->url("/rest/api/3/search/jql"));
      BOOST_REQUIRE_EQUAL(reply.status, 200u);
      const auto echo = boost::json::parse(reply.body).as_object();
      BOOST_TEST(echo.at("method").as_string() == "POST");
      BOOST_TEST(echo.at("body_bytes").to_number<std::uint64_t>() == payload.size());
      BOOST_TEST(echo.at("body_hash").as_string() == std::to_string(fnv1a(payload)));
      const auto sent = echoed_headers(reply.body);
      BOOST_TEST(sent.count("expect") == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_request_body_over_the_limit_gets_413) {
  http::server_limits gateway_limits;
  gateway_limits.body_limit = 64 * 1024;
  relay_setup setup(user_plan(), {}, {}, gateway_limits);
  temp_dir dir;
  const auto file = (dir.path() / "big").string();
  std::ofstream(file, std::ios::binary) << std::string(200 * 1024, 'x');
  const auto big = curl("-X POST -H 'Transfer-Encoding: chunked' --data-binary @" + file,
                        setup.gateway->url("/rest/api/3/search"));
  BOOST_TEST(big.status == 413u);
  BOOST_TEST(setup.gateway->route().await_status(relay_status::client_body_rejected) == relay_status::client_body_rejected);
}

BOOST_AUTO_TEST_CASE(a_client_that_stops_reading_is_dropped_at_the_write_deadline) {
  // The relay offers each piece to the socket at once and waits only for what the socket
  // does not take; that wait is bounded by write_timeout. A client that stops reading
  // fills the socket buffers; the relay gives up, closes, and the gateway serves on.
  http::server_limits gateway_limits;
  gateway_limits.write_timeout = 500ms;
  relay_setup setup(user_plan(), {}, {}, gateway_limits);
  const std::uint64_t size = 64 * 1024 * 1024;  // far more than the socket buffers hold
  run_client([&]() -> net::awaitable<void> {
    auto socket = co_await connect_to(setup.gateway->endpoint());
    socket.set_option(net::socket_base::receive_buffer_size(4096));
    co_await send_all(socket, "GET /rest/api/3/stream?bytes=" + std::to_string(size) +
                                  "&framing=length HTTP/1.1\r\nHost: gw\r\n\r\n");
    // Not a byte read: the relay's write must time out (write_timeout, not the 30 s
    // read deadline still set from the request) and report the client as gone.
    BOOST_TEST(setup.gateway->route().await_status(relay_status::client_failed) == relay_status::client_failed);
    // jtgw has closed its end; the body never arrives whole (the kernel may hold the
    // rest of what was written until the orphaned socket gives up, without an EOF).
    beast::flat_buffer buffer;
    const auto rest = co_await read_until_closed(socket, buffer, 1s);
    BOOST_TEST(rest.data.size() < size);
  });
  BOOST_TEST(curl("", setup.gateway->url("/rest/api/3/myself")).status == 200u);
}

BOOST_AUTO_TEST_CASE(upstream_connections_are_reused_and_stale_ones_replaced) {
  http::server_limits peer_limits;
  peer_limits.idle_timeout = 300ms;  // the upstream drops idle keep-alive connections fast
  relay_setup setup(user_plan(), {}, peer_limits);
  for (int i = 0; i < 3; ++i) BOOST_TEST(curl("", setup.gateway->url("/rest/api/3/myself")).status == 200u);
  BOOST_TEST(setup.gateway->pool().connections_opened() == 1u);
  BOOST_TEST(setup.gateway->pool().idle_count() == 1u);

  std::this_thread::sleep_for(800ms);  // the pooled connection is now closed upstream
  BOOST_TEST(curl("", setup.gateway->url("/rest/api/3/myself")).status == 200u);
  BOOST_TEST(setup.gateway->pool().connections_opened() == 2u);
}

BOOST_AUTO_TEST_CASE(unreachable_upstreams_get_502) {
  upstream_config refused;
  refused.base_url = "http://127.0.0.1:" + std::to_string(closed_port());
  relay_setup down(user_plan(), refused);
  const auto reply = curl("", down.gateway->url("/rest/api/3/myself"));
  BOOST_TEST(reply.status == 502u);
  const auto body = boost::json::parse(reply.body).as_object();
  BOOST_TEST(body.at("error").as_string() == "upstream_unreachable");
  BOOST_TEST(down.gateway->route().await_status(relay_status::upstream_unreachable) == relay_status::upstream_unreachable);

  upstream_config unknown;
  unknown.base_url = "http://jira.invalid";  // RFC 6761: never resolves
  relay_setup nowhere(user_plan(), unknown);
  BOOST_TEST(curl("", nowhere.gateway->url("/rest/api/3/myself")).status == 502u);
}

BOOST_AUTO_TEST_CASE(a_stalled_upstream_gets_504_within_the_timeout) {
  upstream_config config;
  config.response_timeout = 500ms;
  relay_setup setup(user_plan(), config);
  const auto reply = curl("--max-time 10", setup.gateway->url("/rest/api/3/stall"));
  BOOST_TEST(reply.status == 504u);
  const auto body = boost::json::parse(reply.body).as_object();
  BOOST_TEST(body.at("error").as_string() == "upstream_timeout");
  BOOST_TEST(setup.gateway->route().await_status(relay_status::upstream_timeout) == relay_status::upstream_timeout);
}

BOOST_AUTO_TEST_CASE(bytes_past_the_content_length_end_the_upstream_connection) {
  // Five bytes announced, ten sent: the client gets the five, and the connection, whose
  // next response would start with the extra bytes, is not reused.
  e2e::raw_upstream upstream("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
  upstream_config config;
  config.base_url = upstream.url();
  relay_gateway gateway(config, user_plan());
  for (int i = 0; i < 2; ++i) {
    const auto reply = curl("", gateway.url("/rest/api/3/myself"));
    BOOST_TEST(reply.status == 200u);
    BOOST_TEST(reply.body == "hello");
    // The relay has returned (and pooled or dropped the connection) once this is stored.
    BOOST_TEST(gateway.route().await_status(relay_status::relayed) == relay_status::relayed);
    BOOST_TEST(gateway.pool().idle_count() == 0u);
  }
  BOOST_TEST(upstream.requests() == 2);
}

BOOST_AUTO_TEST_CASE(an_upstream_body_shorter_than_announced_closes_the_client_connection) {
  // The header and the five bytes that came with it are out before the upstream stops:
  // the only honest signal left is closing the client's connection.
  e2e::raw_upstream upstream("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nConnection: close\r\n\r\nhello");
  upstream_config config;
  config.base_url = upstream.url();
  config.response_timeout = 500ms;
  relay_gateway gateway(config, user_plan());
  const auto reply = curl("--max-time 10", gateway.url("/rest/api/3/myself"));
  BOOST_TEST(reply.status == 200u);
  BOOST_TEST(reply.exit_code != 0);  // curl: transfer closed with outstanding read data
  BOOST_TEST(reply.body == "hello");
  BOOST_TEST(gateway.route().await_status(relay_status::broken_mid_response) == relay_status::broken_mid_response);
}

}  // namespace
