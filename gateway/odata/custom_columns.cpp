#include "gateway/odata/custom_columns.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <set>

#include <boost/json/serialize.hpp>

#include "gateway/odata/catalog_parse_util.hpp"

namespace jtgw::odata {

namespace json = boost::json;

namespace {

constexpr std::string_view custom_prefix = "customfield_";
constexpr std::size_t max_identifier = 128;  // OData SimpleIdentifier

bool ascii_alnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// The digits of "customfield_<digits>", or "" when `id` is not that.
std::string_view field_number(std::string_view id) {
    if (!id.starts_with(custom_prefix)) return {};
    const std::string_view digits = id.substr(custom_prefix.size());
    if (digits.empty() || digits.size() > 18) return {};
    for (char c : digits)
        if (c < '0' || c > '9') return {};
    return digits;
}

std::uint64_t number_of(std::string_view digits) {
    std::uint64_t n = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), n);
    return n;
}

std::string_view string_member(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

bool matches(const std::string& wanted, const json::object& schema, std::string_view key) {
    return wanted.empty() || string_member(schema, key) == wanted;
}

std::string schema_text(const json::value* schema) {
    if (schema == nullptr) return "no schema";
    std::string text = json::serialize(*schema);
    if (text.size() > 200) text = text.substr(0, 200) + "…";
    return "schema " + text;
}

}  // namespace

std::optional<std::string> custom_column_name(std::string_view field_id, std::string_view field_name) {
    const std::string_view digits = field_number(field_id);
    if (digits.empty()) return std::nullopt;
    std::string name;
    bool word_start = true;
    for (char c : field_name) {
        if (c == '\'') continue;  // "Team's Size" -> TeamsSize, not TeamSSize
        if (!ascii_alnum(c)) {
            word_start = true;
            continue;
        }
        name += word_start && c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
        word_start = false;
    }
    if (name.empty() || (name.front() >= '0' && name.front() <= '9')) name.insert(0, "Field");
    name.resize(std::min(name.size(), max_identifier - 1 - digits.size()));
    name += '_';
    name += digits;
    return name;
}

const custom_field_rule* match_custom_field(const custom_fields_section& section, const json::value& schema) {
    const auto* s = schema.if_object();
    if (s == nullptr) return nullptr;
    for (const auto& rule : section.rules)
        if (matches(rule.match_type, *s, "type") && matches(rule.match_items, *s, "items") &&
            matches(rule.match_custom, *s, "custom"))
            return &rule;
    return nullptr;
}

void point_child_tables(catalog& tables, const json::array& fields) {
    const custom_fields_section& section = *tables.custom_fields;
    for (const auto& rule : section.rules) {
        if (rule.child_table.empty()) continue;
        std::optional<std::pair<std::uint64_t, std::string>> best;  // (number, id)
        for (const auto& v : fields) {
            const auto* field = v.if_object();
            const auto* custom = field ? field->if_contains("custom") : nullptr;
            if (custom == nullptr || !custom->is_bool() || !custom->get_bool()) continue;
            const std::string_view id = string_member(*field, "id");
            const std::string_view digits = field_number(id);
            const auto* schema = field->if_contains("schema");
            if (digits.empty() || schema == nullptr || match_custom_field(section, *schema) != &rule) continue;
            if (!best || number_of(digits) < best->first) best.emplace(number_of(digits), std::string(id));
        }
        if (!best) continue;
        for (auto& src : tables.tables[rule.child_table_index].source) {
            auto& list = src.rows->each.front();  // "/fields/<id>" (checked at load)
            list.tokens[1] = best->second;
            list.text = "/fields/" + best->second;  // the id holds no '/' or '~'
        }
    }
}

catalog with_custom_columns(const catalog& base, const json::array& fields, std::vector<skipped_field>& skipped) {
    catalog out = base;
    const custom_fields_section& section = *base.custom_fields;
    struct candidate {
        std::uint64_t number;
        std::string id;
        column c;
    };
    std::vector<candidate> candidates;
    for (const auto& v : fields) {
        const auto* field = v.if_object();
        if (field == nullptr) {
            skipped.push_back({"", "not a JSON object"});
            continue;
        }
        const auto* custom = field->if_contains("custom");
        if (custom == nullptr || !custom->is_bool() || !custom->get_bool()) continue;  // a system field
        const std::string id(string_member(*field, "id"));
        const std::string_view name = string_member(*field, "name");
        auto column_name = custom_column_name(id, name);
        if (!column_name || name.empty()) {
            skipped.push_back({id, column_name ? "no name" : "id is not customfield_<number>"});
            continue;
        }
        const auto* schema = field->if_contains("schema");
        const custom_field_rule* rule = schema ? match_custom_field(section, *schema) : nullptr;
        if (rule == nullptr) {
            skipped.push_back({id, "no rule maps " + schema_text(schema)});
            continue;
        }
        if (!rule->child_table.empty()) {
            skipped.push_back({id, "its values are the table " + rule->child_table});
            continue;
        }
        column c;
        c.name = std::move(*column_name);
        c.description = std::string(name) + " (" + id + ")";
        c.type = rule->type;
        c.source = rule->source;
        for (auto& src : c.source) {
            src.path.tokens.insert(src.path.tokens.begin(), {"fields", id});
            src.path.text = "/fields/" + id + src.path.text;  // the id holds no '/' or '~'
        }
        candidates.push_back({number_of(field_number(id)), id, std::move(c)});
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const candidate& a, const candidate& b) { return a.number < b.number; });

    table& t = out.tables[section.table_index];
    std::set<std::string> taken;
    for (const auto& c : t.columns) taken.insert(detail::folded(c.name));
    std::size_t added = 0;
    for (auto& cand : candidates) {
        if (added == max_custom_columns) {
            skipped.push_back({cand.id, "more than " + std::to_string(max_custom_columns) + " custom fields"});
        } else if (!taken.insert(detail::folded(cand.c.name)).second) {
            skipped.push_back({cand.id, "listed twice"});
        } else {
            t.columns.push_back(std::move(cand.c));
            ++added;
        }
    }
    return out;
}

}  // namespace jtgw::odata
