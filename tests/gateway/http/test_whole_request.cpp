// The whole-request handler end to end with real curl, over plain TCP and TLS.
#include "gateway/http/whole_request.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace jtgw;
using namespace jtgw::http;
using namespace jtgw::http::test;

namespace {

// Echoes what it received, so the test sees method, path, body and TLS flag round-trip.
std::shared_ptr<request_handler> echo_handler() {
  return make_whole_request_handler([](string_request req, peer_info peer) -> net::awaitable<string_response> {
    string_response res{beast::http::status::ok, req.version()};
    res.set(beast::http::field::content_type, "text/plain");
    res.body() = std::string(req.method_string()) + " " + std::string(req.target()) + " tls=" +
                 (peer.tls ? "1" : "0") + " body=" + req.body();
    co_return res;
  });
}

}  // namespace

BOOST_AUTO_TEST_CASE(plain_get_and_post_round_trip_with_curl) {
  test_server srv(echo_handler());
  const auto endpoint = srv.listen();

  auto get = run_command(curl_base() + url_of(endpoint, false, "/rest/api/3/myself?x=1"));
  BOOST_TEST(get.exit_code == 0);
  BOOST_TEST(get.output == "GET /rest/api/3/myself?x=1 tls=0 body=");

  auto post = run_command(curl_base() + "-d 'hello=world' " + url_of(endpoint, false, "/search"));
  BOOST_TEST(post.exit_code == 0);
  BOOST_TEST(post.output == "POST /search tls=0 body=hello=world");

  // HEAD: headers announce the GET body's length, no body follows (curl -I would hang
  // or complain if one did).
  auto head = run_command(curl_base() + "-I " + url_of(endpoint, false, "/x"));
  BOOST_TEST(head.exit_code == 0);
  BOOST_TEST(head.output.find("HTTP/1.1 200 OK") == 0);
  BOOST_TEST(head.output.find("Content-Length: 19") != std::string::npos);
  BOOST_TEST(head.output.find("X-Request-Id: ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(large_post_with_expect_continue_is_read) {
  test_server srv(echo_handler());
  const auto endpoint = srv.listen();
  temp_dir dir;
  const std::string body(200 * 1024, 'a');
  const auto file = dir.path() / "body";
  { std::ofstream(file) << body; }
  // Forcing Expect: 100-continue: curl waits for our interim response before sending.
  auto post = run_command(curl_base() + "-H 'Expect: 100-continue' --data-binary @" + file.string() +
                          " " + url_of(endpoint, false, "/big"));
  BOOST_TEST(post.exit_code == 0);
  BOOST_TEST(post.output == "POST /big tls=0 body=" + body);
}

BOOST_AUTO_TEST_CASE(too_large_body_gets_413) {
  server_limits limits;
  limits.body_limit = 1000;
  test_server srv(echo_handler(), limits);
  const auto endpoint = srv.listen();
  auto post = run_command(curl_base() + "-o /dev/null -w '%{http_code}' --data-binary " +
                          std::string(2000, 'b') + " " + url_of(endpoint, false, "/x"));
  BOOST_TEST(post.output == "413");
}

BOOST_AUTO_TEST_CASE(tls_round_trip_with_curl) {
  temp_dir dir;
  const auto cert = make_self_signed(dir.path(), "server");
  test_server srv(echo_handler());
  const auto endpoint = srv.listen(cert.cert, cert.key);
  auto get = run_command(curl_base() + "--cacert " + cert.cert + " " +
                         "https://localhost:" + std::to_string(endpoint.port()) + "/odata/Issues");
  BOOST_TEST(get.exit_code == 0);
  BOOST_TEST(get.output == "GET /odata/Issues tls=1 body=");
  auto post = run_command(curl_base() + "--cacert " + cert.cert + " -d abc " +
                          "https://localhost:" + std::to_string(endpoint.port()) + "/p");
  BOOST_TEST(post.output == "POST /p tls=1 body=abc");
}
