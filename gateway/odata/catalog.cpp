// The catalog's small pieces: names of enums, lookups, the error type, file reading.
// The parser and validator proper live in catalog_parse.cpp.
#include "gateway/odata/catalog.hpp"

#include <fstream>
#include <iterator>

namespace jtgw::odata {

namespace {

std::string error_text(const std::string& table, const std::string& column, const std::string& problem) {
    std::string text = "catalog: ";
    if (!table.empty()) text += "table \"" + table + "\", ";
    if (!column.empty()) text += "column \"" + column + "\", ";
    if (!table.empty() || !column.empty()) text.replace(text.size() - 2, 2, ": ");
    return text + problem;
}

}  // namespace

catalog_error::catalog_error(std::string table, std::string column, const std::string& problem)
    : std::runtime_error(error_text(table, column, problem)), table_(std::move(table)), column_(std::move(column)) {}

std::optional<std::size_t> table::column_index(std::string_view wanted) const noexcept {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == wanted) return i;
    return std::nullopt;
}

const table* catalog::find(std::string_view wanted) const noexcept {
    for (const auto& t : tables)
        if (t.name == wanted) return &t;
    return nullptr;
}

bool is_pascal_identifier(std::string_view name) noexcept {
    if (name.empty() || name.size() > 128 || name.front() < 'A' || name.front() > 'Z') return false;
    for (char c : name)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

std::string_view to_string(edm_type type) noexcept {
    switch (type) {
        case edm_type::string: return "Edm.String";
        case edm_type::int64: return "Edm.Int64";
        case edm_type::double_: return "Edm.Double";
        case edm_type::boolean: return "Edm.Boolean";
        case edm_type::date_time_offset: return "Edm.DateTimeOffset";
        case edm_type::date: return "Edm.Date";
    }
    return "Edm.String";
}

std::string_view to_string(flavor f) noexcept { return f == flavor::cloud ? "cloud" : "datacenter"; }

catalog load_catalog_file(const std::filesystem::path& path) {
    constexpr std::uintmax_t max_catalog_bytes = 4u << 20;  // far above any real catalog
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (ec) throw catalog_error("", "", "cannot read " + path.string() + ": " + ec.message());
    if (size > max_catalog_bytes)
        throw catalog_error("", "", path.string() + " is larger than 4 MiB");
    std::ifstream in(path, std::ios::binary);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (!in.good() && !in.eof()) throw catalog_error("", "", "cannot read " + path.string());
    return parse_catalog(text);
}

}  // namespace jtgw::odata
