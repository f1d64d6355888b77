// Parses tables.json into typed structs and rejects anything jtgw could not serve.
// Every check names the table and column it is about, because the operator reading the
// start-up error has only the message to find the line to fix.
#include <algorithm>
#include <cctype>
#include <set>

#include <boost/json/parse.hpp>

#include "gateway/odata/catalog.hpp"
#include "gateway/odata/catalog_parse_util.hpp"

namespace jtgw::odata {

namespace json = boost::json;
using namespace detail;

namespace {

edm_type type_of(std::string_view text, const where& at) {
    return enum_of<edm_type>(text,
                             {{"Edm.String", edm_type::string},
                              {"Edm.Int64", edm_type::int64},
                              {"Edm.Double", edm_type::double_},
                              {"Edm.Boolean", edm_type::boolean},
                              {"Edm.DateTimeOffset", edm_type::date_time_offset},
                              {"Edm.Date", edm_type::date}},
                             at, "type");
}

// Each conversion produces one column type; "none" may not feed the two time types,
// whose Jira spelling must be named so the reader of the catalog knows what to expect.
bool fits(conversion c, edm_type t) {
    switch (c) {
        case conversion::none:
        case conversion::greenhopper: return t != edm_type::date_time_offset && t != edm_type::date;
        case conversion::jira_datetime:
        case conversion::agile_datetime: return t == edm_type::date_time_offset;
        case conversion::date: return t == edm_type::date;
        case conversion::adf_to_text:
        case conversion::join: return t == edm_type::string;
        case conversion::position: return t == edm_type::int64;
    }
    return false;
}

std::vector<value_case> cases_of(const json::value& v, edm_type type, const where& at) {
    if (!v.is_array() || v.get_array().empty()) fail(at, "\"cases\" must be a non-empty array");
    std::vector<value_case> out;
    for (const auto& cv : v.get_array()) {
        const auto& obj = object_of(cv, at, "a case");
        only_keys(obj, {"when", "value", "path"}, at, "a case");
        value_case c;
        c.when = pointer_of(obj, "when", at, true);
        if ((member(obj, "value") != nullptr) == (member(obj, "path") != nullptr))
            fail(at, "a case needs exactly one of \"value\" (a constant) and \"path\"");
        if (member(obj, "value")) {
            if (type != edm_type::string) fail(at, "a case's constant \"value\" needs an Edm.String column");
            c.value = string_of(obj, "value", at, true);
        }
        c.path = pointer_of(obj, "path", at, false);
        out.push_back(std::move(c));
    }
    return out;
}

value_source value_source_of(const json::value& v, edm_type type, const where& at, std::string_view what) {
    const auto& obj = object_of(v, at, what);
    only_keys(obj, {"path", "cases", "convert", "scope", "item", "separator", "member"}, at, what);
    value_source s;
    if ((member(obj, "path") != nullptr) == (member(obj, "cases") != nullptr))
        fail(at, "a value source needs exactly one of \"path\" and \"cases\"");
    s.path = pointer_of(obj, "path", at, false);
    if (const auto* cases = member(obj, "cases")) s.cases = cases_of(*cases, type, at);
    std::string convert_name = member(obj, "convert") ? string_of(obj, "convert", at, true) : "none";
    s.convert = enum_of<conversion>(convert_name,
                                    {{"none", conversion::none},
                                     {"jira_datetime", conversion::jira_datetime},
                                     {"agile_datetime", conversion::agile_datetime},
                                     {"date", conversion::date},
                                     {"adf_to_text", conversion::adf_to_text},
                                     {"join", conversion::join},
                                     {"position", conversion::position},
                                     {"greenhopper", conversion::greenhopper}},
                                    at, "conversion");
    if (!fits(s.convert, type))
        fail(at, "conversion " + in_quotes(convert_name) + " cannot produce " + std::string(to_string(type)));
    if (member(obj, "scope"))
        s.scope = enum_of<value_scope>(string_of(obj, "scope", at, true),
                                       {{"row", value_scope::row},
                                        {"parent", value_scope::parent},
                                        {"outer", value_scope::outer},
                                        {"listed", value_scope::listed}},
                                       at, "scope");
    if (s.convert != conversion::join && (member(obj, "item") || member(obj, "separator")))
        fail(at, "\"item\" and \"separator\" belong to the join conversion only");
    s.item = pointer_of(obj, "item", at, false);
    if (member(obj, "separator")) s.separator = string_of(obj, "separator", at, true);
    if ((s.convert == conversion::greenhopper) != (member(obj, "member") != nullptr))
        fail(at, "the greenhopper conversion needs \"member\" (and only it takes one)");
    s.member = string_of(obj, "member", at, false);
    if (s.convert == conversion::position) {
        if (!s.cases.empty() || !s.path.tokens.empty())
            fail(at, "conversion \"position\" reads no value: its \"path\" must be \"\"");
        if (s.scope != value_scope::row && s.scope != value_scope::outer)
            fail(at, "conversion \"position\" needs scope \"row\" or \"outer\"");
    }
    return s;
}

// A source is either one spec for both flavors, or {"cloud": spec, "datacenter": spec}.
template <typename T, typename Parse>
std::array<T, flavor_count> per_flavor(const json::object& owner, std::initializer_list<std::string_view> shared_keys,
                                       const where& at, Parse parse) {
    const json::value* v = member(owner, "source");
    if (v == nullptr) fail(at, "missing \"source\"");
    const auto& obj = object_of(*v, at, "source");
    std::array<T, flavor_count> out;
    if (std::any_of(shared_keys.begin(), shared_keys.end(), [&](auto k) { return member(obj, k) != nullptr; })) {
        out[0] = parse(*v, "source");
        out[1] = out[0];
        return out;
    }
    only_keys(obj, {"cloud", "datacenter"}, at, "source");
    for (flavor f : {flavor::cloud, flavor::datacenter}) {
        const json::value* fv = member(obj, to_string(f));
        if (fv == nullptr) fail(at, "missing source for " + std::string(to_string(f)));
        out[static_cast<std::size_t>(f)] = parse(*fv, "source." + std::string(to_string(f)));
    }
    return out;
}

// A column's "type" and "source", checked together (the conversion must fit the type).
void type_and_source(const json::object& obj, column& c, const where& at) {
    c.type = type_of(string_of(obj, "type", at, true), at);
    c.source = per_flavor<value_source>(obj, {"path", "cases"}, at, [&](const json::value& sv, const std::string& what) {
        return value_source_of(sv, c.type, at, what);
    });
}

// "filter": {"jql": "updated"[, "push": "both" | "lower"]} on a DateTimeOffset column.
std::optional<column_filter> filter_of(const json::object& col, edm_type type, const where& at) {
    const json::value* v = member(col, "filter");
    if (v == nullptr) return std::nullopt;
    const auto& obj = object_of(*v, at, "filter");
    only_keys(obj, {"jql", "push"}, at, "filter");
    if (type != edm_type::date_time_offset) fail(at, "only Edm.DateTimeOffset columns may have a \"filter\"");
    column_filter f;
    f.jql = string_of(obj, "jql", at, true);
    // jtgw writes this name into JQL: a plain field name, nothing that could change the query.
    const bool plain = !f.jql.empty() && f.jql.size() <= 64 && std::islower(static_cast<unsigned char>(f.jql[0])) &&
                       std::all_of(f.jql.begin(), f.jql.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
    if (!plain) fail(at, "filter \"jql\" must be a JQL field name ([a-z][A-Za-z0-9]*, at most 64)");
    if (member(obj, "push"))
        f.lower_bound_only = enum_of<bool>(string_of(obj, "push", at, true), {{"both", false}, {"lower", true}}, at,
                                           "filter push");
    return f;
}

column column_of(const json::value& v, const where& table_at) {
    where at = table_at;
    const auto& obj = object_of(v, at, "column");
    column c;
    c.name = string_of(obj, "name", at, true);
    at.column = c.name;
    if (!is_pascal_identifier(c.name)) fail(at, "invalid identifier (PascalCase [A-Z][A-Za-z0-9]*, at most 128)");
    only_keys(obj, {"name", "description", "type", "nullable", "source", "filter"}, at, "column");
    c.description = string_of(obj, "description", at, false);
    if (const auto* n = member(obj, "nullable")) {
        if (!n->is_bool()) fail(at, "\"nullable\" must be true or false");
        c.nullable = n->get_bool();
    }
    type_and_source(obj, c, at);
    c.filter = filter_of(obj, c.type, at);
    return c;
}

table table_of(const json::value& v) {
    where at;
    const auto& obj = object_of(v, at, "table");
    table t;
    t.name = string_of(obj, "name", at, true);
    at.table = t.name;
    if (!is_pascal_identifier(t.name)) fail(at, "invalid identifier (PascalCase [A-Z][A-Za-z0-9]*, at most 128)");
    only_keys(obj, {"name", "description", "key", "columns", "source"}, at, "table");
    t.description = string_of(obj, "description", at, true);
    if (t.description.empty()) fail(at, "\"description\" is empty");

    const json::value* cols = member(obj, "columns");
    if (cols == nullptr || !cols->is_array() || cols->get_array().empty()) fail(at, "needs a non-empty \"columns\" array");
    std::set<std::string> lower_names;
    for (const auto& cv : cols->get_array()) {
        t.columns.push_back(column_of(cv, at));
        if (!lower_names.insert(folded(t.columns.back().name)).second) fail({t.name, t.columns.back().name}, "duplicate column name");
    }

    const json::value* key = member(obj, "key");
    if (key == nullptr || !key->is_array() || key->get_array().empty())
        fail(at, "needs a non-empty \"key\" array of column names");
    for (const auto& kv : key->get_array()) {
        if (!kv.is_string()) fail(at, "\"key\" must hold column names");
        std::string name(kv.get_string());
        auto index = t.column_index(name);
        if (!index) fail({t.name, name}, "key names a column that does not exist");
        if (std::find(t.key.begin(), t.key.end(), *index) != t.key.end()) fail({t.name, name}, "key lists the column twice");
        if (t.columns[*index].nullable) fail({t.name, name}, "key column must be \"nullable\": false");
        t.key.push_back(*index);
    }

    t.source = per_flavor<table_source>(obj, {"endpoint"}, at, [&](const json::value& sv, const std::string& what) {
        return table_source_of(sv, at, what);
    });
    for (const auto& c : t.columns)
        for (const auto& src : t.source)
            if (c.filter && src.paging != paging_style::search && src.paging != paging_style::search_jql)
                fail({t.name, c.name}, "\"filter\" needs a JQL search source (paging search or search_jql)");
            // The search lists issues, the rows are their children: an issue's `updated` is at
            // or after every child's times, so it (and only it) bounds them, and from below.
            else if (c.filter && src.rows && (!c.filter->lower_bound_only || c.filter->jql != "updated"))
                fail({t.name, c.name}, "a child table's \"filter\" must be {\"jql\": \"updated\", \"push\": \"lower\"}: "
                                       "only the issue's updated bounds its children's times, and only from below");
    for (auto& src : t.source) {
        if (!src.worklog_feed) continue;
        const auto index = t.column_index(src.worklog_feed->column);
        if (!index) fail({t.name, src.worklog_feed->column}, "worklog_feed names a column that does not exist");
        if (!t.columns[*index].filter) fail({t.name, src.worklog_feed->column}, "worklog_feed's column needs a \"filter\"");
        src.worklog_feed->column_index = *index;
    }
    return t;
}

// A column may read only the JSON objects its table's source gives it for flavor `f`.
void check_scope(const table& t, const column& c, flavor f) {
    const auto& src = t.source[static_cast<std::size_t>(f)];
    const auto& value = c.source[static_cast<std::size_t>(f)];
    const std::size_t levels = src.rows ? src.rows->each.size() : 0;
    const std::string in_flavor = " in the " + std::string(to_string(f)) + " source";
    const where at{t.name, c.name};
    if (value.scope == value_scope::parent && !src.parent) fail(at, "scope \"parent\" but" + in_flavor + " there is no parent");
    if (value.scope == value_scope::listed && levels == 0)
        fail(at, "scope \"listed\" needs \"rows\"" + in_flavor + " (without it the row is the listed item)");
    if (value.scope == value_scope::outer && levels != 2)
        fail(at, "scope \"outer\" needs two levels of \"rows.each\"" + in_flavor);
    if (value.convert == conversion::position && levels == 0)
        fail(at, "conversion \"position\" needs \"rows\"" + in_flavor);
}

// Parent references may point forward, so they are resolved once every table is known.
void resolve_sources(catalog& cat) {
    for (auto& t : cat.tables) {
        for (flavor f : {flavor::cloud, flavor::datacenter}) {
            auto& src = t.source[static_cast<std::size_t>(f)];
            where at{t.name, ""};
            if (src.parent) {
                const table* parent = cat.find(src.parent->table);
                if (parent == nullptr) fail(at, "parent table " + in_quotes(src.parent->table) + " does not exist");
                if (parent == &t) fail(at, "a table cannot be its own parent");
                if (parent->source[static_cast<std::size_t>(f)].parent)
                    fail(at, "parent table " + in_quotes(parent->name) + " has a parent itself (one level only)");
                src.parent->table_index = static_cast<std::size_t>(parent - cat.tables.data());
            }
            for (const auto& c : t.columns) check_scope(t, c, f);
        }
    }
}

}  // namespace

catalog parse_catalog(std::string_view json_text) {
    boost::system::error_code ec;
    json::value root = json::parse(json_text, ec);
    if (ec) throw catalog_error("", "", "not valid JSON: " + ec.message());
    where at;
    const auto& obj = object_of(root, at, "the catalog");
    only_keys(obj, {"catalog_version", "namespace", "tables", "custom_fields"}, at, "the catalog");
    const json::value* version = member(obj, "catalog_version");
    if (version == nullptr || !version->is_int64() || version->get_int64() != 1)
        fail(at, "\"catalog_version\" must be 1");
    catalog cat;
    cat.schema_namespace = string_of(obj, "namespace", at, true);
    if (!is_pascal_identifier(cat.schema_namespace)) fail(at, "\"namespace\" must be a PascalCase identifier");
    const json::value* tables = member(obj, "tables");
    if (tables == nullptr || !tables->is_array() || tables->get_array().empty())
        fail(at, "needs a non-empty \"tables\" array");
    std::set<std::string> lower_names;
    for (const auto& tv : tables->get_array()) {
        cat.tables.push_back(table_of(tv));
        if (!lower_names.insert(folded(cat.tables.back().name)).second) fail({cat.tables.back().name, ""}, "duplicate table name");
    }
    resolve_sources(cat);
    if (const json::value* custom = member(obj, "custom_fields")) cat.custom_fields = custom_fields_of(*custom, cat);
    return cat;
}

namespace detail {

column column_template_of(const json::value& v, const where& at, std::string_view what) {
    const auto& obj = object_of(v, at, what);
    only_keys(obj, {"type", "source"}, at, what);
    column c;
    type_and_source(obj, c, at);
    return c;
}

}  // namespace detail

}  // namespace jtgw::odata
