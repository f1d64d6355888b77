#pragma once
// The admin API's JSON shapes and time text, shared by the server (admin_api.cpp) and
// the commands that print its answers (admin_commands.cpp).
#include "storage/token_store.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::admin {

/// RFC 3339 UTC with milliseconds ("2025-03-02T10:15:00.000Z"), or null.
boost::json::value time_json(const std::optional<storage::clock_time>& t);
/// "YYYY-MM-DD".
std::string date_text(std::chrono::sys_days day);

/// A token's metadata: id, user, label, created (null: legacy), expires (its own date or
/// null), effective_expires (the instant it stops working under `policy`, or null),
/// last_used, legacy. Never the digest or the sealed credential.
boost::json::object token_json(const storage::token_record& record,
                               const std::optional<storage::lifetime_policy>& policy);
/// at, kind, actor, user, token_id, detail.
boost::json::object event_json(const storage::audit_event& event);

/// A point in time from the command line or a query: "YYYY-MM-DD" (00:00 UTC that day),
/// "YYYY-MM-DDTHH:MM:SS[.fff]Z", or an age before `now` ("90m", "12h", "7d").
/// nullopt for anything else (no time zones other than Z: admins' logs are UTC).
std::optional<storage::clock_time> parse_time(std::string_view text, storage::clock_time now);

}  // namespace jtgw::admin
