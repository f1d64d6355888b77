#include "storage/audit_codec.hpp"

#include "storage/byte_io.hpp"

namespace jtgw::storage {
namespace {

constexpr std::uint8_t audit_version = 1;
constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;

std::uint64_t ms_bits(clock_time at) { return static_cast<std::uint64_t>(at.time_since_epoch().count()); }

}  // namespace

std::string audit_key(clock_time at, std::uint64_t sequence) {
  std::string key;
  key.reserve(audit_key_bytes);
  bytes::put_be<std::uint64_t>(key, ms_bits(at) ^ sign_bit);
  bytes::put_be<std::uint64_t>(key, sequence);
  return key;
}

boost::system::result<std::uint64_t> audit_key_sequence(std::string_view key) {
  if (key.size() != audit_key_bytes) return store_error::corrupt_record;
  bytes::reader in(key.substr(8));
  return *in.get_be<std::uint64_t>();
}

std::string encode_audit_event(const audit_event& event) {
  std::string out;
  out.push_back(static_cast<char>(audit_version));
  bytes::put_be<std::uint64_t>(out, ms_bits(event.at));
  for (std::string_view field : {event.kind, event.actor, event.user, event.token_id, event.detail})
    bytes::put_field(out, field);
  return out;
}

boost::system::result<audit_event> decode_audit_event(std::string_view encoded) {
  bytes::reader in(encoded);
  auto version = in.get_be<std::uint8_t>();
  if (!version) return store_error::corrupt_record;
  if (*version != audit_version) return store_error::unknown_record_version;
  audit_event event;
  auto at = in.get_be<std::uint64_t>();
  std::string* fields[] = {&event.kind, &event.actor, &event.user, &event.token_id, &event.detail};
  for (std::string* field : fields) {
    if (auto bytes = in.get_field(max_audit_field_bytes)) field->assign(*bytes);
  }
  if (in.failed() || !in.at_end()) return store_error::corrupt_record;
  event.at = clock_time{std::chrono::milliseconds{static_cast<std::int64_t>(*at)}};
  return event;
}

}  // namespace jtgw::storage
