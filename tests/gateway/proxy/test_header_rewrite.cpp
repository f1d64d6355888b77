// Header rewriting at the client/Jira boundary: what is dropped, added and replaced.
#include "gateway/proxy/header_rewrite.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>

namespace {

namespace bhttp = boost::beast::http;
using namespace jtgw::proxy;
using bhttp::field;

bhttp::request_header<> client_request() {
  bhttp::request_header<> h;
  h.method(bhttp::verb::get);
  h.target("/rest/api/3/myself");
  h.version(11);
  h.set(field::host, "gateway.example:8443");
  h.set(field::authorization, "Basic YWxpY2U6dG9rZW4=");
  h.set(field::cookie, "JSESSIONID=abc");
  h.set(field::proxy_authorization, "Basic eDp5");
  h.set("Proxy-Foo", "1");
  h.set(field::connection, "keep-alive, X-Secret-Hop");
  h.set("X-Secret-Hop", "1");
  h.set(field::keep_alive, "timeout=5");
  h.set(field::te, "trailers");
  h.set(field::trailer, "X-T");
  h.set(field::upgrade, "h2c");
  h.set(field::expect, "100-continue");
  h.set("X-Forwarded-User", "admin");
  h.insert("X-Forwarded-For", "10.0.0.1");
  h.insert("X-Forwarded-For", "10.0.0.2");
  h.set(field::accept, "application/json");
  h.set(field::user_agent, "Tableau");
  return h;
}

std::size_t count(const bhttp::fields& f, std::string_view name) {
  std::size_t n = 0;
  for (const auto& x : f)
    if (boost::beast::iequals(x.name_string(), name)) ++n;
  return n;
}

BOOST_AUTO_TEST_CASE(user_mode_request_is_rewritten) {
  const auto credential = upstream_credential::basic("alice@example.com", "jira-api-token");
  auto h = client_request();
  rewrite_request_header(h, {"127.0.0.9", true, "req-42", "jira.example.com", &credential, ""});

  for (auto gone : {"Cookie", "Proxy-Authorization", "Proxy-Foo", "Connection", "X-Secret-Hop", "Keep-Alive",
                    "TE", "Trailer", "Upgrade", "Expect", "Transfer-Encoding", "X-Forwarded-User"})
    BOOST_TEST(count(h, gone) == 0u, gone << " should be dropped");
  BOOST_TEST(count(h, "Authorization") == 1u);
  // base64("alice@example.com:jira-api-token")
  BOOST_TEST(h[field::authorization] == "Basic YWxpY2VAZXhhbXBsZS5jb206amlyYS1hcGktdG9rZW4=");
  BOOST_TEST(h[field::host] == "jira.example.com");
  BOOST_TEST(count(h, "X-Forwarded-For") == 1u);
  BOOST_TEST(h["X-Forwarded-For"] == "10.0.0.1, 10.0.0.2, 127.0.0.9");
  BOOST_TEST(h["X-Forwarded-Proto"] == "https");
  BOOST_TEST(h["X-Forwarded-Host"] == "gateway.example:8443");
  BOOST_TEST(h["X-Request-Id"] == "req-42");
  BOOST_TEST(h[field::accept] == "application/json");
  BOOST_TEST(h[field::user_agent] == "Tableau");
  BOOST_TEST(h.target() == "/rest/api/3/myself");
}

BOOST_AUTO_TEST_CASE(service_mode_names_the_user_and_uses_bearer) {
  const auto credential = upstream_credential::bearer("pat-secret");
  auto h = client_request();
  h.erase(field::host);
  h.erase("X-Forwarded-For");
  rewrite_request_header(h, {"::1", false, "r1", "jira:8080", &credential, "alice"});
  BOOST_TEST(h[field::authorization] == "Bearer pat-secret");
  BOOST_TEST(h["X-Forwarded-User"] == "alice");
  BOOST_TEST(count(h, "X-Forwarded-User") == 1u);
  BOOST_TEST(h["X-Forwarded-For"] == "::1");
  BOOST_TEST(h["X-Forwarded-Proto"] == "http");
  BOOST_TEST(count(h, "X-Forwarded-Host") == 0u);
  BOOST_TEST(h[field::host] == "jira:8080");
}

BOOST_AUTO_TEST_CASE(response_drops_cookies_and_hops_and_adds_expiry) {
  bhttp::response_header<> h;
  h.result(bhttp::status::ok);
  h.insert(field::set_cookie, "a=1");
  h.insert(field::set_cookie, "b=2");
  h.set(field::connection, "close, X-Hop");
  h.set("X-Hop", "1");
  h.set(field::transfer_encoding, "chunked");
  h.set(field::proxy_authenticate, "Basic");
  h.set(field::content_type, "application/json");
  h.set("X-AREQUESTID", "7");
  using namespace std::chrono;
  const sys_seconds expires = sys_days{year{2025} / 12 / 31} + hours{23} + minutes{59} + seconds{59};
  rewrite_response_header(h, expires);
  for (auto gone : {"Set-Cookie", "Connection", "X-Hop", "Transfer-Encoding", "Proxy-Authenticate"})
    BOOST_TEST(count(h, gone) == 0u, gone << " should be dropped");
  BOOST_TEST(h[field::content_type] == "application/json");
  BOOST_TEST(h["X-AREQUESTID"] == "7");
  BOOST_TEST(h["X-Jtgw-Token-Expires"] == "2025-12-31T23:59:59Z");

  bhttp::response_header<> plain;
  plain.result(bhttp::status::ok);
  rewrite_response_header(plain, std::nullopt);
  BOOST_TEST(count(plain, "X-Jtgw-Token-Expires") == 0u);
}

BOOST_AUTO_TEST_CASE(rfc3339_pads_every_field) {
  using namespace std::chrono;
  BOOST_TEST(rfc3339_utc(sys_days{year{2026} / 1 / 2} + hours{3} + minutes{4} + seconds{5}) ==
             "2026-01-02T03:04:05Z");
  BOOST_TEST(rfc3339_utc(sys_seconds{}) == "1970-01-01T00:00:00Z");
}

BOOST_AUTO_TEST_CASE(basic_credential_encodes_any_length) {
  // base64 padding: lengths 1, 2 and 3 modulo 3.
  BOOST_TEST(upstream_credential::basic("a", "").authorization() == "Basic YTo=");
  BOOST_TEST(upstream_credential::basic("a", "b").authorization() == "Basic YTpi");
  BOOST_TEST(upstream_credential::basic("ab", "c").authorization() == "Basic YWI6Yw==");
}

}  // namespace
