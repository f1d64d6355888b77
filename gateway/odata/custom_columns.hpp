#pragma once
// Custom fields as columns: from Jira's field list (GET /field, as one user sees it) and
// the catalog's "custom_fields" rules to the columns appended to a table (Issues). Pure:
// the data layer fetches the list, the OData service serves the extended catalog.
//
// Column names (connector-manifest/README.md, "Custom field columns"): the field's name
// in PascalCase, an underscore, and the number of its id ("Story Points",
// customfield_10016 -> StoryPoints_10016). They depend on that one field only, so they
// stay the same across restarts and when other fields come or go; the id makes them
// unique, and the underscore, which catalog names never hold, keeps them apart from the
// catalog's own columns.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "gateway/odata/catalog.hpp"

namespace jtgw::odata {

/// The most custom-field columns one table gets (large Jira sites have a few thousand
/// custom fields; each column costs every row a JSON member).
inline constexpr std::size_t max_custom_columns = 2000;

/// The column name for custom field `field_id` ("customfield_<digits>") named
/// `field_name`: ASCII letters and digits of the name, each word's first letter upper
/// case, the rest as written; "Field" in front when that is empty or starts with a
/// digit; cut so the whole name is at most 128 characters; then "_" and the digits.
/// nullopt when `field_id` is not "customfield_" followed by 1 to 18 digits.
std::optional<std::string> custom_column_name(std::string_view field_id, std::string_view field_name);

/// The first rule of `section` matching a field's `schema` object ({"type", "items",
/// "custom", …}), or nullptr when none does (or `schema` is not an object).
const custom_field_rule* match_custom_field(const custom_fields_section& section, const boost::json::value& schema);

/// A field of the list that got no column, and why (logged at debug level).
struct skipped_field {
    std::string id;
    std::string reason;
};

/// `base` with one column appended to base.custom_fields->table per custom field of
/// `fields` (the field list's rows) that a rule maps to a column, in ascending order of
/// the field's number. Each column: nullable, described as "<name> (<id>)", reading
/// "/fields/<id>" plus the rule's path. Fields that are not custom, have no usable id,
/// name or schema, match no rule, or match a child_table rule are appended to `skipped`
/// instead, as are duplicates and those beyond max_custom_columns. Requires
/// base.custom_fields.
catalog with_custom_columns(const catalog& base, const boost::json::array& fields, std::vector<skipped_field>& skipped);

/// Points each child_table rule's table at the custom field of `fields` that the rule
/// matches (first matching rule, as for columns; the lowest-numbered field when several
/// do): its rows.each[0] becomes "/fields/<id>" in both flavors, so the table's search
/// asks for that field and reads its rows from it. A table whose field the list lacks
/// keeps the catalog's path. Requires tables.custom_fields.
void point_child_tables(catalog& tables, const boost::json::array& fields);

}  // namespace jtgw::odata
