// Request framing and protocol defences, with raw bytes over real sockets: every
// smuggling shape gets 400 + a JSON body + the connection closed, and nothing after it
// is answered; keep-alive, pipelining, request ids, unread bodies.
#include "gateway/http/whole_request.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

using namespace jtgw;
using namespace jtgw::http;
using namespace jtgw::http::test;

namespace {

std::shared_ptr<request_handler> echo_body_handler() {
  return make_whole_request_handler([](string_request req, peer_info) -> net::awaitable<string_response> {
    string_response res{beast::http::status::ok, req.version()};
    res.body() = std::string(req.target()) + ":" + req.body();
    co_return res;
  });
}

// Sends `bytes` and expects exactly one response: 400 with {"error": …}, then close.
void expect_rejected(const tcp::endpoint& endpoint, const std::string& bytes,
                     unsigned status = 400) {
  read_result got;
  run_client([&]() -> net::awaitable<void> { got = co_await send_raw(endpoint, bytes); });
  BOOST_TEST_INFO("request: " << bytes);
  BOOST_TEST(got.closed);
  BOOST_TEST(!got.timed_out);
  const auto responses = parse_responses(got.data);
  BOOST_REQUIRE_EQUAL(responses.size(), 1u);
  BOOST_TEST(responses[0].result_int() == status);
  BOOST_TEST(!responses[0].keep_alive());
  BOOST_TEST(responses[0][beast::http::field::content_type] == "application/json");
  const auto body = boost::json::parse(responses[0].body()).as_object();
  BOOST_TEST(body.contains("error"));
  BOOST_TEST(body.contains("message"));
}

}  // namespace

BOOST_AUTO_TEST_CASE(content_length_with_transfer_encoding_is_400_and_close) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  // The tail would be a second, smuggled request to a front end that trusted the other header.
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                      "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(differing_content_lengths_are_400_and_close) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 30\r\n\r\nabc");
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabc");
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\nabc");
}

BOOST_AUTO_TEST_CASE(obs_fold_is_400_and_close) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  expect_rejected(ep, "GET /a HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n two\r\n\r\n");
  expect_rejected(ep, "GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n\tchunked\r\n\r\n0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(transfer_encoding_other_than_chunked_is_400) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc");
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n");
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(bad_chunking_is_400_and_close) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  // Not hex, then a chunk longer than its size says, then a missing CRLF after the data.
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3\r\nhello\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
  expect_rejected(ep, "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(absolute_form_connect_and_missing_host_are_400) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  expect_rejected(ep, "GET http://example.com/rest/api/3/myself HTTP/1.1\r\nHost: example.com\r\n\r\n");
  expect_rejected(ep, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
  expect_rejected(ep, "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
  expect_rejected(ep, "GET /a HTTP/1.1\r\n\r\n");
  expect_rejected(ep, "GET /a HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
  expect_rejected(ep, "GARBAGE\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  std::vector<std::string> bodies;
  run_client([&]() -> net::awaitable<void> {
    auto socket = co_await connect_to(ep);
    beast::flat_buffer buffer;
    for (int i = 0; i < 5; ++i) {
      co_await send_all(socket, "POST /k" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
      auto res = co_await read_response(socket, buffer);
      BOOST_TEST(res.keep_alive());
      bodies.push_back(res.body());
    }
  });
  BOOST_TEST(bodies == (std::vector<std::string>{"/k0:hi", "/k1:hi", "/k2:hi", "/k3:hi", "/k4:hi"}),
             boost::test_tools::per_element());
  BOOST_TEST(srv.get().metrics().counter("jtgw_http_connections_total", "").value({{"tls", "false"}}) == 1u);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  std::string pipeline;
  for (int i = 0; i < 10; ++i) pipeline += "GET /p" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  pipeline += "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  read_result got;
  run_client([&]() -> net::awaitable<void> { got = co_await send_raw(ep, pipeline); });
  BOOST_TEST(got.closed);
  const auto responses = parse_responses(got.data);
  BOOST_REQUIRE_EQUAL(responses.size(), 11u);
  for (int i = 0; i < 10; ++i) BOOST_TEST(responses[i].body() == "/p" + std::to_string(i) + ":");
  BOOST_TEST(responses[10].body() == "/last:");
  BOOST_TEST(!responses[10].keep_alive());
}

BOOST_AUTO_TEST_CASE(max_requests_per_connection_closes_after_the_last) {
  server_limits limits;
  limits.max_requests_per_connection = 2;
  test_server srv(echo_body_handler(), limits);
  const auto ep = srv.listen();
  read_result got;
  run_client([&]() -> net::awaitable<void> {
    got = co_await send_raw(ep, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
  });
  BOOST_TEST(got.closed);
  const auto responses = parse_responses(got.data);
  BOOST_REQUIRE_EQUAL(responses.size(), 2u);
  BOOST_TEST(responses[0].keep_alive());
  BOOST_TEST(!responses[1].keep_alive());
}

BOOST_AUTO_TEST_CASE(request_id_is_kept_when_sane_and_replaced_otherwise) {
  test_server srv(echo_body_handler());
  const auto ep = srv.listen();
  std::vector<string_response> responses;
  run_client([&]() -> net::awaitable<void> {
    auto got = co_await send_raw(ep, "GET /1 HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc.DEF_123-x\r\n\r\n"
                                     "GET /2 HTTP/1.1\r\nHost: x\r\nX-Request-Id: bad id<script>\r\n\r\n"
                                     "GET /3 HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + std::string(65, 'a') + "\r\n"
                                     "Connection: close\r\n\r\n");
    responses = parse_responses(got.data);
  });
  BOOST_REQUIRE_EQUAL(responses.size(), 3u);
  BOOST_TEST(responses[0]["X-Request-Id"] == "abc.DEF_123-x");
  for (int i = 1; i < 3; ++i) {
    const std::string id(responses[i]["X-Request-Id"]);
    BOOST_TEST(id.size() == 32u);
    BOOST_TEST(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  }
  BOOST_TEST(responses[1]["X-Request-Id"] != responses[2]["X-Request-Id"]);
}

BOOST_AUTO_TEST_CASE(unread_small_body_is_skipped_and_large_one_closes) {
  test_server srv(target_handler());
  const auto ep = srv.listen();
  std::vector<string_response> responses;
  bool closed = false;
  run_client([&]() -> net::awaitable<void> {
    // Small body the handler ignores: skipped, and the next request is served.
    auto got = co_await send_raw(ep, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                                     "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    responses = parse_responses(got.data);
    // A large announced body: answered with Connection: close, the rest not read.
    auto big = co_await send_raw(ep, "POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 900000\r\n\r\nxyz");
    auto big_responses = parse_responses(big.data);
    BOOST_REQUIRE_EQUAL(big_responses.size(), 1u);
    BOOST_TEST(!big_responses[0].keep_alive());
    closed = big.closed;
  });
  BOOST_REQUIRE_EQUAL(responses.size(), 2u);
  BOOST_TEST(responses[0].body() == "POST /a");
  BOOST_TEST(responses[0].keep_alive());
  BOOST_TEST(responses[1].body() == "GET /b");
  BOOST_TEST(closed);
}
