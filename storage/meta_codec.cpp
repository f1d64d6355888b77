#include "storage/meta_codec.hpp"

#include "storage/byte_io.hpp"

#include <algorithm>
#include <charconv>

namespace jtgw::storage {
namespace {

constexpr std::uint8_t policy_version = 1;

}  // namespace

std::string encode_schema_version(std::uint32_t version) { return std::to_string(version); }

boost::system::result<std::uint32_t> decode_schema_version(std::string_view text) {
  std::uint32_t version = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return store_error::corrupt_store;
  return version;
}

std::string encode_policy(const lifetime_policy& policy) {
  std::string out;
  out.push_back(static_cast<char>(policy_version));
  bytes::put_be<std::uint32_t>(out, policy.max_days);
  bytes::put_be<std::uint64_t>(out, static_cast<std::uint64_t>(policy.set_at.time_since_epoch().count()));
  return out;
}

boost::system::result<lifetime_policy> decode_policy(std::string_view encoded) {
  bytes::reader in(encoded);
  auto version = in.get_be<std::uint8_t>();
  if (!version) return store_error::corrupt_record;
  if (*version != policy_version) return store_error::unknown_record_version;
  auto days = in.get_be<std::uint32_t>();
  auto set_at = in.get_be<std::uint64_t>();
  if (in.failed() || !in.at_end()) return store_error::corrupt_record;
  return lifetime_policy{*days, clock_time{std::chrono::milliseconds{static_cast<std::int64_t>(*set_at)}}};
}

std::string fold_ascii(std::string_view text) {
  std::string folded(text);
  for (char& c : folded) c = fold_ascii(c);
  return folded;
}

bool equal_folded(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return x == y || fold_ascii(x) == fold_ascii(y);
         });
}

std::string by_user_prefix(std::string_view user) {
  std::string key;
  bytes::put_be<std::uint32_t>(key, static_cast<std::uint32_t>(user.size()));
  key += fold_ascii(user);
  return key;
}

std::string by_user_key(std::string_view user, std::string_view token_id) {
  return by_user_prefix(user).append(token_id);
}

}  // namespace jtgw::storage
