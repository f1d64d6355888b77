// The max-lifetime rule (DESIGN.md: effective expiry = the earlier of the token's own
// expiry and max(created, policy set time) + N days) at its exact boundaries, with the
// real Authenticator and a real store at chosen instants — what a running process,
// bound to the real clock, cannot show. Policies are changed through the admin API, and
// each change applies to the very next verification.
#include "auth/authenticator.hpp"
#include "auth/token_digest.hpp"
#include "auth/token_format.hpp"
#include "gateway/admin/admin_api.hpp"
#include "storage/rocksdb_store.hpp"
#include "tests/support/base64.hpp"
#include "tests/support/binaries.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tokens.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw;
using namespace std::chrono;
using verb = boost::beast::http::verb;

namespace {

constexpr const char* user = "dave@example.com";
const storage::clock_time t0{sys_days{year{2030} / 1 / 1} + hours{9}};  // the new token's creation

struct rule_fixture {
  test_support::temp_dir dir;
  std::filesystem::path store_path = dir.path() / "store";
  std::string legacy = test_support::unknown_token();
  std::string fresh = auth::generate_token();
  std::string short_lived = auth::generate_token();
  std::unique_ptr<storage::token_store> store;
  std::unique_ptr<auth::authenticator> authenticator;
  std::unique_ptr<admin::admin_api> api;

  rule_fixture() {
    const auto made = test_support::run({test_support::make_legacy_store_bin(), store_path.string(),
                                std::string(user) + ":old-laptop:" + legacy});
    BOOST_REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    store = std::move(storage::open_rocksdb_store({.path = store_path}).value());
    add(fresh, "new", std::nullopt);
    add(short_lived, "short", sys_days{year{2030} / 1 / 3});  // valid through Jan 3
    authenticator = std::make_unique<auth::authenticator>(*store);
    api = std::make_unique<admin::admin_api>(*store);
  }
  void add(const std::string& token, const std::string& label, std::optional<sys_days> expires) {
    storage::token_record record;
    record.id = auth::generate_token_id();
    record.user = user;
    record.label = label;
    record.digest = auth::digest_of(token);
    record.created = t0;
    record.expires = expires;
    BOOST_TEST_REQUIRE(store->create(record).has_value());
  }
  // "ok", or the denial's code ("expired", …).
  std::string verify(const std::string& token, storage::clock_time at) {
    auto verdict = authenticator->verify("Basic " + test_support::base64(std::string(user) + ":" + token), "192.0.2.1", at);
    if (std::holds_alternative<auth::principal>(verdict)) return "ok";
    return std::string(auth::code(std::get<auth::denial>(verdict).reason));
  }
  void set_policy(std::uint32_t days, storage::clock_time at) {
    // The API stamps "now"; the rule needs a chosen set time, so write it as the API would.
    BOOST_TEST_REQUIRE(store->set_policy({days, at}).has_value());
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(policy_rule, rule_fixture)

BOOST_AUTO_TEST_CASE(without_a_policy_legacy_and_undated_tokens_never_expire) {
  BOOST_TEST(verify(legacy, t0 + days{36'500}) == "ok");
  BOOST_TEST(verify(fresh, t0 + days{36'500}) == "ok");
  BOOST_TEST(verify(short_lived, sys_days{year{2030} / 1 / 4} - milliseconds{1}) == "ok");
  BOOST_TEST(verify(short_lived, sys_days{year{2030} / 1 / 4}) == "expired");
}

BOOST_AUTO_TEST_CASE(ten_days_cap_a_legacy_token_from_the_set_time_and_a_new_one_from_its_creation) {
  const auto set_at = t0 - days{5};  // set before the new token was created
  set_policy(10, set_at);
  BOOST_TEST(verify(legacy, set_at + days{10} - milliseconds{1}) == "ok");
  BOOST_TEST(verify(legacy, set_at + days{10}) == "expired");
  BOOST_TEST(verify(fresh, t0 + days{10} - milliseconds{1}) == "ok");  // until its day 10
  BOOST_TEST(verify(fresh, t0 + days{10}) == "expired");
  // Its own expiry is earlier than the cap: the earlier one wins.
  BOOST_TEST(verify(short_lived, sys_days{year{2030} / 1 / 4}) == "expired");
}

BOOST_AUTO_TEST_CASE(a_policy_set_after_creation_counts_from_its_set_time) {
  const auto set_at = t0 + days{20};
  set_policy(10, set_at);
  BOOST_TEST(verify(fresh, set_at + days{10} - milliseconds{1}) == "ok");
  BOOST_TEST(verify(fresh, set_at + days{10}) == "expired");
  BOOST_TEST(verify(legacy, set_at + days{10}) == "expired");
}

BOOST_AUTO_TEST_CASE(changes_through_the_admin_api_apply_to_the_very_next_verification) {
  set_policy(10, t0 - days{5});
  const auto later = t0 + days{30};
  BOOST_TEST(verify(legacy, later) == "expired");
  BOOST_TEST(verify(fresh, later) == "expired");

  admin::admin_request clear{verb::delete_, "/policy", 11};
  BOOST_TEST_REQUIRE(api->handle(clear).result_int() == 200u);
  BOOST_TEST(verify(legacy, later) == "ok");
  BOOST_TEST(verify(fresh, later) == "ok");

  // Set through the API (stamped with the real now): a year from now both are expired,
  // and both pass again once it is cleared.
  admin::admin_request set{verb::put, "/policy", 11};
  set.body() = R"({"max_days": 10})";
  BOOST_TEST_REQUIRE(api->handle(set).result_int() == 200u);
  const auto next_year = floor<milliseconds>(system_clock::now()) + days{365};
  BOOST_TEST(verify(legacy, next_year) == "expired");
  BOOST_TEST_REQUIRE(api->handle(clear).result_int() == 200u);
  BOOST_TEST(verify(legacy, next_year) == "ok");
}

BOOST_AUTO_TEST_SUITE_END()
