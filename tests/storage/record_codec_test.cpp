#include "storage/audit_codec.hpp"
#include "storage/meta_codec.hpp"
#include "storage/record_codec.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::storage;
using namespace std::chrono;

namespace {

token_digest digest_with(std::uint8_t first) {
  token_digest digest{};
  for (std::size_t i = 0; i < digest.size(); ++i) digest[i] = static_cast<std::uint8_t>(first + i * 3);
  return digest;
}

token_record full_v2() {
  token_record r;
  r.id = "0123456789abcdef";
  r.user = "Alice@Example.com";
  r.label = "Tableau laptop";
  r.digest = digest_with(7);
  r.created = clock_time{milliseconds{1'700'000'000'123}};
  r.expires = sys_days{year{2030} / 12 / 31};
  r.last_used = clock_time{milliseconds{1'700'000'100'456}};
  r.sealed_credential = std::string("\x00\x01sealed\xff", 9);
  return r;
}

std::string encoded(const token_record& r) {
  std::string out;
  encode_record(r, out);
  return out;
}

void check_equal(const token_record& a, const token_record& b) {
  BOOST_TEST(a.version == b.version);
  BOOST_TEST(a.id == b.id);
  BOOST_TEST(a.user == b.user);
  BOOST_TEST(a.label == b.label);
  BOOST_TEST((a.digest == b.digest));
  BOOST_TEST((a.created == b.created));
  BOOST_TEST((a.expires == b.expires));
  BOOST_TEST((a.last_used == b.last_used));
  BOOST_TEST(a.sealed_credential == b.sealed_credential);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(record_codec)

BOOST_AUTO_TEST_CASE(v2_round_trips_with_every_optional_present) {
  auto r = full_v2();
  auto back = decode_record(encoded(r));
  BOOST_TEST_REQUIRE(back.has_value());
  check_equal(*back, r);
  BOOST_TEST(!back->is_legacy());
}

BOOST_AUTO_TEST_CASE(v2_round_trips_each_optional_absent) {
  // Every subset of the optional fields, so a flag bit mixed up with another shows.
  for (int mask = 0; mask < 16; ++mask) {
    auto r = full_v2();
    if (mask & 1) r.created.reset();
    if (mask & 2) r.expires.reset();
    if (mask & 4) r.last_used.reset();
    if (mask & 8) r.sealed_credential.clear();
    auto back = decode_record(encoded(r));
    BOOST_TEST_REQUIRE(back.has_value(), "mask " << mask);
    check_equal(*back, r);
  }
}

BOOST_AUTO_TEST_CASE(v2_round_trips_times_before_1970_and_expiry_days) {
  auto r = full_v2();
  r.created = clock_time{milliseconds{-86'400'000}};
  r.expires = sys_days{year{1969} / 7 / 20};
  auto back = decode_record(encoded(r));
  BOOST_TEST_REQUIRE(back.has_value());
  check_equal(*back, r);
}

BOOST_AUTO_TEST_CASE(v1_round_trips_without_dates_and_with_a_derived_id) {
  token_record r;
  r.version = legacy_record_version;
  r.user = "bob";
  r.label = "old: label";
  r.digest = digest_with(0xab);
  auto bytes = encoded(r);
  BOOST_TEST(static_cast<std::uint8_t>(bytes[0]) == 1);
  auto back = decode_record(bytes);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(back->version == 1);
  BOOST_TEST(back->user == "bob");
  BOOST_TEST(back->label == "old: label");
  BOOST_TEST((back->digest == r.digest));
  BOOST_TEST(back->is_legacy());
  BOOST_TEST(!back->expires.has_value());
  BOOST_TEST(!back->last_used.has_value());
  BOOST_TEST(back->sealed_credential.empty());
  BOOST_TEST(back->id == legacy_token_id(r.digest));
}

BOOST_AUTO_TEST_CASE(v1_encoding_drops_v2_fields) {
  auto r = full_v2();
  r.version = legacy_record_version;
  auto back = decode_record(encoded(r));
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(!back->created.has_value());
  BOOST_TEST(back->sealed_credential.empty());
  BOOST_TEST(back->id != r.id);
}

BOOST_AUTO_TEST_CASE(legacy_id_is_stable_and_distinct) {
  auto a = digest_with(1), b = digest_with(2);
  BOOST_TEST(legacy_token_id(a) == legacy_token_id(a));
  BOOST_TEST(legacy_token_id(a) != legacy_token_id(b));
  BOOST_TEST(legacy_token_id(a) == "legacy-0104070a0d101316");
}

BOOST_AUTO_TEST_CASE(unknown_versions_are_rejected) {
  for (std::uint8_t version : {0, 3, 42, 255}) {
    auto bytes = encoded(full_v2());
    bytes[0] = static_cast<char>(version);
    auto back = decode_record(bytes);
    BOOST_TEST_REQUIRE(!back.has_value());
    BOOST_TEST((back.error() == store_error::unknown_record_version), "version " << int(version));
  }
}

BOOST_AUTO_TEST_CASE(every_truncation_is_rejected_as_corrupt) {
  token_record v1;
  v1.version = legacy_record_version;
  v1.user = "u";
  v1.label = "l";
  for (const auto& r : {full_v2(), v1}) {
    auto bytes = encoded(r);
    for (std::size_t size = 0; size < bytes.size(); ++size) {
      auto back = decode_record(std::string_view(bytes).substr(0, size));
      BOOST_TEST_REQUIRE(!back.has_value(), "size " << size);
      BOOST_TEST((back.error() == store_error::corrupt_record), "size " << size);
    }
  }
}

BOOST_AUTO_TEST_CASE(trailing_bytes_unknown_flags_and_oversized_fields_are_corrupt) {
  auto bytes = encoded(full_v2());
  BOOST_TEST((decode_record(bytes + "x").error() == store_error::corrupt_record));

  auto r = full_v2();
  r.created.reset();
  r.expires.reset();
  r.last_used.reset();
  auto flagged = encoded(r);
  const std::size_t flags_at = 1 + (4 + r.id.size()) + (4 + r.user.size()) + (4 + r.label.size()) + 32;
  BOOST_TEST_REQUIRE(flagged[flags_at] == 0);
  flagged[flags_at] = 8;
  BOOST_TEST((decode_record(flagged).error() == store_error::corrupt_record));

  auto huge = encoded(r);
  huge[1] = '\x7f';  // id length now ~2 GB: over max_id_bytes, refused before reading
  BOOST_TEST((decode_record(huge).error() == store_error::corrupt_record));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(meta_and_audit_codecs)

BOOST_AUTO_TEST_CASE(policy_round_trips_and_rejects_bad_bytes) {
  lifetime_policy policy{90, clock_time{milliseconds{1'700'000'000'000}}};
  auto bytes = encode_policy(policy);
  auto back = decode_policy(bytes);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(back->max_days == 90u);
  BOOST_TEST((back->set_at == policy.set_at));
  BOOST_TEST((decode_policy(bytes.substr(0, bytes.size() - 1)).error() == store_error::corrupt_record));
  bytes[0] = 9;
  BOOST_TEST((decode_policy(bytes).error() == store_error::unknown_record_version));
}

BOOST_AUTO_TEST_CASE(schema_version_parses_decimal_only) {
  BOOST_TEST(decode_schema_version(encode_schema_version(2)).value() == 2u);
  for (std::string_view bad : {"", "2x", "-1", " 2", "99999999999"})
    BOOST_TEST((decode_schema_version(bad).error() == store_error::corrupt_store), bad);
}

BOOST_AUTO_TEST_CASE(audit_event_round_trips) {
  audit_event event{clock_time{milliseconds{-5}}, "token.revoke", "admin", "alice", "tok-1", "by admin"};
  auto back = decode_audit_event(encode_audit_event(event));
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST((back->at == event.at));
  BOOST_TEST(back->kind == event.kind);
  BOOST_TEST(back->actor == event.actor);
  BOOST_TEST(back->user == event.user);
  BOOST_TEST(back->token_id == event.token_id);
  BOOST_TEST(back->detail == event.detail);
  auto bytes = encode_audit_event(event);
  BOOST_TEST((decode_audit_event(bytes.substr(0, bytes.size() - 1)).error() == store_error::corrupt_record));
}

BOOST_AUTO_TEST_CASE(audit_keys_sort_by_time_then_sequence) {
  const std::int64_t times[] = {-1'000'000, -1, 0, 1, 1'700'000'000'000};
  std::string previous;
  for (auto ms : times)
    for (std::uint64_t seq : {0u, 1u, 300u}) {
      auto key = audit_key(clock_time{milliseconds{ms}}, seq);
      BOOST_TEST(key.size() == audit_key_bytes);
      BOOST_TEST(audit_key_sequence(key).value() == seq);
      // Parenthesized: std::string's (unsigned, like RocksDB's bytewise comparator)
      // ordering, not Boost.Test's element-wise comparison of signed chars.
      BOOST_TEST((previous < key), ms << "/" << seq);
      previous = key;
    }
}

BOOST_AUTO_TEST_CASE(ascii_fold_and_user_prefixes) {
  BOOST_TEST(fold_ascii("Alice@Example.COM") == "alice@example.com");
  BOOST_TEST(equal_folded("LaPtop", "laptop"));
  BOOST_TEST(!equal_folded("laptop", "laptops"));
  BOOST_TEST(by_user_prefix("ALICE") == by_user_prefix("alice"));
  // "al" must not be a prefix of "alice"'s keys.
  BOOST_TEST(by_user_key("alice", "x").rfind(by_user_prefix("al"), 0) != 0u);
}

BOOST_AUTO_TEST_SUITE_END()
