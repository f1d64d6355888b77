#pragma once
// Opening the RocksDB implementation of token_store. Opening happens at start-up, so
// failures carry a human-readable message naming the path.

#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace jtgw::storage {

/// The schema this binary writes; older schemas are migrated on open.
inline constexpr std::uint32_t current_schema_version = 2;

struct store_options {
  std::filesystem::path path;
  /// Shared LRU block cache for every column family (index, filter and data blocks).
  std::size_t block_cache_bytes = 64u << 20;
  /// Create a missing store directory; false: a missing store is an io_error.
  bool create_if_missing = true;
  /// Sync every create, revoke, policy and audit write to disk before returning (the
  /// contract of token_store). false only for benchmarks and tests that bulk-load
  /// many records: a crash may then lose the most recent writes.
  bool durable_writes = true;
};

struct open_error {
  boost::system::error_code code;  // a store_error: locked, corrupt_store, schema_too_new, io_error …
  std::string message;             // names the path, e.g. "store /var/lib/jtgw is locked by …"
};

/// result<T, open_error>::value() throws boost::system::system_error carrying the message,
/// so start-up code may simply call .value().
[[noreturn]] void throw_exception_from_error(const open_error& e, const boost::source_location& loc);

/// Opens (or creates) the store, creating missing column families and migrating a
/// schema-1 (legacy) store to the current schema in one synced batch.
/// Errors: locked (another process or open holds the store's LOCK), corrupt_store
/// (RocksDB reports corruption, or unreadable meta data), schema_too_new (names both
/// versions), io_error (anything else RocksDB reports, e.g. missing with
/// create_if_missing false), corrupt_record / unknown_record_version (during migration).
boost::system::result<std::unique_ptr<token_store>, open_error> open_rocksdb_store(const store_options& options);

}  // namespace jtgw::storage
