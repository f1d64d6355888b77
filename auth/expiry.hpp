#pragma once
// Effective expiry of a token: its own expiry date capped by the admin's max-lifetime
// policy. One function, shared by the Authenticator, the portal and the admin API.

#include "storage/token_store.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace jtgw::auth {

/// The first instant at which a token with expiry date `d` is expired: 00:00:00.000 UTC
/// of d + 1 (a token is valid through 23:59:59.999 UTC of its expiry date).
constexpr storage::clock_time end_of_expiry_date(std::chrono::sys_days d) noexcept {
  return storage::clock_time(d + std::chrono::days{1});
}

/// The first instant at which `record` is no longer valid, or nullopt if it never
/// expires. Own expiry: end_of_expiry_date(record.expires). With a policy of N days set
/// at P, the cap is max(created, P) + N days, where a legacy record (no creation date)
/// counts as created at P; the result is the earlier of the two. A record without an
/// expiry date and without a policy never expires.
std::optional<storage::clock_time> effective_expiry(
    const storage::token_record& record,
    const std::optional<storage::lifetime_policy>& policy) noexcept;

/// True iff `now` is at or past `expires_at` (nullopt: never expired).
constexpr bool is_expired(const std::optional<storage::clock_time>& expires_at,
                          storage::clock_time now) noexcept {
  return expires_at.has_value() && now >= *expires_at;
}

/// `t` as RFC 3339 in UTC with millisecond precision, e.g. "2025-03-02T00:00:00.000Z"
/// (for messages and the X-Jtgw-Token-Expires header).
std::string to_rfc3339(storage::clock_time t);

}  // namespace jtgw::auth
