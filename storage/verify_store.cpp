// verify_store(): a read-only pass over every family of a store directory.
#include "storage/maintenance.hpp"

#include "storage/audit_codec.hpp"
#include "storage/meta_codec.hpp"
#include "storage/record_codec.hpp"
#include "storage/rocksdb_token_store.hpp"

#include <rocksdb/db.h>

#include <map>
#include <unordered_map>

namespace jtgw::storage {
namespace {

using verify_result = boost::system::result<verify_report, open_error>;

std::string hex_of(std::string_view raw) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) out += {hex[c >> 4], hex[c & 0xf]};
  return out;
}

// Collects problems, listing the first max_listed_problems and counting all.
class findings {
 public:
  explicit findings(verify_report& report) : report_(report) {}
  void add(std::string problem) {
    if (report_.problems.size() < max_listed_problems) report_.problems.push_back(std::move(problem));
    ++report_.problem_count;
  }
  void check_iterator(const rocksdb::Iterator& it, std::string_view family) {
    if (!it.status().ok()) add(std::string(family) + ": cannot read to the end: " + it.status().ToString());
  }

 private:
  verify_report& report_;
};

// A read-only DB with every family it has, closed on scope exit.
struct read_only_db {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> by_name;

  rocksdb::ColumnFamilyHandle* family(std::string_view name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : it->second;
  }
  ~read_only_db() {
    if (!db) return;
    for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
    db->Close().PermitUncheckedError();
  }
};

std::optional<open_error> open_read_only(const std::filesystem::path& dir, read_only_db& out) {
  rocksdb::DBOptions options;
  options.create_if_missing = false;
  std::vector<std::string> names;
  auto status = rocksdb::DB::ListColumnFamilies(options, dir.string(), &names);
  if (!status.ok())
    return open_error{make_error_code(store_error::io_error),
                      "store " + dir.string() + ": is not a readable store: " + status.ToString()};
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const auto& name : names) descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions{});
  rocksdb::DB* raw = nullptr;
  status = rocksdb::DB::OpenForReadOnly(options, dir.string(), descriptors, &out.handles, &raw);
  if (!status.ok()) {
    const auto code = status.IsCorruption() ? store_error::corrupt_store : store_error::io_error;
    return open_error{make_error_code(code), "store " + dir.string() + ": cannot open: " + status.ToString()};
  }
  out.db.reset(raw);
  for (std::size_t i = 0; i < names.size(); ++i) out.by_name.emplace(names[i], out.handles[i]);
  return std::nullopt;
}

void check_meta(const read_only_db& store, verify_report& report, findings& found) {
  auto* meta = store.family("meta");
  if (!meta) return found.add("the meta family is missing");
  std::string value;
  auto status = store.db->Get(rocksdb::ReadOptions{}, meta, meta_schema_key, &value);
  if (!status.ok()) return found.add("no readable schema version: " + status.ToString());
  auto version = decode_schema_version(value);
  if (!version) return found.add("unreadable schema version \"" + value + "\"");
  report.schema_version = *version;
  if (*version > current_schema_version)
    found.add("schema version " + std::to_string(*version) + " is newer than this jtgw's " +
              std::to_string(current_schema_version));

  status = store.db->Get(rocksdb::ReadOptions{}, meta, meta_policy_key, &value);
  if (status.IsNotFound()) return;
  if (!status.ok()) return found.add("policy: " + status.ToString());
  auto policy = decode_policy(value);
  if (!policy) return found.add("policy: " + policy.error().message());
  if (policy->max_days == 0) found.add("policy: a maximum lifetime of 0 days");
  report.policy = *policy;
}

// Reads every record; returns digest -> record for the index checks.
std::unordered_map<std::string, token_record> check_tokens(const read_only_db& store, verify_report& report,
                                                           findings& found) {
  std::unordered_map<std::string, token_record> records;
  auto* tokens = store.family("tokens");
  if (!tokens) {
    found.add("the tokens family is missing");
    return records;
  }
  std::unordered_map<std::string, std::string> digest_of_id;
  std::unique_ptr<rocksdb::Iterator> it(store.db->NewIterator(rocksdb::ReadOptions{}, tokens));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string key(it->key().ToStringView());
    ++report.tokens;
    auto record = decode_record(it->value().ToStringView());
    if (!record) {
      found.add("token " + hex_of(key) + ": " + record.error().message());
      continue;
    }
    const std::string digest(reinterpret_cast<const char*>(record->digest.data()), record->digest.size());
    if (digest != key) found.add("token " + hex_of(key) + ": stored under another digest");
    if (record->is_legacy()) ++report.legacy_tokens;
    if (auto [at, fresh] = digest_of_id.emplace(record->id, key); !fresh)
      found.add("token id " + record->id + " is used by two records");
    records.emplace(key, std::move(*record));
  }
  found.check_iterator(*it, "tokens");
  return records;
}

// Schema 2: each record has both index entries, and each entry names a record.
void check_indexes(const read_only_db& store, const std::unordered_map<std::string, token_record>& records,
                   findings& found) {
  auto* by_id = store.family("by_id");
  auto* by_user = store.family("by_user");
  if (!by_id || !by_user) return found.add("an index family (by_id or by_user) is missing");
  std::string value;
  for (const auto& [digest, record] : records) {
    if (!store.db->Get(rocksdb::ReadOptions{}, by_id, record.id, &value).ok() || value != digest)
      found.add("token " + record.id + ": missing or wrong by_id entry");
    if (!store.db->Get(rocksdb::ReadOptions{}, by_user, by_user_key(record.user, record.id), &value).ok() ||
        value != digest)
      found.add("token " + record.id + ": missing or wrong by_user entry");
  }
  std::unique_ptr<rocksdb::Iterator> it(store.db->NewIterator(rocksdb::ReadOptions{}, by_id));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto record = records.find(std::string(it->value().ToStringView()));
    if (record == records.end() || record->second.id != it->key().ToStringView())
      found.add("by_id entry " + std::string(it->key().ToStringView()) + " names no such token");
  }
  found.check_iterator(*it, "by_id");
  it.reset(store.db->NewIterator(rocksdb::ReadOptions{}, by_user));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto record = records.find(std::string(it->value().ToStringView()));
    if (record == records.end() || by_user_key(record->second.user, record->second.id) != it->key().ToStringView())
      found.add("by_user entry " + hex_of(it->key().ToStringView()) + " names no such token");
  }
  found.check_iterator(*it, "by_user");
}

void check_audit(const read_only_db& store, verify_report& report, findings& found) {
  auto* audit = store.family("audit");
  if (!audit) return;  // a schema-1 store has none; check_schema() already flags schema 2 without one
  std::unique_ptr<rocksdb::Iterator> it(store.db->NewIterator(rocksdb::ReadOptions{}, audit));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++report.audit_events;
    auto sequence = audit_key_sequence(it->key().ToStringView());
    auto event = decode_audit_event(it->value().ToStringView());
    if (!sequence || !event)
      found.add("audit event " + hex_of(it->key().ToStringView()) + ": unreadable key or value");
  }
  found.check_iterator(*it, "audit");
}

}  // namespace

verify_result verify_store(const std::filesystem::path& dir) {
  read_only_db store;
  if (auto error = open_read_only(dir, store)) return *error;
  verify_report report;
  findings found(report);
  // Every block of every table file, so a flipped bit anywhere is found, not only in
  // the records read below.
  if (auto status = store.db->VerifyChecksum(); !status.ok()) found.add("checksum: " + status.ToString());
  check_meta(store, report, found);
  auto records = check_tokens(store, report, found);
  if (report.schema_version >= current_schema_version) {
    check_indexes(store, records, found);
    if (!store.family("audit")) found.add("the audit family is missing");
  }
  check_audit(store, report, found);
  return report;
}

}  // namespace jtgw::storage
