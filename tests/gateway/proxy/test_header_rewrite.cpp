// Header rewriting at the client/Jira boundary: what is dropped, added and replaced.
#include "gateway/proxy/header_rewrite.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

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

// The written header text, parsed back by Beast: it must be a valid HTTP/1.1 header.
template <bool is_request>
bhttp::header<is_request> parse(const std::string& text) {
  bhttp::parser<is_request, bhttp::empty_body> parser;
  parser.eager(false);
  if constexpr (!is_request) parser.skip(true);  // a header only: no body follows
  boost::system::error_code ec;
  const auto used = parser.put(boost::asio::buffer(text), ec);
  BOOST_TEST_REQUIRE(!ec, ec.message() << " in\n" << text);
  BOOST_TEST(used == text.size());
  BOOST_TEST(parser.is_header_done());
  return parser.release().base();
}

bhttp::request_header<> rewritten(const bhttp::request_header<>& client, const forward_context& ctx,
                                  bool chunked = false) {
  std::string text = "stale content is replaced";
  write_upstream_request_header(text, client, "", client.target(), ctx, chunked);
  return parse<true>(text);
}

BOOST_AUTO_TEST_CASE(user_mode_request_is_rewritten) {
  const auto credential = upstream_credential::basic("alice@example.com", "jira-api-token");
  const auto h = rewritten(client_request(), {"127.0.0.9", true, "req-42", "jira.example.com", &credential, ""});

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
  BOOST_TEST(h.method() == bhttp::verb::get);
  BOOST_TEST(h.version() == 11u);
  BOOST_TEST(count(h, "Host") == 1u);
  BOOST_TEST(count(h, "X-Request-Id") == 1u);
}

BOOST_AUTO_TEST_CASE(request_target_gets_the_base_path_and_framing) {
  const auto credential = upstream_credential::bearer("pat-secret");
  auto client = client_request();
  client.method(bhttp::verb::post);
  client.target("/rest/api/2/search");
  client.set(field::transfer_encoding, "chunked");
  client.set("X-Request-Id", "forged");
  client.set("X-Forwarded-Proto", "https");
  std::string text;
  write_upstream_request_header(text, client, "/jira", client.target(),
                                {"127.0.0.1", false, "r9", "jira", &credential, "alice"}, true);
  const auto h = parse<true>(text);
  BOOST_TEST(h.target() == "/jira/rest/api/2/search");
  BOOST_TEST(h.method() == bhttp::verb::post);
  BOOST_TEST(h[field::transfer_encoding] == "chunked");
  BOOST_TEST(count(h, "Transfer-Encoding") == 1u);
  // What only jtgw asserts is jtgw's, whatever the client sent.
  BOOST_TEST(h["X-Request-Id"] == "r9");
  BOOST_TEST(count(h, "X-Request-Id") == 1u);
  BOOST_TEST(h["X-Forwarded-Proto"] == "http");
  BOOST_TEST(count(h, "X-Forwarded-Proto") == 1u);

  auto sized = client_request();
  sized.method(bhttp::verb::post);
  sized.set(field::content_length, "17");
  const auto s = rewritten(sized, {"127.0.0.1", false, "r9", "jira", &credential, ""});
  BOOST_TEST(s[field::content_length] == "17");
  BOOST_TEST(count(s, "Transfer-Encoding") == 0u);
}

BOOST_AUTO_TEST_CASE(service_mode_names_the_user_and_uses_bearer) {
  const auto credential = upstream_credential::bearer("pat-secret");
  auto client = client_request();
  client.erase(field::host);
  client.erase("X-Forwarded-For");
  const auto h = rewritten(client, {"::1", false, "r1", "jira:8080", &credential, "alice"});
  BOOST_TEST(h[field::authorization] == "Bearer pat-secret");
  BOOST_TEST(h["X-Forwarded-User"] == "alice");
  BOOST_TEST(count(h, "X-Forwarded-User") == 1u);
  BOOST_TEST(h["X-Forwarded-For"] == "::1");
  BOOST_TEST(h["X-Forwarded-Proto"] == "http");
  BOOST_TEST(count(h, "X-Forwarded-Host") == 0u);
  BOOST_TEST(h[field::host] == "jira:8080");
}

bhttp::response_header<> jira_response() {
  bhttp::response_header<> h;
  h.result(bhttp::status::ok);
  h.reason("Fine");
  h.insert(field::set_cookie, "a=1");
  h.insert(field::set_cookie, "b=2");
  h.set(field::connection, "close, X-Hop");
  h.set("X-Hop", "1");
  h.set(field::transfer_encoding, "chunked");
  h.set(field::proxy_authenticate, "Basic");
  h.set(field::content_type, "application/json");
  h.set(field::content_length, "2048");
  h.set("X-AREQUESTID", "7");
  h.set("X-Request-Id", "jira-made");
  h.set("X-Jtgw-Token-Expires", "forged");
  return h;
}

BOOST_AUTO_TEST_CASE(response_drops_cookies_and_hops_and_adds_expiry) {
  using namespace std::chrono;
  const sys_seconds expires = sys_days{year{2025} / 12 / 31} + hours{23} + minutes{59} + seconds{59};
  std::string text;
  write_client_response_header(text, head_of(jira_response()), {11, true, false, "req-7", expires});
  BOOST_TEST(text.starts_with("HTTP/1.1 200 Fine\r\n"));
  const auto h = parse<false>(text);
  for (auto gone : {"Set-Cookie", "Connection", "X-Hop", "Transfer-Encoding", "Proxy-Authenticate"})
    BOOST_TEST(count(h, gone) == 0u, gone << " should be dropped");
  BOOST_TEST(h[field::content_type] == "application/json");
  BOOST_TEST(h[field::content_length] == "2048");
  BOOST_TEST(h["X-AREQUESTID"] == "7");
  BOOST_TEST(h["X-Request-Id"] == "req-7");
  BOOST_TEST(count(h, "X-Request-Id") == 1u);
  BOOST_TEST(h["X-Jtgw-Token-Expires"] == "2025-12-31T23:59:59Z");
  BOOST_TEST(count(h, "X-Jtgw-Token-Expires") == 1u);

  write_client_response_header(text, head_of(jira_response()), {11, true, false, "req-8", std::nullopt});
  BOOST_TEST(count(parse<false>(text), "X-Jtgw-Token-Expires") == 0u);
}

BOOST_AUTO_TEST_CASE(response_framing_and_connection_follow_the_client) {
  std::string text;
  // Re-chunked: Jira's Content-Length must not survive next to Transfer-Encoding.
  write_client_response_header(text, head_of(jira_response()), {11, true, true, "r", std::nullopt});
  auto h = parse<false>(text);
  BOOST_TEST(h[field::transfer_encoding] == "chunked");
  BOOST_TEST(count(h, "Content-Length") == 0u);
  BOOST_TEST(count(h, "Connection") == 0u);

  write_client_response_header(text, head_of(jira_response()), {11, false, false, "r", std::nullopt});
  h = parse<false>(text);
  BOOST_TEST(h[field::connection] == "close");
  BOOST_TEST(count(h, "Connection") == 1u);

  write_client_response_header(text, head_of(jira_response()), {10, true, false, "r", std::nullopt});
  BOOST_TEST(text.starts_with("HTTP/1.0 200 Fine\r\n"));
  BOOST_TEST(parse<false>(text)[field::connection] == "keep-alive");
  write_client_response_header(text, head_of(jira_response()), {10, false, false, "r", std::nullopt});
  BOOST_TEST(count(parse<false>(text), "Connection") == 0u);

  // No reason phrase from Jira: the standard one.
  auto bare = jira_response();
  bare.result(bhttp::status::not_found);
  bare.reason("");
  write_client_response_header(text, head_of(bare), {11, true, false, "r", std::nullopt});
  BOOST_TEST(text.starts_with("HTTP/1.1 404 Not Found\r\n"));
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
