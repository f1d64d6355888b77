#pragma once
// The on-disk encoding of token records. The first byte is the version:
//   v1 (legacy, written by jtgw before expiry dates existed):
//     0x01 | field user | field label | digest[32]
//   v2: 0x02 | field id | field user | field label | digest[32] | flags u8
//       | created i64 ms (flag 1) | expires i32 days (flag 2) | last_used i64 ms (flag 4)
//       | field sealed_credential
// where "field" is a big-endian u32 length followed by that many bytes and integers are
// big-endian two's complement. Unknown versions are an error, never skipped.

#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace jtgw::storage {

inline constexpr std::uint8_t legacy_record_version = 1;
inline constexpr std::uint8_t current_record_version = 2;

/// Appends the encoding of record.version (1 or 2) to out. A v1 encoding keeps only
/// user, label and digest. Precondition: fields within the max_*_bytes limits and
/// version 1 or 2 (create() checks this; anything else is a programming error).
void encode_record(const token_record& record, std::string& out);

/// Decodes either version. A v1 record gets id = legacy_token_id(digest) and no dates.
/// Errors: corrupt_record (empty, truncated, oversized field, trailing bytes, unknown
/// flag bits), unknown_record_version (first byte not 1 or 2).
boost::system::result<token_record> decode_record(std::string_view bytes);

/// The stable id of a legacy record: "legacy-" + hex of the first 8 digest bytes. Not
/// secret: the digest is a SHA-256 of 32 random bytes and the id reveals 64 bits of it.
std::string legacy_token_id(const token_digest& digest);

}  // namespace jtgw::storage
