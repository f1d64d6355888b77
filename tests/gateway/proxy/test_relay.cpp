// The relay end to end over real loopback sockets: real curl → jtgw's server core running
// the /rest route → upstream_pool → a Jira-like peer on the same server core.
#include "tests/gateway/proxy/relay_support.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

namespace {

using namespace jtgw;
using namespace jtgw::proxy;
using namespace jtgw::proxy::test;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(user_mode_rewrites_request_and_response_headers) {
  relay_request plan = user_plan();
  plan.token_expires = std::chrono::sys_days{std::chrono::year{2031} / 1 / 2} + 3h;
  relay_setup setup(std::move(plan));
  const auto reply = curl(
      "-u alice:jtgw_token -H 'Cookie: JSESSIONID=client' -H 'Connection: keep-alive, X-Secret-Hop' "
      "-H 'X-Secret-Hop: 1' -H 'Proxy-Authorization: Basic eDp5' -H 'X-Forwarded-For: 10.1.1.1' "
      "-H 'X-Request-Id: req-abc.1' -H 'X-Forwarded-User: mallory' -H 'Accept: application/json'",
      setup.gateway->url("/rest/api/3/%69ssue/ABC-1?fields=summary,status&expand=names"));
  BOOST_REQUIRE_EQUAL(reply.status, 200u);
  const auto echo = boost::json::parse(reply.body).as_object();
  BOOST_TEST(echo.at("target").as_string() == "/jira/rest/api/3/issue/ABC-1?fields=summary,status&expand=names");
  BOOST_TEST(echo.at("method").as_string() == "GET");
  const auto sent = echoed_headers(reply.body);
  for (auto dropped : {"cookie", "x-secret-hop", "proxy-authorization", "x-forwarded-user", "connection"})
    BOOST_TEST(sent.count(dropped) == 0u, dropped << " reached the upstream");
  BOOST_REQUIRE(sent.count("authorization") == 1u);
  BOOST_TEST(sent.at("authorization").size() == 1u);
  BOOST_TEST(sent.at("authorization").front() == "Basic " + base64("alice:jira-secret"));
  BOOST_TEST(sent.at("host").front() == "127.0.0.1:" + std::to_string(setup.peer_endpoint.port()));
  BOOST_TEST(sent.at("x-forwarded-for").front() == "10.1.1.1, 127.0.0.1");
  BOOST_TEST(sent.at("x-forwarded-proto").front() == "http");
  BOOST_TEST(sent.at("x-forwarded-host").front() == "127.0.0.1:" + std::to_string(setup.gateway->endpoint().port()));
  BOOST_TEST(sent.at("x-request-id").front() == "req-abc.1");
  BOOST_TEST(sent.at("accept").front() == "application/json");

  BOOST_TEST(!reply.has("set-cookie"));
  BOOST_TEST(reply.header("x-upstream") == "1");
  BOOST_TEST(reply.header("x-jtgw-token-expires") == "2031-01-02T03:00:00Z");
  BOOST_TEST(reply.header("x-request-id") == "req-abc.1");
  BOOST_TEST(setup.gateway->route().await_status(relay_status::relayed) == relay_status::relayed);
}

BOOST_AUTO_TEST_CASE(service_mode_sends_service_credential_and_forwarded_user) {
  relay_request plan{.upstream_target = {}, .credential = upstream_credential::bearer("service-pat"),
                     .mode = upstream_auth_mode::service, .forwarded_user = "alice@example.com"};
  relay_setup setup(std::move(plan));
  const auto reply = curl("-u alice@example.com:tok -H 'X-Forwarded-User: admin'",
                          setup.gateway->url("/rest/agile/1.0/board"));
  BOOST_REQUIRE_EQUAL(reply.status, 200u);
  const auto sent = echoed_headers(reply.body);
  BOOST_TEST(sent.at("authorization").front() == "Bearer service-pat");
  BOOST_REQUIRE(sent.count("x-forwarded-user") == 1u);
  BOOST_TEST(sent.at("x-forwarded-user").size() == 1u);
  BOOST_TEST(sent.at("x-forwarded-user").front() == "alice@example.com");
  BOOST_TEST(!reply.has("x-jtgw-token-expires"));

  // Jira's 401 passes through in service mode: it is about the service account, not a token.
  const auto denied = curl("", setup.gateway->url("/rest/api/2/status/401"));
  BOOST_TEST(denied.status == 401u);
  BOOST_TEST(denied.body.find("errorMessages") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(user_mode_turns_a_rejected_credential_into_sign_in_again) {
  relay_setup setup;
  const auto rejected = curl("", setup.gateway->url("/rest/api/3/status/401"));
  BOOST_TEST(rejected.status == 401u);
  BOOST_TEST(rejected.header("www-authenticate") == R"(Basic realm="jtgw", charset="UTF-8")");
  const auto body = boost::json::parse(rejected.body).as_object();
  BOOST_TEST(body.at("error").as_string() == "jira_credential_rejected");
  BOOST_TEST(std::string(body.at("message").as_string()).find("create a new token") != std::string::npos);
  BOOST_TEST(setup.gateway->route().await_status(relay_status::credential_rejected) == relay_status::credential_rejected);

  const auto seraph = curl("", setup.gateway->url("/rest/api/3/status/403?seraph=1"));
  BOOST_TEST(seraph.status == 401u);
  // A plain 403 is Jira saying "not allowed to see this": it passes through.
  const auto forbidden = curl("", setup.gateway->url("/rest/api/3/status/403"));
  BOOST_TEST(forbidden.status == 403u);
  BOOST_TEST(forbidden.body.find("errorMessages") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(policy_denials_never_reach_the_upstream) {
  relay_setup setup;
  const auto post = curl("-X POST --data-binary x", setup.gateway->url("/rest/api/3/issue"));
  BOOST_TEST(post.status == 405u);
  BOOST_TEST(post.header("allow") == "GET, HEAD");
  const auto del = curl("-X DELETE", setup.gateway->url("/rest/api/3/search"));
  BOOST_TEST(del.status == 405u);
  BOOST_TEST(del.header("allow") == "GET, HEAD, POST");
  const auto traversal = curl("--path-as-is", setup.gateway->url("/rest/api/3/../../secure/admin"));
  BOOST_TEST(traversal.status == 400u);
  const auto encoded = curl("--path-as-is", setup.gateway->url("/rest/api/3/%2E%2e/admin"));
  BOOST_TEST(encoded.status == 400u);
  const auto absolute = raw_status(setup.gateway->endpoint(),
                                   "GET http://evil.example/rest/api/3/myself HTTP/1.1\r\nHost: x\r\n\r\n");
  BOOST_TEST(absolute == 400u);
  BOOST_TEST(setup.gateway->pool().connections_opened() == 0u);
}

}  // namespace
