#pragma once
// Keys and values of the meta column family, and the index keys of by_user / by_id.
//   meta "schema_version" -> decimal ASCII (e.g. "2")
//   meta "policy"         -> 0x01 | u32 max_days | i64 set_at ms
//   by_user: u32 length | ascii-folded user | token id  -> digest
//   by_id:   token id                                   -> digest
// The length prefix makes a user's keys a prefix no other user's keys share.

#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace jtgw::storage {

inline constexpr std::string_view meta_schema_key = "schema_version";
inline constexpr std::string_view meta_policy_key = "policy";

std::string encode_schema_version(std::uint32_t version);
/// Errors: corrupt_store (not a decimal number).
boost::system::result<std::uint32_t> decode_schema_version(std::string_view bytes);

std::string encode_policy(const lifetime_policy& policy);
/// Errors: corrupt_record (wrong size), unknown_record_version.
boost::system::result<lifetime_policy> decode_policy(std::string_view bytes);

/// ASCII case fold: users and labels compare case-insensitively (emails are). The one
/// definition of "the same user" for the store, the authenticator and the lockout.
inline char fold_ascii(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string fold_ascii(std::string_view text);
/// Case-insensitive ASCII equality without allocating. Usernames are not secret, so it
/// may return early; bytes are folded only where they differ (most people type their
/// name as it was stored, and this runs on every request).
bool equal_folded(std::string_view a, std::string_view b) noexcept;

/// The prefix shared by every by_user key of `user` (folded here).
std::string by_user_prefix(std::string_view user);
std::string by_user_key(std::string_view user, std::string_view token_id);

}  // namespace jtgw::storage
