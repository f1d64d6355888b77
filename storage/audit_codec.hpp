#pragma once
// On-disk encoding of the audit column family. Keys sort by time: big-endian
// (ms since epoch with the sign bit flipped, so pre-1970 times sort first) followed by a
// big-endian u64 sequence that keeps equal-time events in append order. Values:
//   0x01 | i64 at ms | field kind | field actor | field user | field token_id | field detail

#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace jtgw::storage {

inline constexpr std::size_t audit_key_bytes = 16;
inline constexpr std::size_t max_audit_field_bytes = 4096;

/// The key of an event at `at` with sequence `sequence`.
std::string audit_key(clock_time at, std::uint64_t sequence);
/// The smallest key at or after `at` (sequence 0).
inline std::string audit_key_from(clock_time at) { return audit_key(at, 0); }
/// The sequence part of a stored key. Errors: corrupt_record (wrong length).
boost::system::result<std::uint64_t> audit_key_sequence(std::string_view key);

/// Precondition: every field within max_audit_field_bytes (append_audit checks).
std::string encode_audit_event(const audit_event& event);
/// Errors: corrupt_record (truncated, oversized, trailing bytes), unknown_record_version.
boost::system::result<audit_event> decode_audit_event(std::string_view bytes);

}  // namespace jtgw::storage
