#pragma once
// Jira's timestamp and date spellings in, OData's out. Jira writes
// "2025-01-17T12:34:00.000+0000" (platform REST) and "2025-01-17T12:34:00.000+00:00" or
// "…Z" (Agile REST); OData writes DateTimeOffset as "2025-01-17T12:34:00Z" in UTC.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::odata {

/// Parses "yyyy-MM-ddTHH:mm:ss[.f{1,9}]" followed by "Z", "±HHmm" or "±HH:mm" into UTC
/// milliseconds (digits past milliseconds are dropped). Both Jira spellings are accepted
/// by both conversions: Jira is not consistent about which API uses which. Returns nullopt
/// for anything else, including impossible dates and offsets beyond ±18:00.
std::optional<std::int64_t> parse_jira_datetime(std::string_view text) noexcept;

/// Parses "yyyy-MM-dd" into days since 1970-01-01. Returns nullopt for anything else or
/// an impossible date (2025-02-30).
std::optional<std::int32_t> parse_jira_date(std::string_view text) noexcept;

/// Appends "yyyy-MM-ddTHH:mm:ssZ", or "…ss.fffZ" when the milliseconds are not zero.
void append_odata_datetime(std::string& out, std::int64_t utc_millis);

/// Appends "yyyy-MM-dd".
void append_odata_date(std::string& out, std::int32_t days);

}  // namespace jtgw::odata
