// The RocksDB token store's policy and audit operations.
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

using namespace jtgw::storage;
using namespace jtgw::storage::testing;

namespace {

std::vector<std::string> details_of(const std::vector<audit_event>& events) {
  std::vector<std::string> details;
  for (const auto& e : events) details.push_back(e.detail);
  return details;
}

// Events at 100, 200, …; each detail names its position for readable failures.
void append_sample_events(token_store& store) {
  const struct { std::int64_t at; const char* kind; const char* user; } events[] = {
      {100, "token.create", "alice"}, {200, "token.create", "bob"},   {300, "token.revoke", "Alice"},
      {300, "policy.set", "admin"},   {400, "token.create", "alice"}, {500, "token.revoke", "bob"},
  };
  int n = 0;
  for (const auto& e : events)
    BOOST_TEST_REQUIRE(store.append_audit({at_ms(e.at), e.kind, "actor", e.user, "tok", "e" + std::to_string(n++)})
                           .has_value());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_store_policy_audit)

BOOST_AUTO_TEST_CASE(policy_get_set_clear_persists) {
  temp_dir dir;
  {
    auto store = open_store(dir.store_path());
    BOOST_TEST(!store->get_policy().value().has_value());
    BOOST_TEST_REQUIRE(store->set_policy({90, at_ms(1000)}).has_value());
    BOOST_TEST_REQUIRE(store->set_policy({30, at_ms(2000)}).has_value());
    BOOST_TEST(store->set_policy({0, at_ms(3000)}).error() == store_error::invalid_argument);
  }
  {
    auto store = open_store(dir.store_path());
    auto policy = store->get_policy().value();
    BOOST_TEST_REQUIRE(policy.has_value());
    BOOST_TEST(policy->max_days == 30u);
    BOOST_TEST((policy->set_at == at_ms(2000)));
    BOOST_TEST_REQUIRE(store->clear_policy().has_value());
    BOOST_TEST(store->clear_policy().has_value());
  }
  auto store = open_store(dir.store_path());
  BOOST_TEST(!store->get_policy().value().has_value());
}

// The policy is cached for the Authenticator's read on every request: each change must
// show on the very next read of the same store object.
BOOST_AUTO_TEST_CASE(policy_changes_show_on_the_next_read) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  BOOST_TEST(!store->get_policy().value().has_value());
  for (const std::uint32_t days : {90u, 30u}) {
    BOOST_TEST_REQUIRE(store->set_policy({days, at_ms(days)}).has_value());
    const auto policy = store->get_policy().value();
    BOOST_TEST_REQUIRE(policy.has_value());
    BOOST_TEST(policy->max_days == days);
    BOOST_TEST((policy->set_at == at_ms(days)));
  }
  BOOST_TEST(store->set_policy({0, at_ms(1)}).error() == store_error::invalid_argument);
  BOOST_TEST(store->get_policy().value()->max_days == 30u);
  BOOST_TEST_REQUIRE(store->clear_policy().has_value());
  BOOST_TEST(!store->get_policy().value().has_value());
}

// Readers do not take the writers' lock: a read racing a write sees the policy before or
// after it, never half of each (every policy written here has set_at = max_days ms).
BOOST_AUTO_TEST_CASE(policy_reads_racing_writes_see_whole_policies) {
  temp_dir dir;
  auto opened = open_rocksdb_store(
      {.path = dir.store_path(), .block_cache_bytes = 1u << 20, .create_if_missing = true, .durable_writes = false});
  BOOST_TEST_REQUIRE(opened.has_value());
  token_store& store = **opened;
  constexpr std::uint32_t writes = 2000;
  std::atomic<bool> writing{true};
  std::uint64_t reads = 0;
  std::uint64_t torn = 0;
  std::thread reader([&] {
    while (writing.load()) {
      const auto policy = store.get_policy();
      ++reads;
      if (!policy || (*policy && (*policy)->set_at != at_ms((*policy)->max_days))) ++torn;
    }
  });
  for (std::uint32_t days = 1; days <= writes; ++days) {
    if (days % 7 == 0)
      BOOST_TEST_REQUIRE(store.clear_policy().has_value());
    else
      BOOST_TEST_REQUIRE(store.set_policy({days, at_ms(days)}).has_value());
  }
  writing = false;
  reader.join();
  BOOST_TEST(torn == 0u, torn << " of " << reads << " reads saw a torn or failed policy");
  BOOST_TEST(store.get_policy().value()->max_days == writes);
}

BOOST_AUTO_TEST_CASE(audit_query_by_time_range) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  append_sample_events(*store);
  BOOST_TEST(details_of(store->query_audit({}).value()) ==
             (std::vector<std::string>{"e0", "e1", "e2", "e3", "e4", "e5"}));
  audit_query range;
  range.since = at_ms(200);  // inclusive
  range.until = at_ms(400);  // exclusive
  BOOST_TEST(details_of(store->query_audit(range).value()) == (std::vector<std::string>{"e1", "e2", "e3"}));
  range.since = at_ms(301);
  range.until = at_ms(1000);
  BOOST_TEST(details_of(store->query_audit(range).value()) == (std::vector<std::string>{"e4", "e5"}));
  range.since = at_ms(600);
  BOOST_TEST(store->query_audit(range)->empty());
}

BOOST_AUTO_TEST_CASE(audit_query_by_user_kind_and_limit) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  append_sample_events(*store);
  audit_query by_user;
  by_user.user = "ALICE";
  BOOST_TEST(details_of(store->query_audit(by_user).value()) == (std::vector<std::string>{"e0", "e2", "e4"}));
  audit_query by_kind;
  by_kind.kind = "token.revoke";
  BOOST_TEST(details_of(store->query_audit(by_kind).value()) == (std::vector<std::string>{"e2", "e5"}));
  audit_query both = by_kind;
  both.user = "bob";
  both.since = at_ms(0);
  BOOST_TEST(details_of(store->query_audit(both).value()) == (std::vector<std::string>{"e5"}));
  audit_query limited = by_user;
  limited.limit = 2;
  BOOST_TEST(details_of(store->query_audit(limited).value()) == (std::vector<std::string>{"e0", "e2"}));
  limited.limit = 0;
  BOOST_TEST(store->query_audit(limited).error() == store_error::invalid_argument);
}

BOOST_AUTO_TEST_CASE(audit_refuses_oversized_fields) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  audit_event event{at_ms(1), "k", "a", "u", "t", std::string(5000, 'x')};
  BOOST_TEST(store->append_audit(event).error() == store_error::invalid_argument);
  BOOST_TEST(store->query_audit({})->empty());
}

BOOST_AUTO_TEST_SUITE_END()
