#pragma once
// Jira's timestamp and date spellings, to and from UTC epoch milliseconds.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {

/// Days since 1970-01-01 for a proleptic Gregorian date (no range checks).
std::int32_t days_from_civil(int year, unsigned month, unsigned day) noexcept;

/// Platform REST spelling: "2025-01-17T12:34:00.000+0000".
std::string jira_time(millis t);
/// Agile REST spelling: "2025-01-17T12:34:00.000+00:00".
std::string agile_time(millis t);
/// ISO-8601 UTC spelling used inside Cloud's sprint field: "2025-01-17T12:34:00.000Z".
std::string zulu_time(millis t);
/// Calendar date: "2025-01-17".
std::string jira_date(std::int32_t days);

/// Parses jira_time() or agile_time() output (any +hhmm / +hh:mm / Z offset).
/// Returns nullopt for anything else.
std::optional<millis> parse_jira_time(std::string_view text) noexcept;
/// Parses "yyyy-MM-dd". Returns nullopt for anything else or an impossible date.
std::optional<std::int32_t> parse_jira_date(std::string_view text) noexcept;

}  // namespace jtgw::jira_sample
