#include "gateway/odata/row_extract.hpp"

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
    }
    return std::nullopt;
}

void extract_row(const table& t, flavor f, const json::value& item, const json::value* parent, row& out,
                 std::vector<extract_problem>* problems) {
    out.resize(t.columns.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const column& c = t.columns[i];
        const value_source& src = c.source[static_cast<std::size_t>(f)];
        const json::value* root = src.scope == value_scope::parent ? parent : &item;
        const json::value* v = root ? src.path.find(*root) : nullptr;
        std::optional<cell> value = v ? convert_value(c, f, *v) : cell{};
        if (!value) {
            if (problems) problems->push_back({extract_problem::unconvertible, i});
            value = cell{};
        } else if (!c.nullable && std::holds_alternative<std::monostate>(*value) && problems) {
            problems->push_back({extract_problem::missing_required, i});
        }
        out[i] = std::move(*value);
    }
}

}  // namespace jtgw::odata
