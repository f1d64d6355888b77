// The admin API against a real store: every route's answers and errors, the audit
// events they write, and — for every route in the table — that none creates a token.
#include "auth/expiry.hpp"
#include "gateway/admin/admin_api.hpp"
#include "storage/audit_log.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <set>

using namespace jtgw;
using namespace jtgw::storage::testing;
namespace json = boost::json;
using verb = boost::beast::http::verb;

namespace {

struct api_fixture {
  temp_dir dir;
  std::unique_ptr<storage::token_store> store = open_store(dir.store_path());
  admin::admin_api api{*store};

  api_fixture() {
    BOOST_TEST_REQUIRE(store->create(make_record("alice", "laptop", 1)).has_value());
    BOOST_TEST_REQUIRE(store->create(make_record("alice", "tableau", 2)).has_value());
    BOOST_TEST_REQUIRE(store->create(make_record("Bob", "laptop", 3)).has_value());
  }

  admin::admin_response call(verb method, std::string target, std::string body = {}) {
    admin::admin_request request{method, target, 11};
    request.body() = std::move(body);
    request.prepare_payload();
    return api.handle(request, "admin uid=0 (root)");
  }
  json::object ok(verb method, std::string target, std::string body = {}) {
    auto response = call(method, target, body);
    BOOST_TEST_REQUIRE(response.result_int() == 200u, target << ": " << response.body());
    return json::parse(response.body()).as_object();
  }
  std::vector<storage::audit_event> events(std::string kind) {
    storage::audit_query query;
    query.kind = kind;
    return store->query_audit(query).value();
  }
  // Every token in the store, as (id, digest) pairs.
  std::set<std::pair<std::string, storage::token_digest>> tokens() {
    std::set<std::pair<std::string, storage::token_digest>> out;
    std::string cursor;
    do {
      auto page = store->list_all(cursor, 100).value();
      for (const auto& record : page.records) out.emplace(record.id, record.digest);
      cursor = page.next_cursor;
    } while (!cursor.empty());
    return out;
  }
  // True when no token exists now that did not exist in `before` (revocations may
  // remove some: that is what some routes are for).
  bool nothing_new_since(const std::set<std::pair<std::string, storage::token_digest>>& before) {
    for (const auto& token : tokens())
      if (!before.contains(token)) return false;
    return true;
  }
};

std::string error_of(const admin::admin_response& response) {
  return std::string(json::parse(response.body()).as_object().at("error").as_string());
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(admin_api, api_fixture)

BOOST_AUTO_TEST_CASE(no_route_creates_a_token) {
  // Every route in the table, with its own plausible request, and also with a body that
  // tries to smuggle a token in: the count stays and no create event appears.
  const std::string token_like = R"({"user":"mallory","label":"x","max_days":5,"dir":"/nonexistent/x","token":"jtgw_x"})";
  const auto before = tokens();
  BOOST_TEST_REQUIRE(before.size() == 3u);
  std::set<std::pair<verb, std::string_view>> seen;
  for (const auto& route : admin::admin_routes()) {
    BOOST_TEST_CONTEXT(route.pattern) {
      BOOST_TEST(!route.example_target.empty());
      seen.emplace(route.method, route.pattern);
      call(route.method, std::string(route.example_target), std::string(route.example_body));
      call(route.method, std::string(route.example_target), token_like);
      // The same path with every other method must not create one either.
      for (verb other : {verb::get, verb::post, verb::put, verb::patch, verb::delete_})
        call(other, std::string(route.example_target), token_like);
      BOOST_TEST(nothing_new_since(before));
      BOOST_TEST(events(std::string(storage::audit_kind::token_created)).empty());
    }
  }
  BOOST_TEST(seen.size() == admin::admin_routes().size());  // no two rows for one route
  BOOST_TEST(seen.size() >= 8u);
  // And no POST to any path creates one.
  for (std::string path : {"/tokens", "/users/mallory/tokens", "/token", "/tokens/new"})
    call(verb::post, path, token_like);
  BOOST_TEST(nothing_new_since(before));
  // The revoking routes did run (so the loop exercised real handlers, not just 4xx).
  BOOST_TEST(tokens().size() < before.size());
}

BOOST_AUTO_TEST_CASE(lists_metadata_only_paged_and_by_user) {
  auto all = ok(verb::get, "/tokens?limit=2");
  BOOST_TEST(all.at("tokens").as_array().size() == 2u);
  const std::string cursor(all.at("next_cursor").as_string());
  BOOST_TEST_REQUIRE(!cursor.empty());
  auto rest = ok(verb::get, "/tokens?limit=2&cursor=" + cursor);
  BOOST_TEST(rest.at("tokens").as_array().size() == 1u);
  BOOST_TEST(rest.at("next_cursor").as_string().empty());

  auto alice = ok(verb::get, "/tokens?user=ALICE");
  const auto& tokens = alice.at("tokens").as_array();
  BOOST_TEST_REQUIRE(tokens.size() == 2u);
  const auto& first = tokens[0].as_object();
  BOOST_TEST(first.at("label").as_string() == "laptop");
  BOOST_TEST(first.at("id").as_string() == "tok-1");
  BOOST_TEST(first.at("expires").is_null());
  BOOST_TEST(first.at("effective_expires").is_null());
  BOOST_TEST(first.at("legacy").as_bool() == false);
  // Metadata only: no digest, no sealed credential, under any name.
  std::set<std::string> keys;
  for (const auto& member : first) keys.insert(std::string(member.key()));
  BOOST_TEST((keys == std::set<std::string>{"id", "user", "label", "created", "expires", "effective_expires",
                                           "last_used", "legacy"}));
}

BOOST_AUTO_TEST_CASE(listing_shows_the_policy_cap_as_effective_expiry) {
  ok(verb::put, "/policy", R"({"max_days": 10})");
  auto alice = ok(verb::get, "/tokens?user=alice");
  const auto& first = alice.at("tokens").as_array()[0].as_object();
  auto policy = store->get_policy().value();
  const auto expected = auth::effective_expiry(store->find_by_id("tok-1").value(), policy);
  BOOST_TEST_REQUIRE(expected.has_value());
  BOOST_TEST(first.at("effective_expires").as_string() == auth::to_rfc3339(*expected));
}

BOOST_AUTO_TEST_CASE(bad_list_parameters_are_400) {
  BOOST_TEST(call(verb::get, "/tokens?limit=0").result_int() == 400u);
  BOOST_TEST(call(verb::get, "/tokens?limit=abc").result_int() == 400u);
  BOOST_TEST(call(verb::get, "/tokens?limit=10001").result_int() == 400u);
  BOOST_TEST(call(verb::get, "/tokens?cursor=zz").result_int() == 400u);
  BOOST_TEST(call(verb::get, "/tokens?user=").result_int() == 400u);
}

BOOST_AUTO_TEST_CASE(revoke_by_id_audits_the_actor) {
  auto done = ok(verb::delete_, "/tokens/tok-2");
  BOOST_TEST(done.at("revoked").as_string() == "tok-2");
  BOOST_TEST(done.at("label").as_string() == "tableau");
  BOOST_TEST(!store->find_by_id("tok-2").has_value());
  auto revoked = events("token.revoke");
  BOOST_TEST_REQUIRE(revoked.size() == 1u);
  BOOST_TEST(revoked[0].actor == "admin uid=0 (root)");
  BOOST_TEST(revoked[0].user == "alice");
  BOOST_TEST(revoked[0].token_id == "tok-2");

  auto again = call(verb::delete_, "/tokens/tok-2");
  BOOST_TEST(again.result_int() == 404u);
  BOOST_TEST(error_of(again) == "not_found");
  BOOST_TEST(events("token.revoke").size() == 1u);  // nothing happened, nothing audited
}

BOOST_AUTO_TEST_CASE(revoke_user_ends_every_token_of_that_user_only) {
  auto done = ok(verb::delete_, "/users/alice/tokens");
  BOOST_TEST(done.at("revoked").as_int64() == 2);
  BOOST_TEST(store->list_by_user("alice")->empty());
  BOOST_TEST(store->list_by_user("bob")->size() == 1u);
  auto audited = events("token.revoke_user");
  BOOST_TEST_REQUIRE(audited.size() == 1u);
  BOOST_TEST(audited[0].detail == "count=2");
  // Percent-encoded names (emails) are decoded.
  BOOST_TEST_REQUIRE(store->create(make_record("ann@example.com", "x", 9)).has_value());
  BOOST_TEST(ok(verb::delete_, "/users/ann%40example.com/tokens").at("revoked").as_int64() == 1);
}

BOOST_AUTO_TEST_CASE(policy_set_show_clear_with_audit) {
  BOOST_TEST(ok(verb::get, "/policy").at("max_days").is_null());
  auto set = ok(verb::put, "/policy", R"({"max_days": 10})");
  BOOST_TEST(set.at("max_days").as_int64() == 10);
  BOOST_TEST(store->get_policy().value()->max_days == 10u);
  BOOST_TEST(ok(verb::get, "/policy").at("max_days").as_int64() == 10);
  BOOST_TEST(events("policy.set").at(0).detail == "max_days=10");
  ok(verb::delete_, "/policy");
  BOOST_TEST(!store->get_policy().value().has_value());
  BOOST_TEST(events("policy.clear").size() == 1u);

  for (std::string body : {"", "{}", R"({"max_days": 0})", R"({"max_days": -3})", R"({"max_days": "10"})",
                           R"({"max_days": 36501})", "[10]", "not json"})
    BOOST_TEST(call(verb::put, "/policy", body).result_int() == 400u, body);
  BOOST_TEST(events("policy.set").size() == 1u);
}

BOOST_AUTO_TEST_CASE(audit_query_filters_by_time_user_kind_and_limit) {
  BOOST_TEST_REQUIRE(store->append_audit({at_ms(1000), "token.create", "alice", "alice", "tok-1", ""}).has_value());
  BOOST_TEST_REQUIRE(store->append_audit({at_ms(2000), "token.create", "Bob", "Bob", "tok-3", ""}).has_value());
  BOOST_TEST_REQUIRE(store->append_audit({at_ms(3000), "token.revoke", "admin", "alice", "tok-1", ""}).has_value());
  BOOST_TEST(ok(verb::get, "/audit").at("events").as_array().size() == 3u);
  BOOST_TEST(ok(verb::get, "/audit?user=alice").at("events").as_array().size() == 2u);
  BOOST_TEST(ok(verb::get, "/audit?kind=token.create").at("events").as_array().size() == 2u);
  BOOST_TEST(ok(verb::get, "/audit?since=1970-01-01T00:00:02Z").at("events").as_array().size() == 2u);
  BOOST_TEST(ok(verb::get, "/audit?until=1970-01-01T00:00:02.000Z").at("events").as_array().size() == 1u);
  auto limited = ok(verb::get, "/audit?limit=1").at("events").as_array();
  BOOST_TEST_REQUIRE(limited.size() == 1u);
  BOOST_TEST(limited[0].as_object().at("at").as_string() == "1970-01-01T00:00:01.000Z");
  BOOST_TEST(call(verb::get, "/audit?since=yesterday").result_int() == 400u);
  BOOST_TEST(call(verb::get, "/audit?limit=0").result_int() == 400u);
}

BOOST_AUTO_TEST_CASE(backup_writes_an_openable_copy_and_refuses_bad_directories) {
  const auto target = dir.path() / "backup-1";
  auto done = ok(verb::post, "/backup", json::serialize(json::object{{"dir", target.string()}}));
  BOOST_TEST(done.at("backup").as_string() == target.string());
  BOOST_TEST(open_store(target)->list_by_user("alice")->size() == 2u);
  BOOST_TEST(events("store.backup").size() == 1u);

  auto exists = call(verb::post, "/backup", json::serialize(json::object{{"dir", target.string()}}));
  BOOST_TEST(exists.result_int() == 409u);
  BOOST_TEST(call(verb::post, "/backup", R"({"dir": "relative/dir"})").result_int() == 400u);
  BOOST_TEST(call(verb::post, "/backup", R"({"dir": ""})").result_int() == 400u);
  BOOST_TEST(call(verb::post, "/backup", "{}").result_int() == 400u);
  auto orphan = call(verb::post, "/backup", R"({"dir": "/nonexistent-parent/backup"})");
  BOOST_TEST(orphan.result_int() == 500u);
  BOOST_TEST(error_of(orphan) == "backup_failed");
}

BOOST_AUTO_TEST_CASE(unknown_paths_and_methods) {
  BOOST_TEST(call(verb::get, "/nope").result_int() == 404u);
  BOOST_TEST(call(verb::get, "/tokens/tok-1/extra").result_int() == 404u);
  BOOST_TEST(call(verb::post, "/policy").result_int() == 405u);
  BOOST_TEST(call(verb::get, "/tokens/tok-1").result_int() == 405u);
  BOOST_TEST(call(verb::delete_, "/tokens/").result_int() == 404u);  // an empty id matches nothing
}

BOOST_AUTO_TEST_SUITE_END()
