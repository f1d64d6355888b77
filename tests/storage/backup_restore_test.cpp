// backup_to() while serving, verify_store() on sound and damaged stores, restore_store()
// into new and existing targets, refused while the target is held; record_audit().
#include "storage/audit_log.hpp"
#include "storage/maintenance.hpp"
#include "storage/meta_codec.hpp"

#include "tests/storage/raw_rocksdb.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>

using namespace jtgw::storage;
using namespace jtgw::storage::testing;
namespace fs = std::filesystem;

namespace {

bool mentions(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A store with two users' tokens, a policy and an audit event.
std::unique_ptr<token_store> populated_store(const fs::path& path) {
  auto store = open_store(path);
  BOOST_TEST_REQUIRE(store->create(make_record("alice", "laptop", 1)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("alice", "tableau", 2)).has_value());
  BOOST_TEST_REQUIRE(store->create(make_record("bob", "laptop", 3)).has_value());
  BOOST_TEST_REQUIRE(store->set_policy({30, at_ms(5000)}).has_value());
  BOOST_TEST_REQUIRE(store->append_audit({at_ms(6000), "token.create", "alice", "alice", "tok-1", ""}).has_value());
  return store;
}

}  // namespace

BOOST_AUTO_TEST_CASE(backup_of_a_serving_store_holds_every_record_and_verifies) {
  temp_dir dir;
  auto store = populated_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->backup_to(dir.path() / "backup").has_value());
  // The source keeps serving writes after the backup; the backup does not see them.
  BOOST_TEST_REQUIRE(store->revoke("tok-3").has_value());

  auto report = verify_store(dir.path() / "backup");
  BOOST_TEST_REQUIRE(report.has_value());
  BOOST_TEST(report->ok(), (report->problems.empty() ? "" : report->problems.front()));
  BOOST_TEST(report->tokens == 3u);
  BOOST_TEST(report->audit_events == 1u);
  BOOST_TEST(report->schema_version == current_schema_version);
  BOOST_TEST_REQUIRE(report->policy.has_value());
  BOOST_TEST(report->policy->max_days == 30u);

  auto copy = open_store(dir.path() / "backup");
  BOOST_TEST(copy->find_by_id("tok-3").has_value());
  BOOST_TEST(copy->list_by_user("alice")->size() == 2u);
}

BOOST_AUTO_TEST_CASE(backup_refuses_an_existing_directory_and_a_missing_parent) {
  temp_dir dir;
  auto store = populated_store(dir.store_path());
  fs::create_directory(dir.path() / "taken");
  auto existing = store->backup_to(dir.path() / "taken");
  BOOST_TEST((existing.error() == store_error::invalid_argument));
  BOOST_TEST((store->backup_to("").error() == store_error::invalid_argument));
  auto orphan = store->backup_to(dir.path() / "no" / "such" / "parent");
  BOOST_TEST_REQUIRE(!orphan.has_value());
  BOOST_TEST((orphan.error() == store_error::io_error));
  BOOST_TEST(!fs::exists(dir.path() / "no" / "such" / "parent"));
}

BOOST_AUTO_TEST_CASE(verify_finds_a_dangling_index_entry) {
  temp_dir dir;
  populated_store(dir.store_path()).reset();
  raw_put(dir.store_path(), "by_id", "tok-ghost", std::string(32, 'g'));
  auto report = verify_store(dir.store_path());
  BOOST_TEST_REQUIRE(report.has_value());
  BOOST_TEST(!report->ok());
  BOOST_TEST_REQUIRE(report->problems.size() == 1u);
  BOOST_TEST(mentions(report->problems[0], "tok-ghost"));
}

BOOST_AUTO_TEST_CASE(verify_finds_an_unreadable_record_and_policy) {
  temp_dir dir;
  populated_store(dir.store_path()).reset();
  raw_put(dir.store_path(), "tokens", std::string(32, 'x'), "\x02garbage");
  raw_put(dir.store_path(), "meta", std::string(meta_policy_key), "short");
  auto report = verify_store(dir.store_path());
  BOOST_TEST_REQUIRE(report.has_value());
  BOOST_TEST(report->problem_count == 2u);
  BOOST_TEST(report->tokens == 4u);
}

BOOST_AUTO_TEST_CASE(verify_of_something_that_is_not_a_store_is_an_error_naming_it) {
  temp_dir dir;
  auto report = verify_store(dir.path() / "nothing-here");
  BOOST_TEST_REQUIRE(!report.has_value());
  BOOST_TEST((report.error().code == store_error::io_error));
  BOOST_TEST(mentions(report.error().message, (dir.path() / "nothing-here").string()));
}

BOOST_AUTO_TEST_CASE(verify_does_not_need_the_lock_of_a_serving_store) {
  temp_dir dir;
  auto store = populated_store(dir.store_path());
  auto report = verify_store(dir.store_path());
  BOOST_TEST_REQUIRE(report.has_value());
  BOOST_TEST(report->ok());
  BOOST_TEST(report->tokens == 3u);
}

BOOST_AUTO_TEST_CASE(restore_into_a_new_directory_gives_the_backed_up_store) {
  temp_dir dir;
  auto store = populated_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->backup_to(dir.path() / "backup").has_value());
  auto restored = restore_store(dir.path() / "backup", dir.path() / "restored");
  BOOST_TEST_REQUIRE(restored.has_value(), restored.error().message);
  BOOST_TEST(restored->previous.empty());
  BOOST_TEST(restored->backup.tokens == 3u);
  auto copy = open_store(dir.path() / "restored");
  BOOST_TEST(copy->list_by_user("alice")->size() == 2u);
  BOOST_TEST((copy->get_policy()->value().max_days == 30u));
  // The backup stays usable for another restore.
  BOOST_TEST(verify_store(dir.path() / "backup")->ok());
}

BOOST_AUTO_TEST_CASE(restore_over_a_stopped_store_keeps_the_old_one_aside) {
  temp_dir dir;
  auto store = populated_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->backup_to(dir.path() / "backup").has_value());
  BOOST_TEST_REQUIRE(store->revoke("tok-1").has_value());
  store.reset();

  auto restored = restore_store(dir.path() / "backup", dir.store_path());
  BOOST_TEST_REQUIRE(restored.has_value(), restored.error().message);
  BOOST_TEST_REQUIRE(!restored->previous.empty());
  BOOST_TEST(mentions(restored->previous.filename().string(), "store.pre-restore-"));
  BOOST_TEST(open_store(dir.store_path())->find_by_id("tok-1").has_value());
  // Nothing is lost: the replaced store, with tok-1 revoked, is still there.
  BOOST_TEST(!open_store(restored->previous)->find_by_id("tok-1").has_value());
}

BOOST_AUTO_TEST_CASE(restore_is_refused_while_the_target_is_held) {
  temp_dir dir;
  auto store = populated_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->backup_to(dir.path() / "backup").has_value());
  auto restored = restore_store(dir.path() / "backup", dir.store_path());
  BOOST_TEST_REQUIRE(!restored.has_value());
  BOOST_TEST((restored.error().code == store_error::locked), restored.error().message);
  BOOST_TEST(mentions(restored.error().message, "stop jtgw"));
  // The held store is untouched and no temporary copy is left beside it.
  BOOST_TEST(store->find_by_id("tok-1").has_value());
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir.path())) ++entries;
  BOOST_TEST(entries == 2u);  // store, backup
}

BOOST_AUTO_TEST_CASE(restore_refuses_a_damaged_backup_and_a_foreign_target) {
  temp_dir dir;
  auto store = populated_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->backup_to(dir.path() / "backup").has_value());
  store.reset();

  fs::create_directory(dir.path() / "papers");
  std::ofstream(dir.path() / "papers" / "thesis.txt") << "keep me";
  auto foreign = restore_store(dir.path() / "backup", dir.path() / "papers");
  BOOST_TEST_REQUIRE(!foreign.has_value());
  BOOST_TEST((foreign.error().code == store_error::invalid_argument));
  BOOST_TEST(fs::exists(dir.path() / "papers" / "thesis.txt"));

  raw_put(dir.path() / "backup", "by_id", "tok-ghost", std::string(32, 'g'));
  auto damaged = restore_store(dir.path() / "backup", dir.path() / "restored");
  BOOST_TEST_REQUIRE(!damaged.has_value());
  BOOST_TEST((damaged.error().code == store_error::corrupt_store));
  BOOST_TEST(mentions(damaged.error().message, "tok-ghost"));
  BOOST_TEST(!fs::exists(dir.path() / "restored"));
}

BOOST_AUTO_TEST_CASE(record_audit_stores_the_event_with_the_current_time) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  const auto before = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  audit_event event;
  event.kind = audit_kind::token_revoked;
  event.actor = admin_actor;
  event.user = "alice";
  event.token_id = "tok-1";
  BOOST_TEST_REQUIRE(record_audit(*store, event).has_value());
  auto events = store->query_audit({});
  BOOST_TEST_REQUIRE(events->size() == 1u);
  BOOST_TEST((*events)[0].kind == "token.revoke");
  BOOST_TEST((*events)[0].actor == "admin");
  BOOST_TEST(((*events)[0].at >= before));

  event.detail = std::string(5000, 'x');
  BOOST_TEST((record_audit(*store, event).error() == store_error::invalid_argument));
}
