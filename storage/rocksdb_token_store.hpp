#pragma once
// Internal: the RocksDB implementation of token_store. Others include
// storage/rocksdb_store.hpp and get one through open_rocksdb_store().

#include "storage/policy_cache.hpp"
#include "storage/token_store.hpp"

#include <rocksdb/db.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace jtgw::storage::detail {

/// The column families, in the order open_rocksdb_store() passes them.
struct column_families {
  rocksdb::ColumnFamilyHandle* tokens = nullptr;   // digest -> record
  rocksdb::ColumnFamilyHandle* by_user = nullptr;  // by_user_key(user, id) -> digest
  rocksdb::ColumnFamilyHandle* by_id = nullptr;    // id -> digest
  rocksdb::ColumnFamilyHandle* audit = nullptr;    // audit_key(at, seq) -> event
  rocksdb::ColumnFamilyHandle* meta = nullptr;     // schema version, policy
};

/// The column families' names, in the order of column_families' members.
inline constexpr const char* family_names[] = {"tokens", "by_user", "by_id", "audit", "meta"};

/// Whether a failed open or LockFile status means another process (or another open in
/// this one) holds the store's LOCK.
bool is_lock_error(const rocksdb::Status& status);

/// Options for writes that must be durable when the call returns.
inline rocksdb::WriteOptions synced_write() {
  rocksdb::WriteOptions options;
  options.sync = true;
  return options;
}

/// Maps a failed RocksDB status to a store_error (corruption vs. everything else).
boost::system::error_code status_error(const rocksdb::Status& status) noexcept;

class rocksdb_token_store final : public token_store {
 public:
  /// Takes ownership of the DB and of every handle (closed in the destructor).
  rocksdb_token_store(std::unique_ptr<rocksdb::DB> db, std::vector<rocksdb::ColumnFamilyHandle*> handles,
                      column_families families, std::uint64_t next_audit_sequence, bool durable_writes);
  ~rocksdb_token_store() override;
  rocksdb_token_store(const rocksdb_token_store&) = delete;
  rocksdb_token_store& operator=(const rocksdb_token_store&) = delete;

  boost::system::result<void> create(const token_record& record) override;
  boost::system::result<token_record> find_by_digest(const token_digest& digest) const override;
  boost::system::result<token_record> find_by_id(std::string_view id) const override;
  boost::system::result<std::vector<token_record>> list_by_user(std::string_view user) const override;
  boost::system::result<record_page> list_all(std::string_view cursor, std::size_t limit) const override;
  boost::system::result<token_record> revoke(std::string_view id) override;
  boost::system::result<std::size_t> revoke_user(std::string_view user) override;
  boost::system::result<bool> touch_last_used(const token_record& record, clock_time now) override;
  boost::system::result<std::optional<lifetime_policy>> get_policy() const override;
  boost::system::result<void> set_policy(lifetime_policy policy) override;
  boost::system::result<void> clear_policy() override;
  boost::system::result<void> append_audit(const audit_event& event) override;
  boost::system::result<std::vector<audit_event>> query_audit(const audit_query& query) const override;
  boost::system::result<void> backup_to(const std::filesystem::path& dir) const override;

 private:
  boost::system::result<token_record> read_record(const rocksdb::ReadOptions& options, rocksdb::Slice digest) const;
  boost::system::result<std::vector<token_record>> read_user_records(const rocksdb::ReadOptions& options,
                                                                     std::string_view user) const;
  boost::system::result<void> write_synced(rocksdb::WriteBatch& batch);
  boost::system::result<std::optional<lifetime_policy>> read_policy() const;

  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  column_families cf_;
  // Serializes check-then-write sequences (create's duplicate checks, revoke's
  // read-then-delete, touch's read-modify-write) so none interleave.
  std::mutex write_mutex_;
  std::atomic<std::uint64_t> next_audit_sequence_;
  // Serialises policy writes (and the first read) with the cache's updates.
  mutable std::mutex policy_mutex_;
  // The stored policy once read; empty until then, and while or after a write failed.
  mutable policy_cache policy_;
  // Synced unless store_options::durable_writes is false (bulk loads in benchmarks).
  rocksdb::WriteOptions durable_;
};

}  // namespace jtgw::storage::detail
