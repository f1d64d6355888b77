// Token operations of the RocksDB store: create, lookups, lists, revoke, last use.
// Policy and audit operations are in rocksdb_meta_ops.cpp.
#include "storage/rocksdb_token_store.hpp"

#include "storage/meta_codec.hpp"
#include "storage/record_codec.hpp"

#include <rocksdb/write_batch.h>

#include <algorithm>
#include <tuple>

namespace jtgw::storage::detail {
namespace {

using boost::system::result;

constexpr auto last_use_resolution = std::chrono::minutes{1};
constexpr std::size_t cursor_hex_bytes = 2 * std::tuple_size_v<token_digest>;

rocksdb::Slice digest_slice(const token_digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

bool starts_with(const rocksdb::Slice& key, std::string_view prefix) {
  return key.ToStringView().substr(0, prefix.size()) == prefix;
}

std::string to_hex(std::string_view raw) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0xf]);
  }
  return out;
}

std::optional<std::string> from_hex(std::string_view text) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    int hi = nibble(text[i]), lo = nibble(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

// Legacy (undated) first, then oldest; ids break ties so the order is total.
bool listed_before(const token_record& a, const token_record& b) {
  return std::forward_as_tuple(a.created.has_value(), a.created, a.id) <
         std::forward_as_tuple(b.created.has_value(), b.created, b.id);
}

result<void> check_new_record(const token_record& record) {
  auto bad_size = [](const std::string& field, std::size_t max) { return field.empty() || field.size() > max; };
  if (record.version != current_record_version || !record.created || bad_size(record.id, max_id_bytes) ||
      bad_size(record.user, max_user_bytes) || bad_size(record.label, max_label_bytes) ||
      record.sealed_credential.size() > max_sealed_bytes)
    return store_error::invalid_argument;
  return {};
}

}  // namespace

boost::system::error_code status_error(const rocksdb::Status& status) noexcept {
  return make_error_code(status.IsCorruption() ? store_error::corrupt_store : store_error::io_error);
}

rocksdb_token_store::rocksdb_token_store(std::unique_ptr<rocksdb::DB> db,
                                         std::vector<rocksdb::ColumnFamilyHandle*> handles, column_families families,
                                         std::uint64_t next_audit_sequence, bool durable_writes)
    : db_(std::move(db)), handles_(std::move(handles)), cf_(families), next_audit_sequence_(next_audit_sequence) {
  durable_.sync = durable_writes;
}

rocksdb_token_store::~rocksdb_token_store() {
  for (auto* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
  // Close() flushes nothing we need (every write went through the WAL) but reports
  // errors; there is no one to report them to in a destructor.
  db_->Close().PermitUncheckedError();
}

result<void> rocksdb_token_store::write_synced(rocksdb::WriteBatch& batch) {
  auto status = db_->Write(durable_, &batch);
  if (!status.ok()) return status_error(status);
  return {};
}

result<token_record> rocksdb_token_store::read_record(const rocksdb::ReadOptions& options,
                                                      rocksdb::Slice digest) const {
  // PinnableSlice reads straight out of the block cache; a value still in the memtable
  // is copied into the slice's own string, whose capacity this thread keeps (one
  // allocation less per request). Reset releases any pin on the block cache.
  thread_local rocksdb::PinnableSlice value;
  struct release_pin {
    rocksdb::PinnableSlice& slice;
    ~release_pin() { slice.Reset(); }
  } release{value};
  auto status = db_->Get(options, cf_.tokens, digest, &value);
  if (status.IsNotFound()) return store_error::not_found;
  if (!status.ok()) return status_error(status);
  return decode_record(value.ToStringView());
}

result<token_record> rocksdb_token_store::find_by_digest(const token_digest& digest) const {
  return read_record(rocksdb::ReadOptions{}, digest_slice(digest));
}

result<token_record> rocksdb_token_store::find_by_id(std::string_view id) const {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  rocksdb::PinnableSlice digest;
  auto status = db_->Get(options, cf_.by_id, id, &digest);
  if (status.IsNotFound()) return store_error::not_found;
  if (!status.ok()) return status_error(status);
  auto record = read_record(options, digest);
  // Same snapshot: an index entry without its record means the store is inconsistent.
  if (!record && record.error() == store_error::not_found) return store_error::corrupt_store;
  return record;
}

result<std::vector<token_record>> rocksdb_token_store::read_user_records(const rocksdb::ReadOptions& options,
                                                                         std::string_view user) const {
  const std::string prefix = by_user_prefix(user);
  std::vector<token_record> records;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, cf_.by_user));
  for (it->Seek(prefix); it->Valid() && starts_with(it->key(), prefix); it->Next()) {
    auto record = read_record(options, it->value());
    if (!record) return record.error() == store_error::not_found ? store_error::corrupt_store : record.error();
    records.push_back(std::move(*record));
  }
  if (!it->status().ok()) return status_error(it->status());
  return records;
}

result<std::vector<token_record>> rocksdb_token_store::list_by_user(std::string_view user) const {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();
  auto records = read_user_records(options, user);
  if (records) std::sort(records->begin(), records->end(), listed_before);
  return records;
}

result<record_page> rocksdb_token_store::list_all(std::string_view cursor, std::size_t limit) const {
  if (limit == 0 || limit > max_page_limit) return store_error::invalid_argument;
  std::optional<std::string> after;
  if (!cursor.empty()) {
    after = from_hex(cursor);
    if (cursor.size() != cursor_hex_bytes || !after) return store_error::invalid_argument;
  }
  record_page page;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions{}, cf_.tokens));
  if (after) {
    it->Seek(*after);
    if (it->Valid() && it->key() == *after) it->Next();
  } else {
    it->SeekToFirst();
  }
  for (; it->Valid() && page.records.size() < limit; it->Next()) {
    auto record = decode_record(it->value().ToStringView());
    if (!record) return record.error();
    page.records.push_back(std::move(*record));
  }
  if (!it->status().ok()) return status_error(it->status());
  if (it->Valid()) page.next_cursor = to_hex(std::string_view(
      reinterpret_cast<const char*>(page.records.back().digest.data()), page.records.back().digest.size()));
  return page;
}

result<void> rocksdb_token_store::create(const token_record& record) {
  if (auto valid = check_new_record(record); !valid) return valid;
  std::string encoded;
  encode_record(record, encoded);

  std::lock_guard lock(write_mutex_);
  const rocksdb::ReadOptions options;
  std::string ignored;
  auto status = db_->Get(options, cf_.by_id, record.id, &ignored);
  if (status.ok()) return store_error::duplicate_token;
  if (!status.IsNotFound()) return status_error(status);
  auto existing = read_record(options, digest_slice(record.digest));
  if (existing) return store_error::duplicate_token;
  if (existing.error() != store_error::not_found) return existing.error();

  auto siblings = read_user_records(options, record.user);
  if (!siblings) return siblings.error();
  for (const auto& sibling : *siblings)
    if (equal_folded(sibling.label, record.label)) return store_error::duplicate_label;

  rocksdb::WriteBatch batch;
  auto digest = digest_slice(record.digest);
  batch.Put(cf_.tokens, digest, encoded).PermitUncheckedError();
  batch.Put(cf_.by_id, record.id, digest).PermitUncheckedError();
  batch.Put(cf_.by_user, by_user_key(record.user, record.id), digest).PermitUncheckedError();
  return write_synced(batch);
}

result<token_record> rocksdb_token_store::revoke(std::string_view id) {
  std::lock_guard lock(write_mutex_);
  auto record = find_by_id(id);
  if (!record) return record;
  rocksdb::WriteBatch batch;
  batch.Delete(cf_.tokens, digest_slice(record->digest)).PermitUncheckedError();
  batch.Delete(cf_.by_id, id).PermitUncheckedError();
  batch.Delete(cf_.by_user, by_user_key(record->user, record->id)).PermitUncheckedError();
  if (auto written = write_synced(batch); !written) return written.error();
  return record;
}

result<std::size_t> rocksdb_token_store::revoke_user(std::string_view user) {
  std::lock_guard lock(write_mutex_);
  const std::string prefix = by_user_prefix(user);
  rocksdb::WriteBatch batch;
  std::size_t count = 0;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions{}, cf_.by_user));
  for (it->Seek(prefix); it->Valid() && starts_with(it->key(), prefix); it->Next()) {
    auto id = it->key();
    id.remove_prefix(prefix.size());
    batch.Delete(cf_.tokens, it->value()).PermitUncheckedError();
    batch.Delete(cf_.by_id, id).PermitUncheckedError();
    batch.Delete(cf_.by_user, it->key()).PermitUncheckedError();
    ++count;
  }
  if (!it->status().ok()) return status_error(it->status());
  if (count == 0) return count;
  if (auto written = write_synced(batch); !written) return written.error();
  return count;
}

result<bool> rocksdb_token_store::touch_last_used(const token_record& record, clock_time now) {
  // Fast path without I/O or locking: the caller's copy is recent enough.
  if (record.last_used && now - *record.last_used < last_use_resolution) return false;
  std::lock_guard lock(write_mutex_);
  auto current = read_record(rocksdb::ReadOptions{}, digest_slice(record.digest));
  // result<bool> cannot be built implicitly from an error_code (it also converts to bool).
  if (!current) return result<bool>(boost::system::in_place_error, current.error());
  if (current->last_used && now - *current->last_used < last_use_resolution) return false;
  current->last_used = now;
  // A legacy record has nowhere to keep its last use; it becomes v2 without dates
  // (is_legacy() stays true because created stays empty).
  current->version = current_record_version;
  std::string encoded;
  encode_record(*current, encoded);
  // Not synced: last use is advisory, and a sync per minute per token would cost more.
  auto status = db_->Put(rocksdb::WriteOptions{}, cf_.tokens, digest_slice(record.digest), encoded);
  if (!status.ok()) return result<bool>(boost::system::in_place_error, status_error(status));
  return true;
}

}  // namespace jtgw::storage::detail
