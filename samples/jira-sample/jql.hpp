#pragma once
// The JQL subset jira-sample understands (README.md lists it):
//   project = KEY | project in (A, B) | key = X | key in (X, Y)
//   created|updated  >= > <= <  "yyyy/MM/dd HH:mm" | "yyyy-MM-dd HH:mm" | "yyyy/MM/dd" | "yyyy-MM-dd"
//   clauses joined by AND;  ORDER BY created|updated|key [ASC|DESC] {, ...}
// Anything else is answered as Jira does: an error message naming what is not supported.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {

enum class sort_field { id, key, created, updated };

struct sort_key {
    sort_field field = sort_field::id;
    bool descending = false;
};

/// Closed interval of epoch milliseconds.
struct time_range {
    millis lo = std::numeric_limits<millis>::min(), hi = std::numeric_limits<millis>::max();
    bool contains(millis t) const noexcept { return lo <= t && t <= hi; }
};

struct jql_filter {
    std::uint64_t projects = ~std::uint64_t{0};      // bit p: project index p allowed
    std::optional<std::vector<std::uint32_t>> issues;  // explicit issue indexes (key clauses)
    time_range created, updated;
    std::vector<sort_key> order;                       // empty: id ascending
    bool restricted = false;                           // has at least one WHERE clause
};

struct jql_result {
    jql_filter filter;
    std::string error;  // non-empty: Jira's message for a 400
    bool ok() const noexcept { return error.empty(); }
};

constexpr std::size_t max_jql_length = 10'000;

/// Parses and binds `jql` against the dataset as seen by a user who may browse the
/// projects in `visible` (bit p = project index p): projects and keys the user cannot
/// see are reported as not existing, exactly as Jira does. Never throws on bad input.
jql_result compile_jql(std::string_view jql, const dataset& d, std::uint64_t visible);

/// Parses a JQL date literal ("yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd",
/// "yyyy-MM-dd") in UTC (every sample user's time zone). nullopt if malformed.
std::optional<millis> parse_jql_date(std::string_view text) noexcept;

}  // namespace jtgw::jira_sample
