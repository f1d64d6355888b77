// make-legacy-store DIR USER:LABEL:TOKEN...
// Writes a store the way jtgw schema 1 did, before expiry dates existed: only the
// tokens column family holding v1 records (SHA-256 digest -> user, label, digest) and
// meta schema_version=1 — no indexes, no dates. A test tool; never installed.
#include "auth/token_digest.hpp"
#include "storage/meta_codec.hpp"
#include "storage/record_codec.hpp"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using jtgw::storage::token_record;

// USER:LABEL:TOKEN. Users cannot hold a colon (Basic splits at the first) and tokens
// are base62, so the label is everything between the first and the last colon.
std::optional<token_record> parse_spec(std::string_view spec) {
  auto first = spec.find(':');
  auto last = spec.rfind(':');
  if (first == std::string_view::npos || first == last || first == 0 || last == first + 1 || last + 1 == spec.size())
    return std::nullopt;
  token_record record;
  record.version = jtgw::storage::legacy_record_version;
  record.user = spec.substr(0, first);
  record.label = spec.substr(first + 1, last - first - 1);
  record.digest = jtgw::auth::digest_of(spec.substr(last + 1));
  return record;
}

int fail(const std::string& message) {
  std::cerr << "make-legacy-store: " << message << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return fail("usage: make-legacy-store DIR USER:LABEL:TOKEN...");
  const std::string dir = argv[1];
  std::vector<token_record> records;
  for (int i = 2; i < argc; ++i) {
    auto record = parse_spec(argv[i]);
    if (!record) return fail(std::string("expected USER:LABEL:TOKEN, got \"") + argv[i] + "\"");
    records.push_back(std::move(*record));
  }

  rocksdb::WriteBatch batch;
  std::vector<rocksdb::ColumnFamilyDescriptor> families = {{rocksdb::kDefaultColumnFamilyName, {}},
                                                           {"tokens", {}}, {"meta", {}}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DBOptions options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  rocksdb::DB* raw_db = nullptr;
  auto status = rocksdb::DB::Open(options, dir, families, &handles, &raw_db);
  if (!status.ok()) return fail("cannot open " + dir + ": " + status.ToString());
  std::unique_ptr<rocksdb::DB> db(raw_db);

  for (const auto& record : records) {
    std::string encoded;
    jtgw::storage::encode_record(record, encoded);
    batch.Put(handles[1], {reinterpret_cast<const char*>(record.digest.data()), record.digest.size()}, encoded)
        .PermitUncheckedError();
  }
  batch.Put(handles[2], jtgw::storage::meta_schema_key, jtgw::storage::encode_schema_version(1))
      .PermitUncheckedError();
  rocksdb::WriteOptions synced;
  synced.sync = true;
  status = db->Write(synced, &batch);
  for (auto* handle : handles) db->DestroyColumnFamilyHandle(handle);
  auto closed = db->Close();
  if (!status.ok()) return fail("cannot write " + dir + ": " + status.ToString());
  if (!closed.ok()) return fail("cannot close " + dir + ": " + closed.ToString());
  return 0;
}
