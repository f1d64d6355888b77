// Stores written by jtgw schema 1 (via tests/tools/make-legacy-store) open, migrate
// to the current schema, and keep their tokens findable and listed without dates.
#include "auth/token_digest.hpp"
#include "storage/meta_codec.hpp"
#include "storage/record_codec.hpp"
#include "tests/storage/raw_rocksdb.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <spawn.h>
#include <sys/wait.h>

using namespace jtgw::storage;
using namespace jtgw::storage::testing;

namespace {

// Runs make-legacy-store (path given by CMake) and returns its exit status.
int make_legacy_store(const std::filesystem::path& dir, std::vector<std::string> specs) {
  std::vector<std::string> args = {JTGW_MAKE_LEGACY_STORE, dir.string()};
  args.insert(args.end(), specs.begin(), specs.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

const std::string alice_token = "jtgw_legacyAliceToken1";
const std::string alice_token2 = "jtgw_legacyAliceToken2";
const std::string bob_token = "jtgw_legacyBobToken";

void make_sample(const std::filesystem::path& dir) {
  BOOST_TEST_REQUIRE(make_legacy_store(dir, {"alice@example.com:Old laptop:" + alice_token,
                                              "Alice@Example.com:old: desktop:" + alice_token2,
                                              "bob:tableau:" + bob_token}) == 0);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_store_legacy)

BOOST_AUTO_TEST_CASE(tool_rejects_malformed_specs) {
  temp_dir dir;
  BOOST_TEST(make_legacy_store(dir.store_path(), {"no-colons"}) != 0);
  BOOST_TEST(make_legacy_store(dir.store_path(), {"user:token"}) != 0);
  BOOST_TEST(make_legacy_store(dir.store_path(), {":label:token"}) != 0);
}

BOOST_AUTO_TEST_CASE(legacy_store_opens_and_tokens_are_found_by_digest_without_dates) {
  temp_dir dir;
  make_sample(dir.store_path());
  auto store = open_store(dir.store_path());
  auto alice = store->find_by_digest(jtgw::auth::digest_of(alice_token));
  BOOST_TEST_REQUIRE(alice.has_value());
  BOOST_TEST(alice->version == legacy_record_version);
  BOOST_TEST(alice->user == "alice@example.com");
  BOOST_TEST(alice->label == "Old laptop");
  BOOST_TEST(alice->is_legacy());
  BOOST_TEST(!alice->expires.has_value());
  BOOST_TEST(!alice->last_used.has_value());
  BOOST_TEST(alice->id == legacy_token_id(alice->digest));
  BOOST_TEST(store->find_by_digest(jtgw::auth::digest_of(bob_token))->label == "tableau");
  BOOST_TEST(store->find_by_digest(jtgw::auth::digest_of("jtgw_other")).error() == store_error::not_found);
}

BOOST_AUTO_TEST_CASE(migration_builds_indexes_that_survive_reopen) {
  temp_dir dir;
  make_sample(dir.store_path());
  const auto alice_id = legacy_token_id(jtgw::auth::digest_of(alice_token));
  open_store(dir.store_path()).reset();
  auto store = open_store(dir.store_path());  // second open: already schema 2
  auto listed = store->list_by_user("ALICE@example.com").value();
  BOOST_TEST_REQUIRE(listed.size() == 2u);
  for (const auto& r : listed) {
    BOOST_TEST(r.is_legacy());
    BOOST_TEST(!r.expires.has_value());
  }
  BOOST_TEST(store->find_by_id(alice_id)->label == "Old laptop");
  BOOST_TEST(store->list_all("", 100)->records.size() == 3u);
  // The duplicate-label check sees legacy labels too.
  auto clash = make_record("alice@example.com", "OLD LAPTOP", 1);
  BOOST_TEST(store->create(clash).error() == store_error::duplicate_label);
}

BOOST_AUTO_TEST_CASE(legacy_tokens_list_first_and_revoke_by_their_id) {
  temp_dir dir;
  make_sample(dir.store_path());
  auto store = open_store(dir.store_path());
  BOOST_TEST_REQUIRE(store->create(make_record("alice@example.com", "new", 1, 0)).has_value());
  auto listed = store->list_by_user("alice@example.com").value();
  BOOST_TEST_REQUIRE(listed.size() == 3u);
  BOOST_TEST(listed[0].is_legacy());
  BOOST_TEST(listed[1].is_legacy());
  BOOST_TEST(listed[2].id == "tok-1");

  auto revoked = store->revoke(legacy_token_id(jtgw::auth::digest_of(alice_token)));
  BOOST_TEST_REQUIRE(revoked.has_value());
  BOOST_TEST(store->find_by_digest(jtgw::auth::digest_of(alice_token)).error() == store_error::not_found);
  BOOST_TEST(store->list_by_user("alice@example.com")->size() == 2u);
  BOOST_TEST(store->revoke_user("bob").value() == 1u);
}

BOOST_AUTO_TEST_CASE(touching_a_legacy_token_keeps_it_undated) {
  temp_dir dir;
  make_sample(dir.store_path());
  auto store = open_store(dir.store_path());
  auto bob = store->find_by_digest(jtgw::auth::digest_of(bob_token)).value();
  BOOST_TEST(store->touch_last_used(bob, at_ms(1'000'000)).value() == true);
  auto touched = store->find_by_digest(bob.digest).value();
  BOOST_TEST((touched.last_used == at_ms(1'000'000)));
  BOOST_TEST(touched.is_legacy());
  BOOST_TEST(!touched.expires.has_value());
  BOOST_TEST(touched.id == bob.id);
  BOOST_TEST(store->find_by_id(bob.id)->label == "tableau");
}

BOOST_AUTO_TEST_CASE(unknown_record_version_stops_migration_naming_the_path) {
  temp_dir dir;
  make_sample(dir.store_path());
  raw_put(dir.store_path(), "tokens", std::string(32, '\x01'), std::string("\x09rest", 5));
  auto result = open_rocksdb_store({.path = dir.store_path()});
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST((result.error().code == store_error::unknown_record_version), result.error().message);
  BOOST_TEST(result.error().message.find(dir.store_path().string()) != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
