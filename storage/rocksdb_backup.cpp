// Backup of a serving store: a RocksDB checkpoint, which is an openable store itself.
#include "storage/rocksdb_token_store.hpp"

#include <rocksdb/utilities/checkpoint.h>

#include <system_error>

namespace jtgw::storage::detail {

boost::system::result<void> rocksdb_token_store::backup_to(const std::filesystem::path& dir) const {
  if (dir.empty()) return store_error::invalid_argument;
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(dir, ec))) return store_error::invalid_argument;

  rocksdb::Checkpoint* raw = nullptr;
  if (auto status = rocksdb::Checkpoint::Create(db_.get(), &raw); !status.ok()) return status_error(status);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: flush the memtables first, so the copy holds every synced
  // write in table files and replays no WAL on open. The checkpoint is written to
  // "dir.tmp" and renamed, so a failure leaves nothing at `dir`.
  if (auto status = checkpoint->CreateCheckpoint(dir.string(), 0); !status.ok()) return status_error(status);
  return {};
}

}  // namespace jtgw::storage::detail
