#pragma once
// Offline maintenance of store directories: checking a store or a backup, and restoring
// a backup in place of a store. Backups themselves are taken while serving with
// token_store::backup_to(). Like opening, these run outside the request path, so
// failures carry a message naming the path (open_error from rocksdb_store.hpp).

#include "storage/rocksdb_store.hpp"
#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace jtgw::storage {

/// What verify_store() found. A store is sound when `problems` is empty.
struct verify_report {
  std::uint32_t schema_version = 0;
  std::size_t tokens = 0;          // records in the tokens family
  std::size_t legacy_tokens = 0;   // of which without a creation date
  std::size_t audit_events = 0;
  std::optional<lifetime_policy> policy;
  /// One sentence per problem (at most max_listed_problems; problem_count counts all).
  std::vector<std::string> problems;
  std::size_t problem_count = 0;
  bool ok() const noexcept { return problem_count == 0; }
};
inline constexpr std::size_t max_listed_problems = 100;

/// Reads the store at `dir` read-only, without taking its lock and without changing a
/// byte (so it also checks a live store's files or a backup before restoring it):
/// every table block's checksum, the schema version, the policy, every token record
/// (decodable, keyed by its digest, ids unique), both indexes in both directions
/// (schema 2; a schema-1 store has none until it is opened and migrated) and every
/// audit event. Returns the report — a store with problems is a success with
/// !ok(). Errors: io_error (not a RocksDB store, unreadable), corrupt_store (RocksDB
/// cannot open it: a missing or corrupt MANIFEST/CURRENT).
boost::system::result<verify_report, open_error> verify_store(const std::filesystem::path& dir);

/// What restore_store() did.
struct restore_report {
  verify_report backup;               // the backup's verification (ok)
  /// Where the store previously at `target` was moved ("TARGET.pre-restore-<UTC time>"),
  /// or empty when `target` did not exist or was an empty directory.
  std::filesystem::path previous;
};

/// Makes `target` a copy of the backup at `backup` (a directory written by backup_to()).
/// Steps: verify the backup (refused unless sound); take `target`'s store lock, so a
/// running jtgw (or any open of that store) makes this fail with `locked`; copy the
/// backup's files into a sibling temporary directory, fsync them, open the copy as a
/// store (which migrates a schema-1 backup); then move an existing store at `target`
/// aside to report.previous — nothing is deleted — and rename the copy into place.
/// Errors: locked (a process holds `target`), invalid_argument (target exists but is
/// neither a store nor an empty directory; target and backup are the same directory),
/// corrupt_store (the backup has problems: the message names the first), io_error
/// (copy/rename failures; a partial copy is removed and `target` is left as it was).
boost::system::result<restore_report, open_error> restore_store(const std::filesystem::path& backup,
                                                               const std::filesystem::path& target);

}  // namespace jtgw::storage
