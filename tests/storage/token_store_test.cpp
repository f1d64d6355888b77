// The RocksDB token store's token operations, on real stores in temp directories.
#include "storage/record_codec.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

using namespace jtgw::storage;
using namespace jtgw::storage::testing;

namespace {

bool is_error(const auto& result, store_error expected) {
  return !result.has_value() && result.error() == expected;
}

std::vector<std::string> ids_of(const std::vector<token_record>& records) {
  std::vector<std::string> ids;
  for (const auto& r : records) ids.push_back(r.id);
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_store_tokens)

BOOST_AUTO_TEST_CASE(created_record_is_found_by_digest_and_id) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  auto record = make_record("Alice", "laptop", 1);
  record.expires = std::chrono::sys_days{std::chrono::year{2031} / 1 / 2};
  record.sealed_credential = "sealed-bytes";
  BOOST_TEST_REQUIRE(store->create(record).has_value());

  auto by_digest = store->find_by_digest(record.digest);
  BOOST_TEST_REQUIRE(by_digest.has_value());
  BOOST_TEST(by_digest->id == record.id);
  BOOST_TEST(by_digest->user == "Alice");
  BOOST_TEST((by_digest->expires == record.expires));
  BOOST_TEST(by_digest->sealed_credential == "sealed-bytes");
  BOOST_TEST(store->find_by_id(record.id)->label == "laptop");
  BOOST_TEST(is_error(store->find_by_digest(make_record("x", "y", 2).digest), store_error::not_found));
  BOOST_TEST(is_error(store->find_by_id("tok-2"), store_error::not_found));
}

BOOST_AUTO_TEST_CASE(reopened_store_keeps_records_indexes_policy_and_audit) {
  temp_dir dir;
  auto record = make_record("alice", "laptop", 1);
  {
    auto store = open_store(dir.store_path());
    BOOST_TEST_REQUIRE(store->create(record).has_value());
    BOOST_TEST_REQUIRE(store->create(make_record("bob", "desk", 2)).has_value());
    BOOST_TEST_REQUIRE(store->set_policy({30, at_ms(5000)}).has_value());
    BOOST_TEST_REQUIRE(store->append_audit({at_ms(10), "token.create", "alice", "alice", record.id, ""}).has_value());
  }
  auto store = open_store(dir.store_path());
  BOOST_TEST(store->find_by_digest(record.digest)->label == "laptop");
  BOOST_TEST(store->find_by_id("tok-2")->user == "bob");
  BOOST_TEST(ids_of(store->list_by_user("ALICE").value()) == std::vector<std::string>{"tok-1"});
  BOOST_TEST(store->list_all("", 100)->records.size() == 2u);
  auto policy = store->get_policy().value();
  BOOST_TEST_REQUIRE(policy.has_value());
  BOOST_TEST(policy->max_days == 30u);
  BOOST_TEST((policy->set_at == at_ms(5000)));
  // A new event at the same time lands after the old one instead of overwriting it.
  BOOST_TEST_REQUIRE(store->append_audit({at_ms(10), "token.revoke", "admin", "alice", record.id, ""}).has_value());
  auto events = store->query_audit({}).value();
  BOOST_TEST_REQUIRE(events.size() == 2u);
  BOOST_TEST(events[0].kind == "token.create");
  BOOST_TEST(events[1].kind == "token.revoke");
}

BOOST_AUTO_TEST_CASE(bulk_load_store_without_synced_writes_keeps_records_after_close) {
  temp_dir dir;
  {
    auto store = open_rocksdb_store({.path = dir.store_path(), .durable_writes = false}).value();
    for (int i = 0; i < 50; ++i)
      BOOST_TEST_REQUIRE(store->create(make_record("bulk", "l" + std::to_string(i), i)).has_value());
  }
  BOOST_TEST(open_store(dir.store_path())->list_by_user("bulk")->size() == 50u);
}

BOOST_AUTO_TEST_CASE(revoke_removes_from_every_lookup_and_list) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  auto gone = make_record("alice", "laptop", 1);
  auto kept = make_record("alice", "desktop", 2);
  BOOST_TEST_REQUIRE(store->create(gone).has_value());
  BOOST_TEST_REQUIRE(store->create(kept).has_value());

  auto removed = store->revoke(gone.id);
  BOOST_TEST_REQUIRE(removed.has_value());
  BOOST_TEST(removed->label == "laptop");
  BOOST_TEST(is_error(store->find_by_digest(gone.digest), store_error::not_found));
  BOOST_TEST(is_error(store->find_by_id(gone.id), store_error::not_found));
  BOOST_TEST(ids_of(store->list_by_user("alice").value()) == std::vector<std::string>{kept.id});
  BOOST_TEST(ids_of(store->list_all("", 100)->records) == std::vector<std::string>{kept.id});
  BOOST_TEST(is_error(store->revoke(gone.id), store_error::not_found));
  // The label is free again.
  BOOST_TEST(store->create(make_record("alice", "LAPTOP", 3)).has_value());
}

BOOST_AUTO_TEST_CASE(revoke_of_an_unknown_id_is_not_found) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  BOOST_TEST(is_error(store->revoke("no-such-id"), store_error::not_found));
  BOOST_TEST(is_error(store->revoke(""), store_error::not_found));
}

BOOST_AUTO_TEST_CASE(duplicate_label_is_refused_case_insensitively_per_user) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->create(make_record("Alice@Example.com", "Laptop", 1)).has_value());
  BOOST_TEST(is_error(store->create(make_record("Alice@Example.com", "laptop", 2)), store_error::duplicate_label));
  BOOST_TEST(is_error(store->create(make_record("alice@example.COM", "LAPTOP", 3)), store_error::duplicate_label));
  BOOST_TEST(store->create(make_record("bob@example.com", "laptop", 4)).has_value());
  BOOST_TEST(store->create(make_record("alice@example.com", "laptop 2", 5)).has_value());
  BOOST_TEST(is_error(store->find_by_id("tok-2"), store_error::not_found));
}

BOOST_AUTO_TEST_CASE(duplicate_digest_or_id_is_refused) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  auto first = make_record("alice", "a", 1);
  BOOST_TEST_REQUIRE(store->create(first).has_value());
  auto same_digest = make_record("bob", "b", 2);
  same_digest.digest = first.digest;
  BOOST_TEST(is_error(store->create(same_digest), store_error::duplicate_token));
  auto same_id = make_record("bob", "c", 3);
  same_id.id = first.id;
  BOOST_TEST(is_error(store->create(same_id), store_error::duplicate_token));
  BOOST_TEST(store->list_by_user("bob")->empty());
}

BOOST_AUTO_TEST_CASE(concurrent_creates_of_one_label_admit_exactly_one) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      auto result = store->create(make_record("alice", t % 2 ? "Shared" : "shared", 100 + t));
      (result ? created : refused)++;
      if (!result) BOOST_CHECK(result.error() == store_error::duplicate_label);
    });
  for (auto& thread : threads) thread.join();
  BOOST_TEST(created.load() == 1);
  BOOST_TEST(refused.load() == 7);
  BOOST_TEST(store->list_by_user("alice")->size() == 1u);
}

BOOST_AUTO_TEST_CASE(invalid_records_are_refused) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  std::vector<token_record> bad(7, make_record("alice", "label", 1));
  bad[0].id.clear();
  bad[1].user.clear();
  bad[2].label.clear();
  bad[3].created.reset();
  bad[4].version = legacy_record_version;
  bad[5].label.assign(max_label_bytes + 1, 'x');
  bad[6].sealed_credential.assign(max_sealed_bytes + 1, 's');
  for (std::size_t i = 0; i < bad.size(); ++i)
    BOOST_TEST(is_error(store->create(bad[i]), store_error::invalid_argument), "case " << i);
  BOOST_TEST(store->list_all("", 10)->records.empty());
}

BOOST_AUTO_TEST_CASE(revoke_user_removes_all_of_that_users_tokens_only) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->create(make_record("alice", "a", 1)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("Alice", "b", 2)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("alicex", "a", 3)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("bob", "a", 4)).has_value());

  BOOST_TEST(store->revoke_user("ALICE").value() == 2u);
  BOOST_TEST(store->list_by_user("alice")->empty());
  BOOST_TEST(is_error(store->find_by_id("tok-1"), store_error::not_found));
  BOOST_TEST(is_error(store->find_by_digest(make_record("", "", 2).digest), store_error::not_found));
  BOOST_TEST(store->list_by_user("alicex")->size() == 1u);
  BOOST_TEST(store->list_by_user("bob")->size() == 1u);
  BOOST_TEST(store->list_all("", 10)->records.size() == 2u);
  BOOST_TEST(store->revoke_user("nobody").value() == 0u);
}

BOOST_AUTO_TEST_CASE(list_by_user_is_oldest_first_with_ties_by_id) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->create(make_record("alice", "c", 3, 3000)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("alice", "a", 1, 1000)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("alice", "d", 5, 2000)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("alice", "b", 4, 2000)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("bob", "z", 9, 1)).has_value());
  BOOST_TEST(ids_of(store->list_by_user("Alice").value()) ==
             (std::vector<std::string>{"tok-1", "tok-4", "tok-5", "tok-3"}));
  BOOST_TEST(store->list_by_user("nobody")->empty());
}

BOOST_AUTO_TEST_CASE(list_all_paging_visits_every_record_once) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  constexpr int count = 25;
  for (int i = 0; i < count; ++i)
    BOOST_TEST_REQUIRE(store->create(make_record("user" + std::to_string(i % 4), "l" + std::to_string(i), i)).has_value());

  for (std::size_t page_size : {1u, 3u, 100u}) {
    std::multiset<std::string> seen;
    std::string cursor;
    std::size_t pages = 0;
    do {
      auto page = store->list_all(cursor, page_size);
      BOOST_TEST_REQUIRE(page.has_value());
      BOOST_TEST(page->records.size() <= page_size);
      for (const auto& r : page->records) seen.insert(r.id);
      cursor = page->next_cursor;
      BOOST_TEST_REQUIRE(++pages <= count + 1u);
    } while (!cursor.empty());
    BOOST_TEST(seen.size() == std::size_t{count}, "page size " << page_size);
    BOOST_TEST(std::set<std::string>(seen.begin(), seen.end()).size() == std::size_t{count});
    BOOST_TEST(pages == (count + page_size - 1) / page_size);
  }
}

BOOST_AUTO_TEST_CASE(list_all_rejects_bad_limits_and_cursors) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  BOOST_TEST(is_error(store->list_all("", 0), store_error::invalid_argument));
  BOOST_TEST(is_error(store->list_all("", max_page_limit + 1), store_error::invalid_argument));
  BOOST_TEST(is_error(store->list_all("zz", 1), store_error::invalid_argument));
  BOOST_TEST(is_error(store->list_all(std::string(64, 'g'), 1), store_error::invalid_argument));
  BOOST_TEST(store->list_all(std::string(64, 'f'), 1)->records.empty());
}

BOOST_AUTO_TEST_CASE(touch_last_used_writes_at_most_once_a_minute) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  auto record = make_record("alice", "laptop", 1);
  BOOST_TEST_REQUIRE(store->create(record).has_value());
  const auto t0 = at_ms(1'700'000'000'000);

  BOOST_TEST(store->touch_last_used(record, t0).value() == true);
  BOOST_TEST((store->find_by_digest(record.digest)->last_used == t0));
  // The caller's copy is stale (no last use): the store's own value still rules.
  BOOST_TEST(store->touch_last_used(record, t0 + std::chrono::seconds{59}).value() == false);
  BOOST_TEST((store->find_by_digest(record.digest)->last_used == t0));
  auto fresh = store->find_by_digest(record.digest).value();
  BOOST_TEST(store->touch_last_used(fresh, t0 + std::chrono::seconds{30}).value() == false);
  BOOST_TEST(store->touch_last_used(fresh, t0 + std::chrono::minutes{1}).value() == true);
  BOOST_TEST((store->find_by_digest(record.digest)->last_used == t0 + std::chrono::minutes{1}));
  // Other fields survive the rewrite.
  BOOST_TEST((store->find_by_digest(record.digest)->created == record.created));

  BOOST_TEST_REQUIRE(store->revoke(record.id).has_value());
  BOOST_TEST(is_error(store->touch_last_used(record, t0 + std::chrono::hours{1}), store_error::not_found));
  BOOST_TEST(is_error(store->find_by_digest(record.digest), store_error::not_found));
}

BOOST_AUTO_TEST_SUITE_END()
