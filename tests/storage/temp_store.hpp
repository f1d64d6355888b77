#pragma once
// Test support: a unique temporary directory removed afterwards, and records to store.

#include "storage/rocksdb_store.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace jtgw::storage::testing {

/// A fresh directory under the system temp dir; removed (with its contents) on scope exit.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "jtgw-storage-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// A not-yet-existing path inside this directory, for a store to create.
  std::filesystem::path store_path() const { return path_ / "store"; }

 private:
  std::filesystem::path path_;
};

/// Opens a store, failing the test with the open error's message otherwise.
inline std::unique_ptr<token_store> open_store(const std::filesystem::path& path) {
  auto store = open_rocksdb_store({.path = path, .block_cache_bytes = 1u << 20, .create_if_missing = true});
  if (!store) BOOST_FAIL("open failed: " << store.error().message);
  return std::move(*store);
}

inline clock_time at_ms(std::int64_t ms) { return clock_time{std::chrono::milliseconds{ms}}; }

/// A v2 record with a digest and id derived from `seed` (distinct seeds, distinct tokens).
inline token_record make_record(std::string user, std::string label, int seed, std::int64_t created_ms = 1000) {
  token_record record;
  record.id = "tok-" + std::to_string(seed);
  record.user = std::move(user);
  record.label = std::move(label);
  for (std::size_t i = 0; i < record.digest.size(); ++i)
    record.digest[i] = static_cast<std::uint8_t>((seed * 131 + static_cast<int>(i) * 7) & 0xff);
  record.digest[0] = static_cast<std::uint8_t>(seed & 0xff);
  record.digest[1] = static_cast<std::uint8_t>((seed >> 8) & 0xff);
  record.created = at_ms(created_ms);
  return record;
}

}  // namespace jtgw::storage::testing
