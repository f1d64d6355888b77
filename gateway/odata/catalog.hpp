#pragma once
// The table catalog (connector-manifest/tables.json) as typed structs: every table jtgw
// serves over OData, its columns, key, and where each value comes from in Jira's JSON for
// each Jira flavor. connector-manifest/README.md documents the file; this header is its
// in-memory form. Loading happens once at start-up, so errors are exceptions here.
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/odata/json_pointer.hpp"

namespace jtgw::odata {

/// The OData primitive types a column may have (CSDL names: Edm.String, …).
enum class edm_type { string, int64, double_, boolean, date_time_offset, date };

/// Jira Cloud speaks REST v3 (+ Agile 1.0); Jira Data Center speaks REST v2 (+ Agile 1.0).
enum class flavor : std::size_t { cloud = 0, datacenter = 1 };
inline constexpr std::size_t flavor_count = 2;

/// How a JSON value turns into a cell (beyond the column type's own coercion).
enum class conversion {
    none,            // take the value as the column type reads it
    jira_datetime,   // "2025-01-17T12:34:00.000+0000" -> DateTimeOffset (UTC)
    agile_datetime,  // "2025-01-17T12:34:00.000+00:00" -> DateTimeOffset (UTC)
    date,            // "2025-01-17" -> Date
    adf_to_text,     // Atlassian Document Format -> plain text
    join,            // array -> one string of its items (optionally a member of each)
    position,        // the row element's 0-based index in its array (tables with rows.each)
    greenhopper,     // Data Center bean text "…Sprint@1f[id=42,name=…]" -> its `member`
};

/// Which JSON object a column path is evaluated against.
enum class value_scope {
    row,     // the row's own element: the innermost rows.each element, else the listed item
    parent,  // the parent table's row (per-parent tables)
    outer,   // two-level rows.each: the element of the first level (a changelog history)
    listed,  // tables with rows.each: the listed item the rows come from (the issue)
};

/// How a table's Jira endpoint pages; README.md lists each envelope.
enum class paging_style {
    search_jql,     // Cloud /search/jql: nextPageToken in, {issues, nextPageToken, isLast} out
    search,         // DC /search: startAt in, {startAt, maxResults, total, issues} out
    page_bean,      // startAt in, {startAt, maxResults, total, isLast, values} out
    plain_array,    // one unpaged JSON array
    startat_array,  // startAt in, a bare JSON array out; an empty page ends it
    agile,          // Agile startAt in, {startAt, maxResults, isLast, values} out
    startat_total,  // startAt in, {startAt, maxResults, total, <items>} out (issue worklogs, comments)
};

/// One alternative of a value source with "cases": used when `when` leads to a value
/// (not missing, not null); the cell is then `value` (a constant) or what `path` holds.
struct value_case {
    json_pointer when;
    std::optional<std::string> value;        // a constant (String columns only)
    json_pointer path;                       // used when there is no constant
};

struct value_source {
    json_pointer path;                       // where the value is, inside the row or parent
    conversion convert = conversion::none;
    value_scope scope = value_scope::row;
    json_pointer item;                       // join: member of each array element ("" = element)
    std::string separator = ", ";            // join: between items
    std::string member;                      // greenhopper: which member of the bean text
    /// Non-empty: the first case whose `when` holds decides (path is unused); none: null.
    std::vector<value_case> cases;
};

/// A DateTimeOffset column $filter may bound (ge, gt, le, lt). Rows are always filtered
/// exactly by the column's own value; `jql` names the JQL field whose range narrows the
/// table's search so Jira sends fewer rows (a superset of the rows kept).
struct column_filter {
    std::string jql;                         // "updated", "created": the JQL field
    /// True when only a lower bound may be pushed to the search: the search's rows are
    /// the parents of this table's rows (issues of worklogs), and an issue's `updated` is
    /// at or after its children's times, but says nothing about an upper bound.
    bool lower_bound_only = false;
};

struct column {
    std::string name;                        // PascalCase OData identifier
    std::string description;                 // may be empty
    edm_type type = edm_type::string;
    bool nullable = true;
    std::array<value_source, flavor_count> source;  // indexed by flavor
    std::optional<column_filter> filter;     // $filter-able; nullopt: not
};

/// A table whose rows come from one request per row of another table (a parent).
struct parent_link {
    std::string table;                       // parent table's name
    std::size_t table_index = 0;             // index into catalog::tables
    /// Endpoint placeholders ("{projectKey}") and the parent JSON value that fills each.
    std::vector<std::pair<std::string, json_pointer>> params;
    /// Parent rows are used only when the value at only_if_path is one of only_if_in
    /// (for example only scrum boards have sprints). Empty only_if_in: every parent row.
    json_pointer only_if_path;
    std::vector<std::string> only_if_in;
};

/// How a listed item whose embedded list Jira truncated gets its whole list: a per-item
/// endpoint (for example /issue/{issueId}/worklog) paged to its end.
struct completion_rule {
    json_pointer total;                      // in the listed item: the full list's length
    std::string endpoint;                    // may hold {placeholders}, filled from `params`
    paging_style paging = paging_style::startat_total;
    json_pointer items;                      // the list inside each response envelope
    std::int64_t max_page_size = 0;          // 1-5000
    /// Endpoint placeholders and the listed item's value that fills each.
    std::vector<std::pair<std::string, json_pointer>> params;
};

/// Rows that come from arrays inside each listed item instead of the item itself: one
/// row per element of each[0] (or, with two levels, per element of each[1] inside every
/// element of each[0]). Worklogs, comments, changelog items, links … of each issue.
struct row_expansion {
    std::vector<json_pointer> each;          // 1 or 2 levels
    std::optional<completion_rule> complete; // each[0] may be truncated: how to fetch it whole
};

/// Jira Cloud's worklog feed (GET /worklog/updated, POST /worklog/list) as another way to
/// a worklog table's rows: used when $filter bounds `column` (the worklog's updated time)
/// from below, so a narrow range costs a few requests instead of a walk of every issue.
struct worklog_feed_rule {
    std::string column;                      // the worklog's updated time (a filterable column)
    std::size_t column_index = 0;            // index into table::columns
};

struct table_source {
    std::string endpoint;                    // "/rest/api/3/search/jql", may hold {placeholders}
    paging_style paging = paging_style::plain_array;
    json_pointer items;                      // the row array inside the response envelope
    std::int64_t max_page_size = 0;          // the largest page Jira grants (0: unpaged)
    /// Fixed query parameters (jql, expand, …), in catalog order. Paging parameters are
    /// the data layer's and may not appear here.
    std::vector<std::pair<std::string, std::string>> query;
    std::optional<parent_link> parent;
    std::optional<row_expansion> rows;       // absent: one row per listed item
    std::optional<worklog_feed_rule> worklog_feed;
};

struct table {
    std::string name;                        // PascalCase OData identifier = entity set name
    std::string description;
    std::vector<std::size_t> key;            // indexes into columns, in key order
    std::vector<column> columns;             // in catalog order = row cell order
    std::array<table_source, flavor_count> source;

    /// Index of the column named exactly `name`, or nullopt.
    std::optional<std::size_t> column_index(std::string_view name) const noexcept;
};

/// One rule of the catalog's "custom_fields" section: the Jira field schemas it matches
/// and what a matching field becomes (README.md, "CUSTOM FIELDS").
struct custom_field_rule {
    std::string match_type;    // schema.type must equal this ("" = any)
    std::string match_items;   // schema.items must equal this ("" = any)
    std::string match_custom;  // schema.custom, the field's plugin type key ("" = any)
    /// Not empty: the field's values are the rows of this (child) table, so it is no
    /// column of its own. The table's rows.each[0] is an issue field ("/fields/<id>"):
    /// the catalog's guess, which each user's schema points at the field Jira's field
    /// list shows (point_child_tables), since a site's sprint field has its own id.
    std::string child_table;
    std::size_t child_table_index = 0;       // into catalog::tables
    /// Otherwise the column: its type, and per flavor a source whose path is relative to
    /// the field's value ("" = the value itself; "/value" of an option).
    edm_type type = edm_type::string;
    std::array<value_source, flavor_count> source;
};

/// With [odata] include_custom_fields, `table` gets one column per custom field the user
/// can see, found in the listing of `field_list` (Jira's /field) and typed by the first
/// rule that matches the field's schema; fields no rule matches are skipped.
struct custom_fields_section {
    std::string table;               // "Issues"
    std::size_t table_index = 0;     // into catalog::tables
    std::string field_list;          // "Fields": its rows are Jira's field objects
    std::size_t field_list_index = 0;
    std::vector<custom_field_rule> rules;  // in catalog order; the first match wins
};

struct catalog {
    std::string schema_namespace;            // CSDL Schema Namespace, e.g. "Jira"
    std::vector<table> tables;
    std::optional<custom_fields_section> custom_fields;

    /// The table named exactly `name`, or nullptr.
    const table* find(std::string_view name) const noexcept;
};

/// A catalog that cannot be served. what() names the table and column when there is one
/// ("catalog: table \"Issues\", column \"Created\": unknown conversion \"x\"").
class catalog_error : public std::runtime_error {
public:
    catalog_error(std::string table, std::string column, const std::string& problem);
    const std::string& table() const noexcept { return table_; }
    const std::string& column() const noexcept { return column_; }

private:
    std::string table_, column_;
};

/// Parses and validates catalog JSON text. Throws catalog_error naming the first problem
/// (malformed JSON, unknown key, type, conversion or paging style, duplicate or invalid
/// identifier, key not a column, missing or inconsistent source, …).
catalog parse_catalog(std::string_view json_text);

/// Reads `path` and parses it as above. Throws catalog_error also when the file cannot be
/// read or exceeds 4 MiB.
catalog load_catalog_file(const std::filesystem::path& path);

/// True for a PascalCase OData identifier: [A-Z][A-Za-z0-9]{0,127}.
bool is_pascal_identifier(std::string_view name) noexcept;

std::string_view to_string(edm_type type) noexcept;      // "Edm.String", …
std::string_view to_string(flavor f) noexcept;           // "cloud" | "datacenter"

}  // namespace jtgw::odata
