// The catalog's "custom_fields" section: which table gets the generated columns, where
// Jira's field list comes from, and the rules that map a field's schema to a column.
// Checked at load like every other part of tables.json, so a rule jtgw could not serve
// stops start-up instead of turning into a broken $metadata later.
#include "gateway/odata/catalog_parse_util.hpp"

namespace jtgw::odata::detail {

namespace {

const table& table_named(const catalog& cat, const std::string& name, const where& at, std::string_view role) {
    const table* t = cat.find(name);
    if (t == nullptr) fail(at, std::string(role) + " names the table " + in_quotes(name) + ", which does not exist");
    return *t;
}

custom_field_rule rule_of(const json::value& v, const where& at, const std::string& table_name) {
    const auto& obj = object_of(v, at, "rule");
    only_keys(obj, {"match", "column", "child_table"}, at, "rule");
    custom_field_rule r;
    const json::value* match = member(obj, "match");
    if (match == nullptr) fail(at, "missing \"match\" (schema type, items and/or custom type)");
    const auto& m = object_of(*match, at, "match");
    only_keys(m, {"type", "items", "custom"}, at, "match");
    r.match_type = string_of(m, "type", at, false);
    r.match_items = string_of(m, "items", at, false);
    r.match_custom = string_of(m, "custom", at, false);
    if (r.match_type.empty() && r.match_items.empty() && r.match_custom.empty())
        fail(at, "\"match\" needs a non-empty \"type\", \"items\" or \"custom\"");

    const json::value* col = member(obj, "column");
    const json::value* child = member(obj, "child_table");
    if ((col == nullptr) == (child == nullptr)) fail(at, "a rule has exactly one of \"column\" and \"child_table\"");
    if (child) {
        r.child_table = string_of(obj, "child_table", at, true);
        if (!is_pascal_identifier(r.child_table)) fail(at, "\"child_table\" must be a PascalCase table name");
        if (r.child_table == table_name) fail(at, "\"child_table\" cannot be the table the columns go to");
        return r;
    }
    column c = column_template_of(*col, at, "column");
    for (const auto& src : c.source)
        if (src.scope != value_scope::row) fail(at, "a custom field's column reads the row (scope \"row\")");
    r.type = c.type;
    r.source = c.source;
    return r;
}

}  // namespace

custom_fields_section custom_fields_of(const json::value& v, const catalog& cat) {
    where at{"", "custom_fields"};
    const auto& obj = object_of(v, at, "\"custom_fields\"");
    only_keys(obj, {"table", "field_list", "rules"}, at, "\"custom_fields\"");
    custom_fields_section s;
    s.table = string_of(obj, "table", at, true);
    s.field_list = string_of(obj, "field_list", at, true);
    const table& target = table_named(cat, s.table, at, "\"table\"");
    const table& list = table_named(cat, s.field_list, at, "\"field_list\"");
    s.table_index = static_cast<std::size_t>(&target - cat.tables.data());
    s.field_list_index = static_cast<std::size_t>(&list - cat.tables.data());
    // Custom fields live in an issue's "fields", which only the searches page (with fields=).
    for (const auto& src : target.source)
        if (src.parent || (src.paging != paging_style::search && src.paging != paging_style::search_jql))
            fail(at, "the custom fields' table " + in_quotes(s.table) + " must be read with a search paging style");
    for (const auto& src : list.source)
        if (src.parent) fail(at, "the field list " + in_quotes(s.field_list) + " must not be a per-parent table");

    const json::value* rules = member(obj, "rules");
    if (rules == nullptr || !rules->is_array() || rules->get_array().empty())
        fail(at, "needs a non-empty \"rules\" array");
    std::size_t n = 0;
    for (const auto& rv : rules->get_array()) {
        const where rule_at{s.table, "custom_fields.rules[" + std::to_string(n++) + "]"};
        s.rules.push_back(rule_of(rv, rule_at, s.table));
        auto& r = s.rules.back();
        if (r.child_table.empty()) continue;
        const table& child = table_named(cat, r.child_table, rule_at, "\"child_table\"");
        r.child_table_index = static_cast<std::size_t>(&child - cat.tables.data());
        // jtgw rewrites the field's id in that path per user: it must be exactly an issue field.
        for (const auto& src : child.source)
            if (!src.rows || src.rows->each.front().tokens.size() != 2 || src.rows->each.front().tokens[0] != "fields" ||
                (src.paging != paging_style::search && src.paging != paging_style::search_jql))
                fail(rule_at, "the child table " + in_quotes(r.child_table) +
                                  " must be a search whose rows.each starts at an issue field (\"/fields/<id>\")");
    }
    return s;
}

}  // namespace jtgw::odata::detail
