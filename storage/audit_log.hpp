#pragma once
// Recording audit events: the kinds every room uses, and one function that appends an
// event to the store and writes the same line to the log. The store keeps the record
// admins query (`jtgw audit`); the log line lets log shippers see it as it happens.

#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <string_view>

namespace jtgw::storage {

/// The event kinds (audit_event::kind). Stable strings: admins filter on them.
namespace audit_kind {
inline constexpr std::string_view token_created = "token.create";
inline constexpr std::string_view token_revoked = "token.revoke";          // by its owner or an admin (actor)
inline constexpr std::string_view user_revoked = "token.revoke_user";      // every token of a user
inline constexpr std::string_view policy_set = "policy.set";
inline constexpr std::string_view policy_cleared = "policy.clear";
inline constexpr std::string_view sign_in_success = "signin.success";
inline constexpr std::string_view sign_in_failure = "signin.failure";
inline constexpr std::string_view lockout = "auth.lockout";                // a (user, address) pair locked
inline constexpr std::string_view backup = "store.backup";
}  // namespace audit_kind

/// The actor recorded for operations over the admin socket.
inline constexpr std::string_view admin_actor = "admin";

/// Appends `event` (an `at` of zero means now) and logs it at info as one line,
/// `audit: kind=… actor=… user=… token=… detail=…`. Callers must never put a secret in
/// any field. Returns the store's error (invalid_argument for a field over 4 KiB, or
/// any store failure), which is also logged at error; a caller whose operation already
/// happened (a sign-in, a lockout) may ignore it — the log line still records it.
boost::system::result<void> record_audit(token_store& store, audit_event event);

}  // namespace jtgw::storage
