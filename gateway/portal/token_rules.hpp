#pragma once
// The rules a new token's fields must meet (issue 6), pure and without HTTP so that the
// API and its tests share one definition:
//   label   — trimmed of leading/trailing spaces and tabs, then 1–64 characters (Unicode
//             code points) of well-formed UTF-8 without control characters (C0, DEL, C1);
//             unique per user, case-insensitively (ASCII fold; the store enforces it).
//   expires — "YYYY-MM-DD" (a UTC calendar date; the token is valid through the end of
//             that day) or null for never; not before today (UTC). With a max-lifetime
//             policy of N days, a date is required and may be at most the UTC date on
//             which the policy's limit falls (now + N days): the token then stops at that
//             limit's instant, which auth::effective_expiry applies anyway.
#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::portal {

inline constexpr std::size_t max_label_chars = 64;

/// A rejected field: which one, and one English sentence naming the rule (and the limit).
struct field_error {
  std::string field;
  std::string message;
};

/// The label as stored (trimmed). Errors: field "label" — missing/empty, too long, not
/// UTF-8, control characters.
boost::system::result<std::string, field_error> check_label(std::string_view raw);

/// A strict "YYYY-MM-DD" calendar date (year 0001–9999), or nullopt.
std::optional<std::chrono::sys_days> parse_date(std::string_view text) noexcept;
/// `day` as "YYYY-MM-DD".
std::string format_date(std::chrono::sys_days day);

/// What a token created at `now` may choose as its expiry date.
struct expiry_bounds {
  std::chrono::sys_days earliest;               // today, UTC
  std::optional<std::chrono::sys_days> latest;  // the policy's limit date; nullopt: no policy
  std::optional<std::uint32_t> max_days;        // the policy's N
};

expiry_bounds bounds_at(storage::clock_time now, const std::optional<storage::lifetime_policy>& policy) noexcept;

/// Checks a requested expiry (`requested` nullopt: JSON null or absent, i.e. never).
/// Returns the date to store (nullopt: never). Errors: field "expires" — not a date,
/// before today, after the policy's limit, or null while a policy is set.
boost::system::result<std::optional<std::chrono::sys_days>, field_error> check_expiry(
    std::optional<std::string_view> requested, const expiry_bounds& bounds);

}  // namespace jtgw::portal
