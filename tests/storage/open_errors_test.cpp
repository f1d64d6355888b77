// Opening a store: lock held elsewhere, schema too new, corruption, missing store.
#include "storage/meta_codec.hpp"
#include "tests/storage/raw_rocksdb.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace jtgw::storage;
using namespace jtgw::storage::testing;

namespace {

bool mentions(const std::string& message, const std::string& text) { return message.find(text) != std::string::npos; }

auto try_open(const std::filesystem::path& path, bool create = true) {
  return open_rocksdb_store({.path = path, .block_cache_bytes = 1u << 20, .create_if_missing = create});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(token_store_open)

BOOST_AUTO_TEST_CASE(missing_store_is_created) {
  temp_dir dir;
  auto path = dir.path() / "a" / "b";
  std::filesystem::create_directories(path.parent_path());
  BOOST_TEST(try_open(path).has_value());
  BOOST_TEST(std::filesystem::exists(path / "CURRENT"));
}

BOOST_AUTO_TEST_CASE(missing_store_without_create_names_the_path) {
  temp_dir dir;
  auto result = try_open(dir.store_path(), false);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST((result.error().code == store_error::io_error));
  BOOST_TEST(mentions(result.error().message, dir.store_path().string()));
}

BOOST_AUTO_TEST_CASE(second_open_in_this_process_is_locked) {
  temp_dir dir;
  auto first = open_store(dir.store_path());
  auto second = try_open(dir.store_path());
  BOOST_TEST_REQUIRE(!second.has_value());
  BOOST_TEST((second.error().code == store_error::locked), second.error().message);
  BOOST_TEST(mentions(second.error().message, dir.store_path().string()));
  // After the first closes, the store opens again.
  first.reset();
  BOOST_TEST(try_open(dir.store_path()).has_value());
}

BOOST_AUTO_TEST_CASE(store_held_by_another_process_is_locked) {
  temp_dir dir;
  int ready[2], release[2];
  BOOST_TEST_REQUIRE(::pipe(ready) == 0);
  BOOST_TEST_REQUIRE(::pipe(release) == 0);
  // Fork before this process opens anything, so the child starts without RocksDB threads.
  pid_t child = ::fork();
  BOOST_TEST_REQUIRE(child >= 0);
  if (child == 0) {
    auto store = open_rocksdb_store({.path = dir.store_path()});
    char byte = store ? 'y' : 'n';
    (void)!::write(ready[1], &byte, 1);
    (void)!::read(release[0], &byte, 1);
    ::_exit(store ? 0 : 1);
  }
  char byte = 0;
  BOOST_TEST_REQUIRE(::read(ready[0], &byte, 1) == 1);
  BOOST_TEST_REQUIRE(byte == 'y');
  auto result = try_open(dir.store_path());
  (void)!::write(release[1], &byte, 1);
  int status = 0;
  BOOST_TEST(::waitpid(child, &status, 0) == child);
  for (int fd : {ready[0], ready[1], release[0], release[1]}) ::close(fd);
  BOOST_TEST(WIFEXITED(status));
  BOOST_TEST(WEXITSTATUS(status) == 0);
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST((result.error().code == store_error::locked), result.error().message);
  BOOST_TEST(mentions(result.error().message, dir.store_path().string()));
}

BOOST_AUTO_TEST_CASE(newer_schema_is_refused_naming_both_versions_and_path) {
  temp_dir dir;
  open_store(dir.store_path()).reset();
  raw_put(dir.store_path(), "meta", std::string(meta_schema_key), "3");
  raw_put(dir.store_path(), "from_the_future", "k", "v");  // a newer jtgw's extra family
  auto result = try_open(dir.store_path());
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST((result.error().code == store_error::schema_too_new));
  BOOST_TEST(mentions(result.error().message, dir.store_path().string()));
  BOOST_TEST(mentions(result.error().message, "schema version 3"));
  BOOST_TEST(mentions(result.error().message, "up to 2"));
}

BOOST_AUTO_TEST_CASE(unreadable_schema_version_is_a_corrupt_store) {
  temp_dir dir;
  open_store(dir.store_path()).reset();
  raw_put(dir.store_path(), "meta", std::string(meta_schema_key), "two");
  auto result = try_open(dir.store_path());
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST((result.error().code == store_error::corrupt_store));
  BOOST_TEST(mentions(result.error().message, dir.store_path().string()));
}

BOOST_AUTO_TEST_CASE(tokens_without_schema_version_are_a_corrupt_store) {
  temp_dir dir;
  raw_put(dir.store_path(), "tokens", std::string(32, 'd'), "whatever");
  auto result = try_open(dir.store_path());
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST((result.error().code == store_error::corrupt_store));
}

BOOST_AUTO_TEST_CASE(damaged_rocksdb_files_are_a_corrupt_store_naming_the_path) {
  temp_dir dir;
  open_store(dir.store_path()).reset();
  std::ofstream(dir.store_path() / "CURRENT", std::ios::trunc) << "garbage-without-newline";
  auto result = try_open(dir.store_path());
  BOOST_TEST_REQUIRE(!result.has_value());
  BOOST_TEST((result.error().code == store_error::corrupt_store), result.error().message);
  BOOST_TEST(mentions(result.error().message, dir.store_path().string()));
}

BOOST_AUTO_TEST_CASE(value_throws_with_the_message) {
  temp_dir dir;
  auto first = open_store(dir.store_path());
  BOOST_CHECK_EXCEPTION(try_open(dir.store_path()).value(), boost::system::system_error,
                        [&](const boost::system::system_error& e) {
                          return mentions(e.what(), dir.store_path().string()) && e.code() == store_error::locked;
                        });
}

BOOST_AUTO_TEST_SUITE_END()
