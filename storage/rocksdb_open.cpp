// Opening the RocksDB store: options (bloom filters and block cache for the lookup
// path), column families, lock/corruption errors naming the path, schema checks and
// the schema 1 -> 2 migration.
#include "storage/rocksdb_store.hpp"

#include "storage/audit_codec.hpp"
#include "storage/meta_codec.hpp"
#include "storage/record_codec.hpp"
#include "storage/rocksdb_token_store.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>
#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

namespace jtgw::storage {
namespace {

using open_result = boost::system::result<std::unique_ptr<token_store>, open_error>;

using detail::family_names;
using detail::is_lock_error;
constexpr std::uint32_t legacy_schema_version = 1;

open_error failure(store_error code, const std::filesystem::path& path, const std::string& what) {
  return {make_error_code(code), "store " + path.string() + ": " + what};
}

open_error open_failure(const rocksdb::Status& status, const std::filesystem::path& path) {
  if (is_lock_error(status))
    return failure(store_error::locked, path,
                   "is locked by another process or another open in this process (" + status.ToString() + ")");
  if (status.IsCorruption()) return failure(store_error::corrupt_store, path, "is corrupt: " + status.ToString());
  return failure(store_error::io_error, path, "cannot open: " + status.ToString());
}

rocksdb::ColumnFamilyOptions family_options(const std::shared_ptr<rocksdb::Cache>& cache, bool point_lookups) {
  rocksdb::ColumnFamilyOptions options;
  options.level_compaction_dynamic_level_bytes = true;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.format_version = 5;
  if (point_lookups) {
    // find_by_digest is on every request; most misses (unknown tokens) should end at a
    // bloom filter, and hits at a hashed data-block index. Index and filter blocks stay
    // in the table readers (all files stay open), not the LRU cache: that saves two
    // cache lookups per file per Get (~15% of a hit); they cost ~1.3 MB per million
    // tokens. Short restart intervals shorten the scan after the hash lookup; random
    // 32-byte keys gain nothing from longer prefix-compression runs anyway. Measured:
    // a cached hit on a 1M-token store went from ~2.7 to ~1.5 µs of CPU.
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    table.whole_key_filtering = true;
    table.cache_index_and_filter_blocks = false;
    table.block_restart_interval = 4;
    table.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
    options.memtable_whole_key_filtering = true;
    options.memtable_prefix_bloom_size_ratio = 0.02;
  }
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

bool is_empty(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions{}, family));
  it->SeekToFirst();
  return !it->Valid() && it->status().ok();
}

std::string hex_of(std::string_view raw) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) out += {hex[c >> 4], hex[c & 0xf]};
  return out;
}

// Schema 1 wrote only tokens (v1 records) and meta. Adds both index entries for every
// record that lacks them, and the new schema version, in one synced batch: a crash
// leaves either the old store or the migrated one.
std::optional<open_error> migrate_from_legacy(rocksdb::DB& db, const detail::column_families& cf,
                                              const std::filesystem::path& path) {
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions{}, cf.tokens));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto record = decode_record(it->value().ToStringView());
    if (!record) {
      auto code = static_cast<store_error>(record.error().value());
      return failure(code, path, "cannot migrate record " + hex_of(it->key().ToStringView()) + ": " +
                                     record.error().message());
    }
    std::string indexed;
    auto status = db.Get(rocksdb::ReadOptions{}, cf.by_id, record->id, &indexed);
    if (status.ok() && indexed == it->key()) continue;
    if (status.ok()) return failure(store_error::corrupt_store, path, "token id " + record->id + " is indexed twice");
    if (!status.IsNotFound()) return open_failure(status, path);
    batch.Put(cf.by_id, record->id, it->key()).PermitUncheckedError();
    batch.Put(cf.by_user, by_user_key(record->user, record->id), it->key()).PermitUncheckedError();
  }
  if (!it->status().ok()) return open_failure(it->status(), path);
  batch.Put(cf.meta, meta_schema_key, encode_schema_version(current_schema_version)).PermitUncheckedError();
  if (auto status = db.Write(detail::synced_write(), &batch); !status.ok()) return open_failure(status, path);
  return std::nullopt;
}

// Brings the schema to current_schema_version, or says why it cannot.
std::optional<open_error> check_schema(rocksdb::DB& db, const detail::column_families& cf,
                                       const std::filesystem::path& path) {
  std::string stored;
  auto status = db.Get(rocksdb::ReadOptions{}, cf.meta, meta_schema_key, &stored);
  if (status.IsNotFound()) {
    // A new store. A store with tokens but no schema version was not written by jtgw.
    if (!is_empty(db, cf.tokens)) return failure(store_error::corrupt_store, path, "has tokens but no schema version");
    status = db.Put(detail::synced_write(), cf.meta, meta_schema_key, encode_schema_version(current_schema_version));
    return status.ok() ? std::nullopt : std::optional(open_failure(status, path));
  }
  if (!status.ok()) return open_failure(status, path);
  auto version = decode_schema_version(stored);
  if (!version || *version < legacy_schema_version)
    return failure(store_error::corrupt_store, path, "has an unreadable schema version \"" + stored + "\"");
  if (*version > current_schema_version)
    return failure(store_error::schema_too_new, path,
                   "has schema version " + std::to_string(*version) + " but this jtgw supports up to " +
                       std::to_string(current_schema_version) + "; use a newer jtgw");
  if (*version == legacy_schema_version) return migrate_from_legacy(db, cf, path);
  return std::nullopt;
}

// Audit keys continue after the last stored one so appends never overwrite.
boost::system::result<std::uint64_t> next_audit_sequence(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* audit) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions{}, audit));
  it->SeekToLast();
  if (!it->status().ok()) return detail::status_error(it->status());
  if (!it->Valid()) return 0;
  auto sequence = audit_key_sequence(it->key().ToStringView());
  if (!sequence) return sequence.error();
  return *sequence + 1;
}

}  // namespace

// RocksDB reports a held LOCK as an IOError; its text is the only way to tell it from
// other I/O errors ("While lock file" from another process, "lock hold by current
// process" from a second open in this one).
bool detail::is_lock_error(const rocksdb::Status& status) {
  if (!status.IsIOError()) return false;
  const std::string text = status.ToString();
  return text.find("While lock file") != std::string::npos || text.find("lock hold by current process") != std::string::npos;
}

void throw_exception_from_error(const open_error& e, const boost::source_location& loc) {
  boost::throw_exception(boost::system::system_error(e.code, e.message), loc);
}

open_result open_rocksdb_store(const store_options& options) {
  const auto& path = options.path;
  if (path.empty()) return failure(store_error::invalid_argument, path, "no store path given");

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.keep_log_file_num = 5;
  db_options.max_open_files = -1;  // every table reader stays open, with its index and filter
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);

  // A store written by a newer jtgw may have families we do not know; RocksDB refuses
  // to open without them, so open every existing family (default options) as well.
  std::vector<std::string> names = {rocksdb::kDefaultColumnFamilyName};
  names.insert(names.end(), std::begin(family_names), std::end(family_names));
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, path.string(), &existing).ok())
    for (const auto& name : existing)
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, family_options(cache, name == "tokens"));

  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  auto status = rocksdb::DB::Open(db_options, path.string(), descriptors, &handles, &raw_db);
  if (!status.ok()) return open_failure(status, path);
  std::unique_ptr<rocksdb::DB> db(raw_db);
  auto close = [&] {
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    db->Close().PermitUncheckedError();
  };

  const detail::column_families cf{handles[1], handles[2], handles[3], handles[4], handles[5]};
  if (auto error = check_schema(*db, cf, path)) {
    close();
    return *error;
  }
  auto sequence = next_audit_sequence(*db, cf.audit);
  if (!sequence) {
    close();
    return failure(store_error::corrupt_store, path, "has an unreadable audit log: " + sequence.error().message());
  }
  return std::unique_ptr<token_store>(std::make_unique<detail::rocksdb_token_store>(
      std::move(db), std::move(handles), cf, *sequence, options.durable_writes));
}

}  // namespace jtgw::storage
