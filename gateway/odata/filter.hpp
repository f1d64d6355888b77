#pragma once
// $filter as jtgw serves it: time ranges on the catalog's filterable DateTimeOffset
// columns (Issues' Updated and Created, …), for incremental pulls.
//
//   filter     = term *( "and" term )
//   term       = "(" filter ")" / comparison
//   comparison = Column op DateTimeOffset / DateTimeOffset op Column
//   op         = "ge" / "gt" / "le" / "lt"
//
// DateTimeOffset is OData's literal, yyyy-mm-ddThh:mm[:ss[.f{1,12}]](Z|±hh:mm). Each
// column's comparisons become one inclusive range of whole UTC milliseconds (Jira's
// precision), so a row is kept exactly when every comparison holds for its value; a
// null value fails every comparison, as in OData.
//
// Errors follow OData (Part 1, 9.3.1 and Part 2, 5.1.1): text that is not a valid
// $filter expression, names no column of the table, or compares a column with a value of
// another type is a 400 ("InvalidFilter"); a valid expression using what jtgw does not
// implement (or, not, eq, functions, other columns, lambdas, paths, …) is a 501
// ("NotImplemented") whose message names that part.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/system/result.hpp>

#include "gateway/odata/catalog.hpp"
#include "gateway/odata/cell.hpp"
#include "gateway/odata/odata_error.hpp"

namespace jtgw::odata {

inline constexpr std::size_t max_filter_chars = 2048;   // of the decoded $filter text
inline constexpr std::size_t max_filter_comparisons = 32;
inline constexpr std::size_t max_filter_depth = 16;     // nested parentheses

/// The rows one column's comparisons keep: lower <= value <= upper, UTC milliseconds.
struct time_range {
    std::size_t column = 0;  // index into table::columns
    std::int64_t lower = std::numeric_limits<std::int64_t>::min();
    std::int64_t upper = std::numeric_limits<std::int64_t>::max();

    bool has_lower() const noexcept { return lower != std::numeric_limits<std::int64_t>::min(); }
    bool has_upper() const noexcept { return upper != std::numeric_limits<std::int64_t>::max(); }
    friend bool operator==(const time_range&, const time_range&) = default;
};

/// A parsed $filter: one range per bounded column, in column order. Empty: no $filter.
struct row_filter {
    std::vector<time_range> ranges;

    bool empty() const noexcept { return ranges.empty(); }
    /// True when no row can pass (some range has lower > upper).
    bool contradictory() const noexcept;
    /// True when every range holds for the row's cell (a DateTimeOffset or null).
    bool matches(const row& cells) const noexcept;
    /// A spelling that is equal for equal filters, however they were written
    /// ("" for none): what a $skiptoken is bound to.
    std::string canonical() const;
};

/// Parses the decoded $filter text against table `t` (see the grammar above).
boost::system::result<row_filter, odata_error> parse_filter(const table& t, std::string_view text);

/// Parses an OData DateTimeOffset literal. On success `millis` is the instant in UTC
/// milliseconds, rounded down, and `sub_millis` says whether digits past the millisecond
/// were not all zero (so the exact instant lies strictly after `millis`). A space in
/// place of the offset's sign is read as '+', since '+' in a query string decodes to a
/// space when a client forgot to percent-encode it.
struct odata_instant {
    std::int64_t millis = 0;
    bool sub_millis = false;
};
std::optional<odata_instant> parse_odata_datetime(std::string_view text) noexcept;

}  // namespace jtgw::odata
