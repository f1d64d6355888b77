#pragma once
// Errors of the token store, as a boost::system error category so they travel in
// boost::system::result / error_code like every other error on the request path.

#include <boost/system/error_code.hpp>

#include <iosfwd>
#include <type_traits>

namespace jtgw::storage {

enum class store_error {
  not_found = 1,           // no record / index entry with that key
  duplicate_label,         // the user already has a token with that label (case-insensitive)
  duplicate_token,         // a record with that digest or id already exists
  corrupt_record,          // stored bytes are truncated or malformed
  unknown_record_version,  // a record's version byte is newer than this binary knows
  schema_too_new,          // the store was written by a newer jtgw
  locked,                  // another process (or another open in this one) holds the store
  io_error,                // RocksDB reported an I/O failure
  invalid_argument,        // bad input: empty/oversized field, bad cursor, zero limit …
  corrupt_store,           // RocksDB reports corruption, or the meta data is unreadable
};

/// The category behind store_error; name() is "jtgw.storage".
const boost::system::error_category& store_category() noexcept;

/// Makes store_error usable wherever an error_code is expected (found by ADL).
inline boost::system::error_code make_error_code(store_error e) noexcept {
  return {static_cast<int>(e), store_category()};
}

/// Prints the message, so test frameworks and logs can show a store_error directly.
std::ostream& operator<<(std::ostream& out, store_error e);

}  // namespace jtgw::storage

template <>
struct boost::system::is_error_code_enum<jtgw::storage::store_error> : std::true_type {};
