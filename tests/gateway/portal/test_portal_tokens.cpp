// The portal's token calls: create (rules, 201 with the token once), list, revoke, and
// the token working for relayed requests as the signed-in user (auth = "user").
#include "auth/token_format.hpp"
#include "tests/gateway/portal/portal_fixture.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/expect_no_secrets.hpp"
#include "tests/support/secrets.hpp"
#include "tests/support/tokens.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::portal::test;
namespace storage = jtgw::storage;

BOOST_AUTO_TEST_SUITE(portal_tokens)

BOOST_AUTO_TEST_CASE(a_created_token_is_shown_once_and_acts_as_its_owner_in_jira) {
  portal_gateway gw;
  const auto& alice = user_named("alice");
  const auto s = signed_in(gw, alice.email, alice.api_token);
  const std::string expires = utc_date(30);
  const auto created = create_token(gw, s, "  Tableau laptop ", expires);
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  BOOST_TEST(created.header("cache-control") == "no-store");
  const auto body = json_of(created).as_object();
  const std::string token(body.at("token").as_string());
  const std::string id(body.at("id").as_string());
  BOOST_TEST((jtgw::auth::check_token_shape(token) == jtgw::auth::token_shape_error::ok));
  BOOST_TEST(body.at("label").as_string() == "Tableau laptop");  // trimmed
  BOOST_TEST(body.at("expires").as_string() == expires);
  BOOST_TEST(std::string(body.at("created").as_string()).ends_with("Z"));

  // The record holds the digest and the sealed Jira credential, never either secret.
  const auto record = gw.store().find_by_id(id);
  BOOST_TEST_REQUIRE(record.has_value());
  BOOST_TEST(record->user == alice.email);
  BOOST_TEST(!record->sealed_credential.empty());
  BOOST_TEST(!has(record->sealed_credential, alice.api_token));

  // Listed without the secret.
  const auto list = api(gw, "GET", "/api/tokens", {.as = &s});
  BOOST_TEST_REQUIRE(list.status == 200);
  BOOST_TEST(list.header("cache-control") == "no-store");
  BOOST_TEST(!has(list.body, token));
  const auto listed = json_of(list).as_array().at(0).as_object();
  BOOST_TEST(listed.at("id").as_string() == id);
  BOOST_TEST(listed.at("expires").as_string() == expires);
  BOOST_TEST(listed.at("last_used").is_null());
  BOOST_TEST(!listed.contains("token"));

  // Tableau's request: Basic email:token → jtgw → Jira as alice, with her sealed credential.
  const auto myself = curl(gw.url("/rest/api/3/myself"), basic(alice.email, token));
  BOOST_TEST(myself.status == 200, myself.body);
  BOOST_TEST(json_string(myself.body, "emailAddress") == alice.email);
  // Now last_used shows.
  const auto after = json_of(api(gw, "GET", "/api/tokens", {.as = &s})).as_array().at(0).as_object();
  BOOST_TEST(after.at("last_used").is_string());

  expect_no_secrets_in_logs();
}

BOOST_AUTO_TEST_CASE(a_data_center_token_relays_with_the_users_pat) {
  portal_gateway gw({.flavor = "datacenter"});
  const auto& bob = user_named("bob");
  const auto s = signed_in(gw, bob.username, bob.pat);
  const auto created = create_token(gw, s, "dc");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  const auto myself = curl(gw.url("/rest/api/2/myself"), basic(bob.username, json_string(created.body, "token")));
  BOOST_TEST(myself.status == 200, myself.body);
  BOOST_TEST(json_string(myself.body, "name") == bob.username);
  expect_no_secrets_in_logs();
}

BOOST_AUTO_TEST_CASE(expiry_dates_in_the_past_answer_400_and_never_is_null) {
  portal_gateway gw;
  const auto& carol = user_named("carol");
  const auto s = signed_in(gw, carol.email, carol.api_token);
  const auto past = create_token(gw, s, "past", utc_date(-1));
  BOOST_TEST(past.status == 400, past.body);
  BOOST_TEST(json_string(past.body, "field") == "expires");
  BOOST_TEST(has(json_string(past.body, "message"), "before today"));

  const auto bad = create_token(gw, s, "bad date", "2030-02-30");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(json_string(bad.body, "field") == "expires");

  const auto never = create_token(gw, s, "never");
  BOOST_TEST_REQUIRE(never.status == 201, never.body);
  BOOST_TEST(json_of(never).as_object().at("expires").is_null());
  BOOST_TEST(json_of(never).as_object().at("expires_at").is_null());
}

BOOST_AUTO_TEST_CASE(labels_are_required_limited_and_unique_per_user_ignoring_case) {
  portal_gateway gw;
  const auto& dave = user_named("dave");
  const auto& erin = user_named("erin");
  const auto s = signed_in(gw, dave.email, dave.api_token);

  const auto missing = api(gw, "POST", "/api/tokens", {.as = &s, .json = R"({"expires":null})"});
  BOOST_TEST(missing.status == 400);
  BOOST_TEST(json_string(missing.body, "field") == "label");
  BOOST_TEST(create_token(gw, s, "   ").status == 400);
  const auto long_label = create_token(gw, s, std::string(65, 'x'));
  BOOST_TEST(long_label.status == 400);
  BOOST_TEST(has(json_string(long_label.body, "message"), "64"));
  BOOST_TEST(create_token(gw, s, std::string(64, 'x')).status == 201);

  BOOST_TEST(create_token(gw, s, "Laptop").status == 201);
  const auto duplicate = create_token(gw, s, "LAPTOP");
  BOOST_TEST(duplicate.status == 409, duplicate.body);
  BOOST_TEST(error_code_of(duplicate) == "duplicate_label");
  BOOST_TEST(json_string(duplicate.body, "field") == "label");
  // Another user may use the same label.
  const auto other = signed_in(gw, erin.email, erin.api_token);
  BOOST_TEST(create_token(gw, other, "Laptop").status == 201);
}

BOOST_AUTO_TEST_CASE(the_admins_lifetime_policy_caps_the_expiry_date) {
  portal_gateway gw;
  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  BOOST_TEST_REQUIRE(gw.store().set_policy({.max_days = 7, .set_at = now}).has_value());
  const auto& frank = user_named("frank");
  const auto s = signed_in(gw, frank.email, frank.api_token);

  const auto too_late = create_token(gw, s, "too late", utc_date(8));
  BOOST_TEST(too_late.status == 400, too_late.body);
  BOOST_TEST(json_string(too_late.body, "field") == "expires");
  BOOST_TEST(has(json_string(too_late.body, "message"), "7 days"));
  BOOST_TEST(has(json_string(too_late.body, "message"), utc_date(7)));
  const auto never = create_token(gw, s, "never");
  BOOST_TEST(never.status == 400);
  BOOST_TEST(json_string(never.body, "field") == "expires");
  BOOST_TEST(create_token(gw, s, "in time", utc_date(7)).status == 201);

  // The page learns the bounds from the session.
  const auto status = json_of(api(gw, "GET", "/api/session", {.as = &s})).as_object();
  BOOST_TEST(status.at("max_expires").as_string() == utc_date(7));
  BOOST_TEST(status.at("max_days").to_number<int>() == 7);
  BOOST_TEST(status.at("today").as_string() == utc_date(0));
}

BOOST_AUTO_TEST_CASE(revoking_works_on_the_next_request_and_only_for_the_owner) {
  portal_gateway gw;
  const auto& grace = user_named("grace");
  const auto& heidi = user_named("heidi");
  const auto g = signed_in(gw, grace.email, grace.api_token);
  const auto h = signed_in(gw, heidi.email, heidi.api_token);
  const auto created = create_token(gw, g, "to revoke");
  BOOST_TEST_REQUIRE(created.status == 201);
  const std::string id = json_string(created.body, "id");
  const std::string token = json_string(created.body, "token");
  BOOST_TEST(curl(gw.url("/rest/api/3/myself"), basic(grace.email, token)).status == 200);

  // Heidi cannot revoke (or learn about) grace's token: the same 404 as a missing id.
  const auto foreign = api(gw, "DELETE", "/api/tokens/" + id, {.as = &h});
  BOOST_TEST(foreign.status == 404, foreign.body);
  BOOST_TEST(api(gw, "DELETE", "/api/tokens/0123456789abcdef0123456789abcdef", {.as = &h}).status == 404);
  BOOST_TEST(gw.store().find_by_id(id).has_value());

  const auto revoked = api(gw, "DELETE", "/api/tokens/" + id, {.as = &g});
  BOOST_TEST(revoked.status == 204, revoked.body);
  BOOST_TEST(curl(gw.url("/rest/api/3/myself"), basic(grace.email, token)).status == 401);
  BOOST_TEST(json_of(api(gw, "GET", "/api/tokens", {.as = &g})).as_array().empty());
  BOOST_TEST(api(gw, "DELETE", "/api/tokens/" + id, {.as = &g}).status == 404);

  const auto events = gw.store().query_audit({.user = grace.email, .kind = "token.revoke"});
  BOOST_TEST_REQUIRE(events.has_value());
  BOOST_TEST_REQUIRE(events->size() == 1u);
  BOOST_TEST(events->at(0).token_id == id);
  const auto creates = gw.store().query_audit({.user = grace.email, .kind = "token.create"});
  BOOST_TEST(creates->size() == 1u);
}

BOOST_AUTO_TEST_CASE(legacy_tokens_list_without_dates_and_can_be_revoked) {
  const auto& bob = user_named("bob");
  const std::string legacy = unknown_token();
  remember_secret(legacy);
  portal_gateway gw({.legacy_tokens = {bob.email + ":old laptop:" + legacy}});
  const auto s = signed_in(gw, bob.email, bob.api_token);
  const auto list = api(gw, "GET", "/api/tokens", {.as = &s});
  BOOST_TEST_REQUIRE(list.status == 200, list.body);
  const auto tokens = json_of(list).as_array();
  BOOST_TEST_REQUIRE(tokens.size() == 1u);
  const auto& old = tokens.at(0).as_object();
  BOOST_TEST(old.at("label").as_string() == "old laptop");
  BOOST_TEST(old.at("created").is_null());     // the page shows "unknown"
  BOOST_TEST(old.at("expires").is_null());     // and "never"
  BOOST_TEST(old.at("expires_at").is_null());
  const std::string id(old.at("id").as_string());
  BOOST_TEST(api(gw, "DELETE", "/api/tokens/" + id, {.as = &s}).status == 204);
  BOOST_TEST(json_of(api(gw, "GET", "/api/tokens", {.as = &s})).as_array().empty());
}

BOOST_AUTO_TEST_CASE(the_username_always_comes_from_the_session) {
  portal_gateway gw;
  const auto& ivan = user_named("ivan");
  const auto s = signed_in(gw, ivan.email, ivan.api_token);
  // There is no field to name a user: an attempt is an unknown field, not another owner.
  const auto named = api(gw, "POST", "/api/tokens", {.as = &s, .json = R"({"label":"x","user":"alice@example.com"})"});
  BOOST_TEST(named.status == 400);
  BOOST_TEST(json_string(named.body, "field") == "user");
  BOOST_TEST(api(gw, "GET", "/api/tokens").status == 401);
  BOOST_TEST(api(gw, "POST", "/api/tokens", {.json = R"({"label":"x"})"}).status == 401);
}

BOOST_AUTO_TEST_CASE(the_tableau_data_source_names_this_gateway_and_the_user_but_no_secret) {
  portal_gateway gw;
  const auto& alice = user_named("alice");
  const auto s = signed_in(gw, alice.email, alice.api_token);
  const auto tds = api(gw, "GET", "/api/tableau.tds", {.as = &s});
  BOOST_TEST_REQUIRE(tds.status == 200);
  BOOST_TEST(has(tds.header("content-disposition"), "attachment"));

  BOOST_TEST(has(tds.body, "server='" + gw.url("/odata/") + "'"), tds.body);
  BOOST_TEST(has(tds.body, "username='" + alice.email + "'"));
  BOOST_TEST(!has(tds.body, alice.api_token));
  BOOST_TEST(api(gw, "GET", "/api/tableau.tds").status == 401);
}

BOOST_AUTO_TEST_SUITE_END()
