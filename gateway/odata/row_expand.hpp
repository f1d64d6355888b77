#pragma once
// Which rows one listed Jira item (an element of the endpoint's row array: an issue, a
// project, …) stands for. A table without "rows" has one row per listed item; a table
// with rows.each has one row per element of the named array inside the item (worklogs
// of an issue), or with two levels one per element of the inner array of every element
// of the outer one (changelog items of every history of an issue).
#include <cstddef>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include "gateway/odata/catalog.hpp"

namespace jtgw::odata {

/// The JSON objects the columns of one row read (value_scope says which a column reads).
struct row_scope {
    const boost::json::value* row = nullptr;     // the row's own element
    const boost::json::value* outer = nullptr;   // two levels: the outer element; else null
    const boost::json::value* listed = nullptr;  // the listed item
    const boost::json::value* parent = nullptr;  // per-parent tables: the parent row
    std::size_t position = 0;                    // row's index in its array
    std::size_t outer_position = 0;              // outer's index in its array
};

/// Walks the rows of one listed item, in array order. A missing, null or non-array list
/// holds no rows. The item (and `parent`) must outlive the walker.
class item_rows {
public:
    item_rows(const table_source& source, const boost::json::value& listed, const boost::json::value* parent);

    /// Moves to the next row (call it before reading the first); false when none is left.
    bool next();
    /// The current row; valid after next() returned true.
    const row_scope& scope() const noexcept { return scope_; }
    /// Moves past up to `n` rows; returns how many there were.
    std::size_t skip(std::size_t n);

private:
    bool enter_outer();

    const row_expansion* rows_;
    row_scope scope_;
    const boost::json::array* outer_list_ = nullptr;  // two levels: each[0]'s array
    const boost::json::array* list_ = nullptr;        // the array `row` comes from
    std::size_t next_outer_ = 0, next_row_ = 0;
    bool started_ = false;
};

/// How many rows `listed` stands for in a table with `source`.
std::size_t count_rows(const table_source& source, const boost::json::value& listed);

}  // namespace jtgw::odata
