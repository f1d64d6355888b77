#pragma once
// $filter's time ranges as JQL, so Jira sends only (a superset of) the rows the filter
// keeps; the OData side then drops the rest exactly (odata/filter.hpp).
//
// JQL compares dates to the minute ("yyyy/MM/dd HH:mm") and reads them in the searching
// user's profile time zone, which jtgw does not know. So each bound is widened: to whole
// minutes, and by the widest offsets civil time zones have from UTC (−12:00 … +14:00).
// The JQL is written only from jtgw's own formatting of parsed instants and the
// catalog's field names (validated at load): nothing the client sent reaches it as text.
#include <chrono>
#include <string>
#include <string_view>

#include "gateway/odata/catalog.hpp"
#include "gateway/odata/filter.hpp"

namespace jtgw::jira {

/// The UTC offsets a JQL date may be read in (local time = UTC + offset).
struct jql_zone_window {
  std::chrono::minutes earliest{-12 * 60};
  std::chrono::minutes latest{14 * 60};
};

/// The JQL condition narrowing table `t`'s search to a superset of the rows `f` keeps:
/// for each filterable column with a bound, `field >= "L"` (lower) and `field < "U"`
/// (upper; not for columns whose filter pushes lower bounds only), joined with AND,
/// several bounds on one JQL field merged. "" when nothing narrows. A bound whose JQL
/// date would fall outside the years 1900–9999 is left to the exact filter alone.
std::string jql_narrowing(const odata::table& t, const odata::row_filter& f, jql_zone_window zones = {});

/// `base` (a catalog query's JQL, possibly with ORDER BY) with `narrowing` ANDed to its
/// condition, before any ORDER BY; a condition holding a top-level OR is parenthesised
/// first. `base` unchanged when `narrowing` is empty.
std::string and_jql(std::string_view base, std::string_view narrowing);

/// "yyyy/MM/dd HH:mm" of the minute holding `utc_millis` (floored).
std::string jql_minute(std::int64_t utc_millis);

}  // namespace jtgw::jira
