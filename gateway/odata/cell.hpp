#pragma once
// One value of a table row, typed by its column's OData type. gateway/jira produces rows
// of cells (row_extract.hpp); the OData writer turns them into JSON (json_writer.hpp).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace jtgw::odata {

/// Edm.DateTimeOffset, held as UTC milliseconds since 1970-01-01T00:00:00Z.
struct utc_millis {
    std::int64_t value = 0;
    friend bool operator==(utc_millis, utc_millis) = default;
};

/// Edm.Date, held as days since 1970-01-01.
struct civil_days {
    std::int32_t value = 0;
    friend bool operator==(civil_days, civil_days) = default;
};

/// monostate is JSON null. The other alternatives map one-to-one onto edm_type.
using cell = std::variant<std::monostate, std::string, std::int64_t, double, bool, utc_millis, civil_days>;

/// Cells in catalog column order (every column of the table, selected or not).
using row = std::vector<cell>;

}  // namespace jtgw::odata
