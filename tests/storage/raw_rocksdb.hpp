#pragma once
// Test support: writes bytes into a store's column family behind the store's back, to
// stage what only another (older, newer or broken) writer could have left there.

#include <rocksdb/db.h>

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace jtgw::storage::testing {

/// Puts key -> value into column family `family` of the (closed) store at `path`,
/// keeping every family the store already has.
inline void raw_put(const std::filesystem::path& path, const std::string& family, const std::string& key,
                    const std::string& value) {
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  std::vector<std::string> names;
  if (!rocksdb::DB::ListColumnFamilies(options, path.string(), &names).ok())
    names = {rocksdb::kDefaultColumnFamilyName};
  if (std::find(names.begin(), names.end(), family) == names.end()) names.push_back(family);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions{});
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  auto status = rocksdb::DB::Open(options, path.string(), descriptors, &handles, &db);
  BOOST_TEST_REQUIRE(status.ok(), status.ToString());
  auto index = std::find(names.begin(), names.end(), family) - names.begin();
  status = db->Put(rocksdb::WriteOptions{}, handles[index], key, value);
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  BOOST_TEST(db->Close().ok());
  delete db;
  BOOST_TEST_REQUIRE(status.ok(), status.ToString());
}

}  // namespace jtgw::storage::testing
