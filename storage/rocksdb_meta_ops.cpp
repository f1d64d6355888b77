// Policy and audit operations of the RocksDB store.
#include "storage/rocksdb_token_store.hpp"

#include "storage/audit_codec.hpp"
#include "storage/meta_codec.hpp"

#include <rocksdb/write_batch.h>

namespace jtgw::storage::detail {
namespace {

using boost::system::result;

result<void> done(const rocksdb::Status& status) {
  if (!status.ok()) return status_error(status);
  return {};
}

bool matches(const audit_event& event, const audit_query& query) {
  return (!query.user || equal_folded(event.user, *query.user)) && (!query.kind || event.kind == *query.kind);
}

}  // namespace

result<std::optional<lifetime_policy>> rocksdb_token_store::read_policy() const {
  rocksdb::PinnableSlice value;
  auto status = db_->Get(rocksdb::ReadOptions{}, cf_.meta, meta_policy_key, &value);
  if (status.IsNotFound()) return std::optional<lifetime_policy>{};
  if (!status.ok()) return status_error(status);
  auto policy = decode_policy(value.ToStringView());
  if (!policy) return policy.error();
  return std::optional<lifetime_policy>{*policy};
}

// The Authenticator asks for the policy on every request. This object is the store's only
// writer (RocksDB's LOCK keeps other processes out, and set/clear below update the cache
// under the same lock as the write), so after the first successful read the cache holds
// what is stored and a policy change applies to the very next request. The cache is read
// without the lock: a mutex lock/unlock pair per request for a value that changes only
// when an admin sets it.
result<std::optional<lifetime_policy>> rocksdb_token_store::get_policy() const {
  if (auto cached = policy_.load()) return *cached;
  std::lock_guard lock(policy_mutex_);
  // Not read yet, or a write was under way: under the lock the cache is settled.
  if (auto cached = policy_.load()) return *cached;
  auto stored = read_policy();
  if (stored) policy_.store(*stored);
  return stored;
}

result<void> rocksdb_token_store::set_policy(lifetime_policy policy) {
  if (policy.max_days == 0) return store_error::invalid_argument;
  std::lock_guard lock(policy_mutex_);
  // A failed write may or may not have reached the store: read it again next time.
  policy_.forget();
  auto written = done(db_->Put(durable_, cf_.meta, meta_policy_key, encode_policy(policy)));
  if (written) policy_.store(policy);
  return written;
}

result<void> rocksdb_token_store::clear_policy() {
  std::lock_guard lock(policy_mutex_);
  policy_.forget();
  auto written = done(db_->Delete(durable_, cf_.meta, meta_policy_key));
  if (written) policy_.store(std::nullopt);
  return written;
}

result<void> rocksdb_token_store::append_audit(const audit_event& event) {
  for (std::string_view field : {event.kind, event.actor, event.user, event.token_id, event.detail})
    if (field.size() > max_audit_field_bytes) return store_error::invalid_argument;
  // The sequence makes keys unique and keeps equal-time events in append order.
  auto key = audit_key(event.at, next_audit_sequence_.fetch_add(1));
  return done(db_->Put(durable_, cf_.audit, key, encode_audit_event(event)));
}

result<std::vector<audit_event>> rocksdb_token_store::query_audit(const audit_query& query) const {
  if (query.limit == 0) return store_error::invalid_argument;
  const std::size_t limit = std::min(query.limit, max_audit_limit);
  std::optional<std::string> until_key;
  rocksdb::Slice until_slice;
  rocksdb::ReadOptions options;
  if (query.until) {
    until_key = audit_key_from(*query.until);
    until_slice = *until_key;
    options.iterate_upper_bound = &until_slice;
  }
  std::vector<audit_event> events;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(options, cf_.audit));
  if (query.since)
    it->Seek(audit_key_from(*query.since));
  else
    it->SeekToFirst();
  for (; it->Valid() && events.size() < limit; it->Next()) {
    auto event = decode_audit_event(it->value().ToStringView());
    if (!event) return event.error();
    if (matches(*event, query)) events.push_back(std::move(*event));
  }
  if (!it->status().ok()) return status_error(it->status());
  return events;
}

}  // namespace jtgw::storage::detail
