#pragma once
// Internal to the catalog code (catalog_parse.cpp, custom_fields_parse.cpp,
// custom_columns.cpp): the small readers every part of tables.json is checked with. Each
// failure is a catalog_error naming the table and column (or catalog part) it is about.
#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "gateway/odata/catalog.hpp"

namespace jtgw::odata::detail {

namespace json = boost::json;

struct where {
    std::string table, column;
};

[[noreturn]] inline void fail(const where& at, const std::string& problem) {
    throw catalog_error(at.table, at.column, problem);
}

inline std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Names are unique case-insensitively: BI tools and OData clients fold case.
inline std::string folded(std::string name) {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    return name;
}

inline const json::object& object_of(const json::value& v, const where& at, std::string_view what) {
    if (!v.is_object()) fail(at, std::string(what) + " must be a JSON object");
    return v.get_object();
}

// Unknown keys are errors, so a misspelt "nulable" does not silently mean the default.
inline void only_keys(const json::object& obj, std::initializer_list<std::string_view> allowed, const where& at,
                      std::string_view what) {
    for (const auto& member : obj)
        if (std::find(allowed.begin(), allowed.end(), std::string_view(member.key())) == allowed.end())
            fail(at, "unknown key " + in_quotes(member.key()) + " in " + std::string(what));
}

inline const json::value* member(const json::object& obj, std::string_view key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &it->value();
}

inline std::string string_of(const json::object& obj, std::string_view key, const where& at, bool required) {
    const json::value* v = member(obj, key);
    if (v == nullptr) {
        if (required) fail(at, "missing " + in_quotes(key));
        return {};
    }
    if (!v->is_string()) fail(at, in_quotes(key) + " must be a string");
    return std::string(v->get_string());
}

inline json_pointer pointer_of(const json::object& obj, std::string_view key, const where& at, bool required) {
    const json::value* v = member(obj, key);
    if (v == nullptr && !required) return {};
    std::string text = string_of(obj, key, at, true);
    auto p = json_pointer::parse(text);
    if (!p) fail(at, in_quotes(key) + " is not a JSON pointer (RFC 6901, \"/a/b\"): " + in_quotes(text));
    return *p;
}

template <typename Enum>
Enum enum_of(std::string_view text, std::initializer_list<std::pair<std::string_view, Enum>> names, const where& at,
             std::string_view what) {
    std::string expected;
    for (const auto& [name, value] : names) {
        if (name == text) return value;
        expected += (expected.empty() ? "" : ", ") + std::string(name);
    }
    fail(at, "unknown " + std::string(what) + " " + in_quotes(text) + " (expected one of: " + expected + ")");
}

/// Placeholder name -> pointer pairs of a {"name": "/pointer"} object (endpoint params).
inline std::vector<std::pair<std::string, json_pointer>> params_of(const json::value& v, const where& at,
                                                                   std::string_view what) {
    std::vector<std::pair<std::string, json_pointer>> out;
    for (const auto& param : object_of(v, at, what)) {
        if (!param.value().is_string())
            fail(at, std::string(what) + " " + in_quotes(param.key()) + " must be a JSON pointer");
        auto ptr = json_pointer::parse(param.value().get_string());
        if (!ptr) fail(at, std::string(what) + " " + in_quotes(param.key()) + " is not a JSON pointer");
        out.emplace_back(std::string(param.key()), std::move(*ptr));
    }
    return out;
}

/// A TABLE SOURCE object (README.md) for one flavor: endpoint, paging, query, parent,
/// rows. Defined in catalog_parse_source.cpp.
table_source table_source_of(const json::value& v, const where& at, std::string_view what);

/// A column-shaped object holding only "type" and "source", checked as a COLUMN's are
/// (a custom-field rule's column template). Defined in catalog_parse.cpp.
column column_template_of(const json::value& v, const where& at, std::string_view what);

/// The catalog's "custom_fields" section; `cat` holds every table already, with parents
/// resolved. Defined in custom_fields_parse.cpp.
custom_fields_section custom_fields_of(const json::value& v, const catalog& cat);

}  // namespace jtgw::odata::detail
