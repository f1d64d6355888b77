#include "storage/record_codec.hpp"

#include "storage/byte_io.hpp"

#include <algorithm>
#include <cassert>

namespace jtgw::storage {
namespace {

constexpr std::uint8_t has_created = 1;
constexpr std::uint8_t has_expires = 2;
constexpr std::uint8_t has_last_used = 4;
constexpr std::uint8_t known_flags = has_created | has_expires | has_last_used;

template <typename Unsigned, typename Signed>
void put_signed(std::string& out, Signed value) {
  bytes::put_be<Unsigned>(out, static_cast<Unsigned>(value));
}

clock_time time_from(std::uint64_t bits) {
  return clock_time{std::chrono::milliseconds{static_cast<std::int64_t>(bits)}};
}

token_digest digest_from(std::string_view raw) {
  token_digest digest;
  std::copy(raw.begin(), raw.end(), reinterpret_cast<char*>(digest.data()));
  return digest;
}

boost::system::result<token_record> corrupt() { return store_error::corrupt_record; }

boost::system::result<token_record> decode_v1(bytes::reader& in) {
  token_record record;
  record.version = legacy_record_version;
  auto user = in.get_field(max_user_bytes);
  auto label = in.get_field(max_label_bytes);
  auto digest = in.get_raw(record.digest.size());
  if (in.failed() || !in.at_end()) return corrupt();
  record.user.assign(*user);
  record.label.assign(*label);
  record.digest = digest_from(*digest);
  record.id = legacy_token_id(record.digest);
  return record;
}

// On every request's token lookup: the fields are read first, and the record is built
// once at the end, each string constructed straight from the stored bytes.
boost::system::result<token_record> decode_v2(bytes::reader& in) {
  auto id = in.get_field(max_id_bytes);
  auto user = in.get_field(max_user_bytes);
  auto label = in.get_field(max_label_bytes);
  auto digest = in.get_raw(std::tuple_size_v<token_digest>);
  auto flags = in.get_be<std::uint8_t>();
  if (in.failed() || (*flags & ~known_flags) != 0) return corrupt();
  std::optional<clock_time> created;
  std::optional<std::chrono::sys_days> expires;
  std::optional<clock_time> last_used;
  if (*flags & has_created) {
    if (auto ms = in.get_be<std::uint64_t>()) created = time_from(*ms);
  }
  if (*flags & has_expires) {
    if (auto days = in.get_be<std::uint32_t>())
      expires = std::chrono::sys_days{std::chrono::days{static_cast<std::int32_t>(*days)}};
  }
  if (*flags & has_last_used) {
    if (auto ms = in.get_be<std::uint64_t>()) last_used = time_from(*ms);
  }
  auto sealed = in.get_field(max_sealed_bytes);
  if (in.failed() || !in.at_end()) return corrupt();
  return token_record{
      .version = current_record_version,
      .id = std::string(*id),
      .user = std::string(*user),
      .label = std::string(*label),
      .digest = digest_from(*digest),
      .created = created,
      .expires = expires,
      .last_used = last_used,
      .sealed_credential = std::string(*sealed),
  };
}

}  // namespace

void encode_record(const token_record& record, std::string& out) {
  assert(record.version == legacy_record_version || record.version == current_record_version);
  const std::string_view digest(reinterpret_cast<const char*>(record.digest.data()), record.digest.size());
  out.push_back(static_cast<char>(record.version));
  if (record.version == legacy_record_version) {
    bytes::put_field(out, record.user);
    bytes::put_field(out, record.label);
    out.append(digest);
    return;
  }
  bytes::put_field(out, record.id);
  bytes::put_field(out, record.user);
  bytes::put_field(out, record.label);
  out.append(digest);
  const std::uint8_t flags = (record.created ? has_created : 0) | (record.expires ? has_expires : 0) |
                             (record.last_used ? has_last_used : 0);
  out.push_back(static_cast<char>(flags));
  if (record.created) put_signed<std::uint64_t>(out, record.created->time_since_epoch().count());
  if (record.expires) put_signed<std::uint32_t>(out, record.expires->time_since_epoch().count());
  if (record.last_used) put_signed<std::uint64_t>(out, record.last_used->time_since_epoch().count());
  bytes::put_field(out, record.sealed_credential);
}

boost::system::result<token_record> decode_record(std::string_view encoded) {
  bytes::reader in(encoded);
  auto version = in.get_be<std::uint8_t>();
  if (!version) return corrupt();
  switch (*version) {
    case legacy_record_version: return decode_v1(in);
    case current_record_version: return decode_v2(in);
    default: return store_error::unknown_record_version;
  }
}

std::string legacy_token_id(const token_digest& digest) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string id = "legacy-";
  for (std::size_t i = 0; i < 8; ++i) {
    id.push_back(hex[digest[i] >> 4]);
    id.push_back(hex[digest[i] & 0xf]);
  }
  return id;
}

}  // namespace jtgw::storage
