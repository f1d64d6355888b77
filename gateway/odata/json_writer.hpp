#pragma once
// OData v4 JSON (odata.metadata=minimal) out: the error body, and an incremental writer
// for an entity set page that a streaming response flushes as it fills, so memory stays
// bounded by the flush size and one row, never the table.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/serializer.hpp>

#include "gateway/odata/catalog.hpp"
#include "gateway/odata/cell.hpp"
#include "gateway/odata/odata_error.hpp"

namespace jtgw::odata {

/// {"error":{"code":"…","message":"…","target":"…"}} ("target" only when not empty).
std::string error_body(const odata_error& error);

/// Appends `text` as a JSON string literal (quoted and escaped).
void append_json_string(std::string& out, std::string_view text);

/// "<service_root>$metadata#Table" or, with a $select, "…#Table(Col1,Col2)".
/// `service_root` ends with '/', e.g. "https://jtgw.example.com/odata/".
std::string context_url(std::string_view service_root, const table& t, const std::vector<std::size_t>& selected,
                        bool all_selected);

/// Writes one page: begin(), write_row() per row, finish(). Output accumulates in
/// buffer(); the caller sends it whenever wants_flush() says so (and after finish()) and
/// clears it. Rows hold every catalog column; only `columns` are written, in that order.
class row_writer {
public:
    /// `columns`: indexes into t.columns (all of them when no $select).
    row_writer(const table& t, std::vector<std::size_t> columns, std::size_t flush_bytes = 64 * 1024);

    /// {"@odata.context":"<context>","value":[
    void begin(std::string_view context);
    /// One {"Col":value,…} element. Cells must match their column types (row_extract does).
    void write_row(const row& r);
    /// ]} — or ],"@odata.nextLink":"<next_link>"} when next_link is not empty.
    void finish(std::string_view next_link);

    std::string& buffer() noexcept { return out_; }
    bool wants_flush() const noexcept { return out_.size() >= flush_bytes_; }
    std::size_t rows_written() const noexcept { return rows_; }

private:
    void append_cell(const cell& c);

    std::vector<std::size_t> columns_;
    std::vector<std::string> prefixes_;  // "{\"Id\":" then ",\"Key\":" …, escaped once
    std::size_t flush_bytes_;
    std::size_t rows_ = 0;
    std::string out_;
};

}  // namespace jtgw::odata
