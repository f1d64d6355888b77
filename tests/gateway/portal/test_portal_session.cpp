// The portal's sign-in, session cookie, CSRF, headers and page, through a real jtgw
// composition, real jira-sample and real curl.
#include "tests/gateway/portal/portal_fixture.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/secrets.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::portal::test;

BOOST_AUTO_TEST_SUITE(portal_session)

BOOST_AUTO_TEST_CASE(cloud_sign_in_sets_a_strict_http_only_cookie_and_returns_a_csrf_token) {
  portal_gateway gw;
  const auto& alice = user_named("alice");
  const auto reply = sign_in(gw, alice.email, alice.api_token);
  BOOST_TEST_REQUIRE(reply.status == 200, reply.body);
  const std::string cookie = reply.header("set-cookie");
  BOOST_TEST(cookie.starts_with("jtgw_session="), cookie);
  BOOST_TEST(has(cookie, "; HttpOnly"));
  BOOST_TEST(has(cookie, "; SameSite=Strict"));
  BOOST_TEST(has(cookie, "; Path=/"));
  BOOST_TEST(has(cookie, "; Max-Age=28800"));  // 8 hours
  BOOST_TEST(!has(cookie, "Secure"));           // plain listener: a Secure cookie would never come back
  BOOST_TEST(json_string(reply.body, "csrf_token").size() == 43u);
  BOOST_TEST(!has(cookie, json_string(reply.body, "csrf_token")));
  BOOST_TEST(reply.header("cache-control") == "no-store");

  // The session answers who is signed in, as typed at sign-in.
  const session s{cookie.substr(0, cookie.find(';')), json_string(reply.body, "csrf_token")};
  const auto status = api(gw, "GET", "/api/session", {.as = &s});
  BOOST_TEST(status.status == 200);
  BOOST_TEST(json_string(status.body, "username") == alice.email);
  BOOST_TEST(json_string(status.body, "csrf_token") == s.csrf);
}

BOOST_AUTO_TEST_CASE(the_cookie_is_secure_and_host_prefixed_on_tls_listeners) {
  portal_gateway gw({.tls = true});
  const auto& bob = user_named("bob");
  const auto reply = sign_in(gw, bob.email, bob.api_token, true);
  BOOST_TEST_REQUIRE(reply.status == 200, reply.body);
  const std::string cookie = reply.header("set-cookie");
  BOOST_TEST(cookie.starts_with("__Host-jtgw_session="), cookie);
  BOOST_TEST(has(cookie, "; Secure"));
  BOOST_TEST(has(cookie, "; HttpOnly"));
  BOOST_TEST(has(cookie, "; SameSite=Strict"));
  // The TLS session cookie is not a plain-listener session and vice versa.
  const session s{cookie.substr(0, cookie.find(';')), json_string(reply.body, "csrf_token")};
  BOOST_TEST(api(gw, "GET", "/api/tokens", {.as = &s, .tls = true}).status == 200);
  BOOST_TEST(api(gw, "GET", "/api/tokens", {.as = &s}).status == 401);
}

BOOST_AUTO_TEST_CASE(wrong_credentials_answer_401_and_are_audited) {
  portal_gateway gw;
  const auto& carol = user_named("carol");
  const auto wrong = sign_in(gw, carol.email, carol.api_token + "x");
  BOOST_TEST(wrong.status == 401, wrong.body);
  BOOST_TEST(error_code_of(wrong) == "wrong_credentials");
  BOOST_TEST(wrong.header("set-cookie").empty());
  // Another user's valid API token does not sign carol in.
  const auto& dave = user_named("dave");
  BOOST_TEST(sign_in(gw, carol.email, dave.api_token).status == 401);

  const auto events = gw.store().query_audit({.user = carol.email, .kind = "session.sign_in_failed"});
  BOOST_TEST_REQUIRE(events.has_value());
  BOOST_TEST(events->size() == 2u);
}

BOOST_AUTO_TEST_CASE(data_center_signs_in_with_a_pat_whose_owner_is_the_username) {
  portal_gateway gw({.flavor = "datacenter"});
  const auto& erin = user_named("erin");
  const auto& frank = user_named("frank");
  BOOST_TEST(sign_in(gw, erin.username, erin.pat).status == 200);
  BOOST_TEST(sign_in(gw, "ERIN", erin.pat).status == 200);  // Data Center usernames ignore case
  // Frank's PAT under erin's name would create erin's tokens acting as frank: refused.
  const auto other = sign_in(gw, erin.username, frank.pat);
  BOOST_TEST(other.status == 401);
  BOOST_TEST(has(other.body, "another Jira user"), other.body);
  BOOST_TEST(sign_in(gw, erin.username, "not-a-pat").status == 401);
}

BOOST_AUTO_TEST_CASE(jira_unreachable_answers_502) {
  portal_gateway gw({.jira_url = "http://127.0.0.1:" + std::to_string(closed_port())});
  const auto& alice = user_named("alice");
  const auto reply = sign_in(gw, alice.email, alice.api_token);
  BOOST_TEST(reply.status == 502, reply.body);
  BOOST_TEST(error_code_of(reply) == "jira_unreachable");
  BOOST_TEST(reply.header("set-cookie").empty());
}

BOOST_AUTO_TEST_CASE(failed_sign_ins_lock_the_same_pair_the_authenticator_locks) {
  portal_gateway gw;
  const auto& grace = user_named("grace");
  // A good token first, to show the lockout reaches relayed requests too.
  const auto s = signed_in(gw, grace.email, grace.api_token);
  const auto created = create_token(gw, s, "before the lockout");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  const std::string token = json_string(created.body, "token");
  BOOST_TEST(curl(gw.url("/rest/api/3/myself"), basic(grace.email, token)).status == 200);

  for (int i = 0; i < 5; ++i) BOOST_TEST(sign_in(gw, grace.email, "wrong-" + std::to_string(i)).status == 401);
  const auto locked = sign_in(gw, grace.email, grace.api_token);  // even the right secret
  BOOST_TEST(locked.status == 429, locked.body);
  BOOST_TEST(error_code_of(locked) == "locked_out");
  BOOST_TEST(std::stoi(locked.header("retry-after")) >= 1);
  // The Authenticator shares the tracker: (grace, 127.0.0.1) is locked for tokens as well.
  BOOST_TEST(curl(gw.url("/rest/api/3/myself"), basic(grace.email, token)).status == 429);
  // Other users are not affected.
  const auto& heidi = user_named("heidi");
  BOOST_TEST(sign_in(gw, heidi.email, heidi.api_token).status == 200);
}

BOOST_AUTO_TEST_CASE(state_changes_without_the_csrf_token_answer_403) {
  portal_gateway gw;
  const auto& ivan = user_named("ivan");
  const auto s = signed_in(gw, ivan.email, ivan.api_token);
  const std::string body = R"({"label":"no csrf","expires":null})";

  const auto missing = api(gw, "POST", "/api/tokens", {.as = &s, .csrf = false, .json = body});
  BOOST_TEST(missing.status == 403, missing.body);
  BOOST_TEST(error_code_of(missing) == "csrf");
  const auto wrong = api(gw, "POST", "/api/tokens",
                         {.as = &s, .csrf = false, .json = body, .curl_args = {"-H", "X-CSRF-Token: " + s.csrf + "x"}});
  BOOST_TEST(wrong.status == 403);
  // A CSRF token of another session does not do either.
  const auto other = signed_in(gw, ivan.email, ivan.api_token);
  BOOST_TEST(api(gw, "POST", "/api/tokens",
                 {.as = &s, .csrf = false, .json = body, .curl_args = {"-H", "X-CSRF-Token: " + other.csrf}})
                 .status == 403);

  const auto created = create_token(gw, s, "kept");
  BOOST_TEST_REQUIRE(created.status == 201);
  const std::string id = json_string(created.body, "id");
  BOOST_TEST(api(gw, "DELETE", "/api/tokens/" + id, {.as = &s, .csrf = false}).status == 403);
  BOOST_TEST(api(gw, "DELETE", "/api/session", {.as = &s, .csrf = false}).status == 403);
  // Nothing happened: one token, still signed in.
  const auto list = api(gw, "GET", "/api/tokens", {.as = &s});
  BOOST_TEST(list.status == 200);
  BOOST_TEST(json_of(list).as_array().size() == 1u);
}

BOOST_AUTO_TEST_CASE(requests_from_other_origins_are_refused) {
  portal_gateway gw;
  const auto& alice = user_named("alice");
  const auto s = signed_in(gw, alice.email, alice.api_token);
  const auto cross = api(gw, "POST", "/api/tokens",
                         {.as = &s, .json = R"({"label":"x"})", .curl_args = {"-H", "Origin: https://evil.example"}});
  BOOST_TEST(cross.status == 403);
  BOOST_TEST(error_code_of(cross) == "cross_origin");
  // Sign-in too (login CSRF), and a form post is not JSON.
  remember_secret(alice.api_token);
  BOOST_TEST(api(gw, "POST", "/api/session",
                 {.json = R"({"username":"a","secret":"b"})", .curl_args = {"-H", "Origin: https://evil.example"}})
                 .status == 403);
  BOOST_TEST(api(gw, "POST", "/api/session", {.curl_args = {"--data", "username=a&secret=b"}}).status == 415);
}

BOOST_AUTO_TEST_CASE(bad_bodies_answer_400_naming_the_problem) {
  portal_gateway gw;
  const auto& bob = user_named("bob");
  const auto s = signed_in(gw, bob.email, bob.api_token);

  const auto broken = api(gw, "POST", "/api/tokens", {.as = &s, .json = R"({"label": "x",)"});
  BOOST_TEST(broken.status == 400);
  BOOST_TEST(error_code_of(broken) == "bad_json");
  BOOST_TEST(has(json_string(broken.body, "message"), "not valid JSON"), broken.body);

  const auto array = api(gw, "POST", "/api/tokens", {.as = &s, .json = R"(["label"])"});
  BOOST_TEST(array.status == 400);
  BOOST_TEST(has(array.body, "JSON object"));

  const auto unknown = api(gw, "POST", "/api/tokens", {.as = &s, .json = R"({"label":"x","expiry":null})"});
  BOOST_TEST(unknown.status == 400);
  BOOST_TEST(json_string(unknown.body, "field") == "expiry");

  const auto number = api(gw, "POST", "/api/tokens", {.as = &s, .json = R"({"label":"x","expires":20300101})"});
  BOOST_TEST(number.status == 400);
  BOOST_TEST(json_string(number.body, "field") == "expires");

  const auto big = api(gw, "POST", "/api/tokens",
                       {.as = &s, .json = R"({"label":")" + std::string(10'000, 'x') + R"("})"});
  BOOST_TEST(big.status == 413);

  const auto no_user = api(gw, "POST", "/api/session", {.json = R"({"secret":"x"})"});
  BOOST_TEST(no_user.status == 400);
  BOOST_TEST(json_string(no_user.body, "field") == "username");
  const auto colon = api(gw, "POST", "/api/session", {.json = R"({"username":"a:b","secret":"x"})"});
  BOOST_TEST(json_string(colon.body, "field") == "username");
}

BOOST_AUTO_TEST_CASE(sign_out_ends_the_session_and_clears_the_cookie) {
  portal_gateway gw;
  const auto& carol = user_named("carol");
  const auto s = signed_in(gw, carol.email, carol.api_token);
  const auto out = api(gw, "DELETE", "/api/session", {.as = &s});
  BOOST_TEST(out.status == 204);
  BOOST_TEST(has(out.header("set-cookie"), "Max-Age=0"));
  BOOST_TEST(api(gw, "GET", "/api/tokens", {.as = &s}).status == 401);
  BOOST_TEST(api(gw, "GET", "/api/session", {.as = &s}).status == 401);
  BOOST_TEST(api(gw, "POST", "/api/tokens", {.as = &s, .json = R"({"label":"x"})"}).status == 401);
}

BOOST_AUTO_TEST_CASE(api_answers_are_not_stored_and_the_page_has_a_strict_csp) {
  portal_gateway gw;
  for (const char* path : {"/api/session", "/api/tokens", "/api/nothing"}) {
    const auto reply = api(gw, "GET", path);
    BOOST_TEST(reply.header("cache-control") == "no-store", path);
    BOOST_TEST(reply.header("x-content-type-options") == "nosniff");
  }
  const auto page = curl(gw.url("/"));
  BOOST_TEST(page.status == 200);
  BOOST_TEST(has(page.header("content-type"), "text/html"));
  const std::string csp = page.header("content-security-policy");
  BOOST_TEST(has(csp, "frame-ancestors 'none'"), csp);
  BOOST_TEST(has(csp, "script-src 'self'"));
  BOOST_TEST(!has(csp, "unsafe-inline"));
  BOOST_TEST(!has(csp, "unsafe-eval"));
  BOOST_TEST(page.header("x-content-type-options") == "nosniff");
  BOOST_TEST(page.header("referrer-policy") == "no-referrer");
  // Self-contained: no script, style or font from anywhere else.
  BOOST_TEST(!has(page.body, "http://"));
  BOOST_TEST(!has(page.body, "https://"));
  BOOST_TEST(!has(page.body, " style="));
  BOOST_TEST(!has(page.body, "<script>"));

  const auto script = curl(gw.url("/assets/app.js"));
  BOOST_TEST(script.status == 200);
  BOOST_TEST(has(script.header("content-type"), "text/javascript"));
  BOOST_TEST(curl(gw.url("/assets/app.css")).status == 200);
  BOOST_TEST(curl(gw.url("/assets/nope.js")).status == 404);
  BOOST_TEST(curl(gw.url("/assets/index.html")).status == 404);
  BOOST_TEST(curl(gw.url("/assets/x/../app.js"), {"--path-as-is"}).status == 404);
  BOOST_TEST(curl(gw.url("/"), {"-X", "POST"}).status == 405);
}

BOOST_AUTO_TEST_SUITE_END()
