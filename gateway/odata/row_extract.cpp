#include "gateway/odata/row_extract.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include <boost/json/serialize.hpp>

#include "gateway/odata/adf_text.hpp"
#include "gateway/odata/jira_time.hpp"

namespace jtgw::odata {

namespace json = boost::json;

namespace {

std::optional<std::int64_t> to_int64(const json::value& v) {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) {
        if (v.get_uint64() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
        return std::int64_t(v.get_uint64());
    }
    if (v.is_double()) {
        double d = v.get_double();
        if (std::trunc(d) != d || std::abs(d) > 9.007199254740992e15) return std::nullopt;  // exact in a double
        return std::int64_t(d);
    }
    if (const auto* s = v.if_string()) {
        std::int64_t n = 0;
        auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
        if (ec != std::errc{} || end != s->data() + s->size() || s->empty()) return std::nullopt;
        return n;
    }
    return std::nullopt;
}

std::optional<double> to_double(const json::value& v) {
    if (v.is_number()) return v.to_number<double>();
    if (const auto* s = v.if_string()) {
        double d = 0;
        auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), d);
        if (ec != std::errc{} || end != s->data() + s->size() || s->empty() || !std::isfinite(d)) return std::nullopt;
        return d;
    }
    return std::nullopt;
}

// Scalars as their text: strings as they are, numbers and bools as JSON spells them.
std::optional<std::string> to_text(const json::value& v) {
    if (const auto* s = v.if_string()) return std::string(*s);
    if (v.is_number() || v.is_bool()) return json::serialize(v);
    return std::nullopt;
}

std::optional<cell> plain(edm_type type, const json::value& v) {
    switch (type) {
        case edm_type::string:
            if (auto s = to_text(v)) return cell{std::move(*s)};
            return std::nullopt;
        case edm_type::int64:
            if (auto n = to_int64(v)) return cell{*n};
            return std::nullopt;
        case edm_type::double_:
            if (auto d = to_double(v)) return cell{*d};
            return std::nullopt;
        case edm_type::boolean:
            if (v.is_bool()) return cell{v.get_bool()};
            if (v.is_string() && (v.get_string() == "true" || v.get_string() == "false"))
                return cell{v.get_string() == "true"};
            return std::nullopt;
        case edm_type::date_time_offset:
        case edm_type::date: return std::nullopt;  // the catalog requires a conversion
    }
    return std::nullopt;
}

std::optional<cell> joined(const value_source& src, const json::value& v) {
    const auto* items = v.if_array();
    if (items == nullptr) return std::nullopt;
    std::string text;
    bool any = false;
    for (const auto& element : *items) {
        const json::value* member = src.item.find(element);
        if (member == nullptr || member->is_null()) continue;
        auto piece = to_text(*member);
        if (!piece) return std::nullopt;
        if (any) text += src.separator;
        text += *piece;
        any = true;
    }
    if (!any) return cell{};  // an empty list is "none", as Jira's own UI shows it
    return cell{std::move(text)};
}

// Data Center serialises beans with toString(): "…Sprint@1a2b[id=42,rapidViewId=7,…]".
// The member's text runs to the next comma or the closing bracket (the id comes first in
// Jira's sprint bean; free text such as a name may itself hold commas, so read ids only).
std::optional<cell> bean_member(edm_type type, const std::string& member, const json::value& v) {
    const auto* text = v.if_string();
    if (text == nullptr) return std::nullopt;
    const std::string_view s = *text;
    const auto open = s.find('[');
    if (open == std::string_view::npos || s.empty() || s.back() != ']') return std::nullopt;
    const std::string_view body = s.substr(open + 1, s.size() - open - 2);
    for (std::size_t at = 0; at <= body.size();) {
        const auto end = std::min(body.find(',', at), body.size());
        const std::string_view pair = body.substr(at, end - at);
        if (pair.size() > member.size() && pair.substr(0, member.size()) == member && pair[member.size()] == '=')
            return plain(type, json::value(json::string_view(pair.substr(member.size() + 1))));
        at = end + 1;
    }
    return std::nullopt;
}

}  // namespace

std::optional<cell> convert_value(const column& c, flavor f, const json::value& v) {
    if (v.is_null()) return cell{};
    const value_source& src = c.source[static_cast<std::size_t>(f)];
    switch (src.convert) {
        case conversion::none: return plain(c.type, v);
        case conversion::jira_datetime:
        case conversion::agile_datetime:
            if (v.is_string())
                if (auto t = parse_jira_datetime(v.get_string())) return cell{utc_millis{*t}};
            return std::nullopt;
        case conversion::date:
            if (v.is_string())
                if (auto d = parse_jira_date(v.get_string())) return cell{civil_days{*d}};
            return std::nullopt;
        case conversion::adf_to_text:
            if (v.is_string() || v.is_object()) return cell{adf_to_text(v)};
            return std::nullopt;
        case conversion::join: return joined(src, v);
        case conversion::greenhopper: return bean_member(c.type, src.member, v);
        case conversion::position: return std::nullopt;  // reads no value: extract_row answers it
    }
    return std::nullopt;
}

namespace {

const json::value* scope_root(value_scope scope, const row_scope& in) {
    switch (scope) {
        case value_scope::row: return in.row;
        case value_scope::parent: return in.parent;
        case value_scope::outer: return in.outer;
        case value_scope::listed: return in.listed;
    }
    return nullptr;
}

// The cell of column `c` for one row; nullopt when Jira sent a value it cannot read.
std::optional<cell> column_value(const column& c, flavor f, const row_scope& in) {
    const value_source& src = c.source[static_cast<std::size_t>(f)];
    const json::value* root = scope_root(src.scope, in);
    if (root == nullptr) return cell{};
    if (src.convert == conversion::position)
        return cell{std::int64_t(src.scope == value_scope::outer ? in.outer_position : in.position)};
    const json_pointer* path = &src.path;
    if (!src.cases.empty()) {
        path = nullptr;
        for (const auto& option : src.cases) {
            const json::value* when = option.when.find(*root);
            if (when == nullptr || when->is_null()) continue;
            if (option.value) return cell{*option.value};
            path = &option.path;
            break;
        }
        if (path == nullptr) return cell{};
    }
    const json::value* v = path->find(*root);
    return v ? convert_value(c, f, *v) : cell{};
}

}  // namespace

void extract_row(const table& t, flavor f, const row_scope& scope, row& out, std::vector<extract_problem>* problems) {
    out.resize(t.columns.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const column& c = t.columns[i];
        std::optional<cell> value = column_value(c, f, scope);
        if (!value) {
            if (problems) problems->push_back({extract_problem::unconvertible, i});
            value = cell{};
        } else if (!c.nullable && std::holds_alternative<std::monostate>(*value) && problems) {
            problems->push_back({extract_problem::missing_required, i});
        }
        out[i] = std::move(*value);
    }
}

void extract_row(const table& t, flavor f, const json::value& item, const json::value* parent, row& out,
                 std::vector<extract_problem>* problems) {
    row_scope scope;
    scope.row = &item;
    scope.listed = &item;
    scope.parent = parent;
    extract_row(t, f, scope, out, problems);
}

}  // namespace jtgw::odata
