#pragma once
// Jira JSON -> one table row, per the catalog's column sources and conversions. This is
// the meeting point of gateway/jira (which fetches the JSON) and the OData writer (which
// serialises rows): neither knows the other's shapes.
#include <cstddef>
#include <vector>

#include <boost/json/value.hpp>

#include "gateway/odata/catalog.hpp"
#include "gateway/odata/cell.hpp"
#include "gateway/odata/row_expand.hpp"

namespace jtgw::odata {

/// Why a column came out null although Jira sent something (or should have).
struct extract_problem {
    enum kind_t { unconvertible, missing_required } kind;
    std::size_t column;  // index into table::columns
};

/// Fills `out` (resized to the table's column count) from
/// one Jira item: the element of the response's row array. `parent` is the parent table's
/// JSON item for per-parent tables (Versions per project, Sprints per board), else null.
/// Never fails: a missing value, JSON null, or a value that cannot become the column's
/// type is a null cell. The latter two kinds are appended to `problems` when given, so
/// the data layer can log Jira shapes it did not expect without losing the row.
/// Coercions for conversion "none": Int64 takes an integer or a decimal string (Jira
/// spells most ids as strings); Double any number or numeric string; Boolean a bool or
/// "true"/"false"; String a string, number or bool (as its JSON text).
void extract_row(const table& t, flavor f, const boost::json::value& item, const boost::json::value* parent, row& out,
                 std::vector<extract_problem>* problems = nullptr);

/// The same for one row of a table with rows.each: each column reads the object its scope
/// names in `scope` (item_rows gives them); conversion "position" gives the row's (or
/// the outer element's) index; "cases" take the first case whose `when` holds.
void extract_row(const table& t, flavor f, const row_scope& scope, row& out,
                 std::vector<extract_problem>* problems = nullptr);

/// Converts one JSON value as column `c` would for flavor `f`; nullopt when it cannot.
/// JSON null yields a null cell (monostate), not nullopt.
std::optional<cell> convert_value(const column& c, flavor f, const boost::json::value& value);

}  // namespace jtgw::odata
