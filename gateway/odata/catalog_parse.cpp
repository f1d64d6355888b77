// Parses tables.json into typed structs and rejects anything jtgw could not serve.
// Every check names the table and column it is about, because the operator reading the
// start-up error has only the message to find the line to fix.
#include <algorithm>
#include <cctype>
#include <initializer_list>
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
        case conversion::none: return t != edm_type::date_time_offset && t != edm_type::date;
        case conversion::jira_datetime:
        case conversion::agile_datetime: return t == edm_type::date_time_offset;
        case conversion::date: return t == edm_type::date;
        case conversion::adf_to_text:
        case conversion::join: return t == edm_type::string;
    }
    return false;
}

value_source value_source_of(const json::value& v, edm_type type, const where& at, std::string_view what) {
    const auto& obj = object_of(v, at, what);
    only_keys(obj, {"path", "convert", "scope", "item", "separator"}, at, what);
    value_source s;
    s.path = pointer_of(obj, "path", at, true);
    std::string convert_name = member(obj, "convert") ? string_of(obj, "convert", at, true) : "none";
    s.convert = enum_of<conversion>(convert_name,
                                        {{"none", conversion::none},
                                         {"jira_datetime", conversion::jira_datetime},
                                         {"agile_datetime", conversion::agile_datetime},
                                         {"date", conversion::date},
                                         {"adf_to_text", conversion::adf_to_text},
                                         {"join", conversion::join}},
                                        at, "conversion");
    if (!fits(s.convert, type))
        fail(at, "conversion " + in_quotes(convert_name) + " cannot produce " + std::string(to_string(type)));
    if (member(obj, "scope"))
        s.scope = enum_of<value_scope>(string_of(obj, "scope", at, true),
                                       {{"row", value_scope::row}, {"parent", value_scope::parent}}, at, "scope");
    if (s.convert != conversion::join && (member(obj, "item") || member(obj, "separator")))
        fail(at, "\"item\" and \"separator\" belong to the join conversion only");
    s.item = pointer_of(obj, "item", at, false);
    if (member(obj, "separator")) s.separator = string_of(obj, "separator", at, true);
    return s;
}

// A source is either one spec for both flavors, or {"cloud": spec, "datacenter": spec}.
template <typename T, typename Parse>
std::array<T, flavor_count> per_flavor(const json::object& owner, std::string_view shared_key, const where& at,
                                       Parse parse) {
    const json::value* v = member(owner, "source");
    if (v == nullptr) fail(at, "missing \"source\"");
    const auto& obj = object_of(*v, at, "source");
    std::array<T, flavor_count> out;
    if (member(obj, shared_key)) {
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
    c.source = per_flavor<value_source>(obj, "path", at, [&](const json::value& sv, const std::string& what) {
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

bool needs_items(paging_style p) {
    return p != paging_style::plain_array && p != paging_style::startat_array;
}

std::vector<std::string> placeholders_of(const std::string& endpoint, const where& at) {
    std::vector<std::string> names;
    for (std::size_t open = endpoint.find('{'); open != std::string::npos; open = endpoint.find('{', open + 1)) {
        auto close = endpoint.find('}', open);
        if (close == std::string::npos) fail(at, "unclosed \"{\" in endpoint " + in_quotes(endpoint));
        names.push_back(endpoint.substr(open + 1, close - open - 1));
    }
    return names;
}

std::optional<parent_link> parent_of(const json::object& src, const where& at) {
    const json::value* v = member(src, "parent");
    if (v == nullptr) return std::nullopt;
    const auto& obj = object_of(*v, at, "parent");
    only_keys(obj, {"table", "params", "only_if"}, at, "parent");
    parent_link p;
    p.table = string_of(obj, "table", at, true);
    const json::value* params = member(obj, "params");
    if (params == nullptr) fail(at, "parent needs \"params\" (endpoint placeholders and their parent values)");
    for (const auto& param : object_of(*params, at, "parent.params")) {
        if (!param.value().is_string()) fail(at, "parent param " + in_quotes(param.key()) + " must be a JSON pointer");
        auto ptr = json_pointer::parse(param.value().get_string());
        if (!ptr) fail(at, "parent param " + in_quotes(param.key()) + " is not a JSON pointer");
        p.params.emplace_back(std::string(param.key()), std::move(*ptr));
    }
    if (const json::value* cond = member(obj, "only_if")) {
        const auto& c = object_of(*cond, at, "parent.only_if");
        only_keys(c, {"path", "in"}, at, "parent.only_if");
        p.only_if_path = pointer_of(c, "path", at, true);
        const json::value* in = member(c, "in");
        if (in == nullptr || !in->is_array() || in->get_array().empty())
            fail(at, "parent.only_if needs a non-empty \"in\" array of strings");
        for (const auto& s : in->get_array()) {
            if (!s.is_string()) fail(at, "parent.only_if \"in\" must hold strings");
            p.only_if_in.emplace_back(s.get_string());
        }
    }
    return p;
}

table_source table_source_of(const json::value& v, const where& at, std::string_view what) {
    const auto& obj = object_of(v, at, what);
    only_keys(obj, {"endpoint", "paging", "items", "max_page_size", "query", "parent"}, at, what);
    table_source s;
    s.endpoint = string_of(obj, "endpoint", at, true);
    if (s.endpoint.rfind("/rest/", 0) != 0 || s.endpoint.find_first_of("?# ") != std::string::npos)
        fail(at, "endpoint must be a path under /rest/ without query: " + in_quotes(s.endpoint));
    s.paging = enum_of<paging_style>(string_of(obj, "paging", at, true),
                                     {{"search_jql", paging_style::search_jql},
                                      {"search", paging_style::search},
                                      {"page_bean", paging_style::page_bean},
                                      {"plain_array", paging_style::plain_array},
                                      {"startat_array", paging_style::startat_array},
                                      {"agile", paging_style::agile}},
                                     at, "paging style");
    if (needs_items(s.paging) != (member(obj, "items") != nullptr))
        fail(at, needs_items(s.paging) ? "paging style needs \"items\" (where the rows are in the envelope)"
                                       : "a bare-array paging style takes no \"items\"");
    s.items = pointer_of(obj, "items", at, false);
    const json::value* size = member(obj, "max_page_size");
    if ((s.paging == paging_style::plain_array) != (size == nullptr))
        fail(at, s.paging == paging_style::plain_array ? "an unpaged source takes no \"max_page_size\""
                                                       : "a paged source needs \"max_page_size\"");
    if (size) {
        if (!size->is_int64() || size->get_int64() < 1 || size->get_int64() > 1000)
            fail(at, "\"max_page_size\" must be an integer from 1 to 1000");
        s.max_page_size = size->get_int64();
    }
    if (const json::value* q = member(obj, "query")) {
        for (const auto& param : object_of(*q, at, "query")) {
            std::string_view name = param.key();
            if (name == "startAt" || name == "maxResults" || name == "nextPageToken")
                fail(at, "query may not set the paging parameter " + in_quotes(name));
            if (!param.value().is_string()) fail(at, "query parameter " + in_quotes(name) + " must be a string");
            s.query.emplace_back(std::string(name), std::string(param.value().get_string()));
        }
    }
    s.parent = parent_of(obj, at);
    auto holes = placeholders_of(s.endpoint, at);
    std::set<std::string> bound;
    if (s.parent)
        for (const auto& [name, ptr] : s.parent->params) bound.insert(name);
    if (std::set<std::string>(holes.begin(), holes.end()) != bound)
        fail(at, "endpoint placeholders of " + in_quotes(s.endpoint) + " must be exactly the parent params");
    return s;
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

    t.source = per_flavor<table_source>(obj, "endpoint", at, [&](const json::value& sv, const std::string& what) {
        return table_source_of(sv, at, what);
    });
    for (const auto& c : t.columns)
        for (const auto& src : t.source)
            if (c.filter && src.paging != paging_style::search && src.paging != paging_style::search_jql)
                fail({t.name, c.name}, "\"filter\" needs a JQL search source (paging search or search_jql)");
    return t;
}

// Parent references may point forward, so they are resolved once every table is known.
void resolve_parents(catalog& cat) {
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
            for (const auto& c : t.columns)
                if (c.source[static_cast<std::size_t>(f)].scope == value_scope::parent && !src.parent)
                    fail({t.name, c.name}, "scope \"parent\" but the " + std::string(to_string(f)) +
                                               " source has no parent");
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
    resolve_parents(cat);
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
