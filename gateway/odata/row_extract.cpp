#include "gateway/odata/row_extract.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include <boost/json/serialize.hpp>

#include "gateway/odata/adf_text.hpp"
#include "gateway/odata/jira_time.hpp"
#include "gateway/odata/json_step.hpp"

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

// The string alternative of `out`, emptied, keeping the capacity it had: a row buffer
// reused across an export allocates for its strings once, not once per cell.
std::string& text_cell(cell& out) {
    if (auto* s = std::get_if<std::string>(&out)) {
        s->clear();
        return *s;
    }
    return out.emplace<std::string>();
}

// Scalars as their text: strings as they are, numbers and bools as JSON spells them.
bool append_text(std::string& out, const json::value& v) {
    if (const auto* s = v.if_string()) {
        out.append(s->data(), s->size());
        return true;
    }
    if (v.is_number() || v.is_bool()) {
        out += json::serialize(v);
        return true;
    }
    return false;
}

bool plain(edm_type type, const json::value& v, cell& out) {
    switch (type) {
        case edm_type::string:
            if (!v.is_string() && !v.is_number() && !v.is_bool()) return false;
            return append_text(text_cell(out), v);
        case edm_type::int64:
            if (auto n = to_int64(v)) return out = *n, true;
            return false;
        case edm_type::double_:
            if (auto d = to_double(v)) return out = *d, true;
            return false;
        case edm_type::boolean:
            if (v.is_bool()) return out = v.get_bool(), true;
            if (v.is_string() && (v.get_string() == "true" || v.get_string() == "false"))
                return out = v.get_string() == "true", true;
            return false;
        case edm_type::date_time_offset:
        case edm_type::date: return false;  // the catalog requires a conversion
    }
    return false;
}

bool joined(const value_source& src, const json::value& v, cell& out) {
    const auto* items = v.if_array();
    if (items == nullptr) return false;
    std::string& text = text_cell(out);
    bool any = false;
    for (const auto& element : *items) {
        const json::value* member = src.item.find(element);
        if (member == nullptr || member->is_null()) continue;
        if (any) text += src.separator;
        if (!append_text(text, *member)) return false;
        any = true;
    }
    if (!any) out = std::monostate{};  // an empty list is "none", as Jira's own UI shows it
    return true;
}

// Data Center serialises beans with toString(): "…Sprint@1a2b[id=42,rapidViewId=7,…]".
// The member's text runs to the next comma or the closing bracket (the id comes first in
// Jira's sprint bean; free text such as a name may itself hold commas, so read ids only).
bool bean_member(edm_type type, const std::string& member, const json::value& v, cell& out) {
    const auto* text = v.if_string();
    if (text == nullptr) return false;
    const std::string_view s = *text;
    const auto open = s.find('[');
    if (open == std::string_view::npos || s.empty() || s.back() != ']') return false;
    const std::string_view body = s.substr(open + 1, s.size() - open - 2);
    for (std::size_t at = 0; at <= body.size();) {
        const auto end = std::min(body.find(',', at), body.size());
        const std::string_view pair = body.substr(at, end - at);
        if (pair.size() > member.size() && pair.substr(0, member.size()) == member && pair[member.size()] == '=')
            return plain(type, json::value(json::string_view(pair.substr(member.size() + 1))), out);
        at = end + 1;
    }
    return false;
}

// Converts `v` (not JSON null) as column `c` into `out`; false when it cannot.
bool convert_into(const column& c, const value_source& src, const json::value& v, cell& out) {
    switch (src.convert) {
        case conversion::none: return plain(c.type, v, out);
        case conversion::jira_datetime:
        case conversion::agile_datetime:
            if (v.is_string())
                if (auto t = parse_jira_datetime(v.get_string())) return out = utc_millis{*t}, true;
            return false;
        case conversion::date:
            if (v.is_string())
                if (auto d = parse_jira_date(v.get_string())) return out = civil_days{*d}, true;
            return false;
        case conversion::adf_to_text:
            if (!v.is_string() && !v.is_object()) return false;
            append_adf_text(v, text_cell(out));
            return true;
        case conversion::join: return joined(src, v, out);
        case conversion::greenhopper: return bean_member(c.type, src.member, v, out);
        case conversion::position: return false;  // reads no value: extract_row answers it
    }
    return false;
}

// Resolves the column paths of one row in catalog order, reusing the steps a path shares
// with the one before it: /fields/status/id then /fields/status/name cost one lookup, not
// three (the lookups were most of the time spent extracting a row).
class path_walker {
public:
    const json::value* find(const json_pointer& path, const json::value& root) noexcept {
        std::size_t shared = 0;
        if (previous_ != nullptr && root_ == &root) {
            const auto& before = previous_->tokens;
            while (shared < before.size() && shared < path.tokens.size() && shared < trail_.size() &&
                   before[shared] == path.tokens[shared])
                ++shared;
        }
        root_ = &root;
        previous_ = &path;
        // The path before died inside the prefix both share: so does this one.
        if (shared > resolved_) return nullptr;
        const json::value* at = shared == 0 ? &root : trail_[shared - 1];
        for (std::size_t k = shared; k < path.tokens.size(); ++k) {
            at = json_step(*at, path.tokens[k]);
            if (at == nullptr) {
                resolved_ = k;
                return nullptr;
            }
            if (k < trail_.size()) trail_[k] = at;
        }
        resolved_ = path.tokens.size();
        return at;
    }

private:
    const json::value* root_ = nullptr;
    const json_pointer* previous_ = nullptr;
    std::size_t resolved_ = 0;                  // tokens of previous_ that resolved
    std::array<const json::value*, 8> trail_{};  // trail_[k]: the value after token k
};

}  // namespace

std::optional<cell> convert_value(const column& c, flavor f, const json::value& v) {
    cell out;
    if (v.is_null()) return out;
    if (!convert_into(c, c.source[static_cast<std::size_t>(f)], v, out)) return std::nullopt;
    return out;
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

// Writes the cell of column `c` for one row into `out` (reusing its string); false when
// Jira sent a value it cannot read (`out` is then null).
bool column_into(const column& c, flavor f, const row_scope& in, path_walker& walker, cell& out) {
    const value_source& src = c.source[static_cast<std::size_t>(f)];
    const json::value* root = scope_root(src.scope, in);
    // Null is set only where the cell is null: a string cell keeps its capacity otherwise.
    if (root == nullptr) return out = std::monostate{}, true;
    if (src.convert == conversion::position) {
        out = std::int64_t(src.scope == value_scope::outer ? in.outer_position : in.position);
        return true;
    }
    const json_pointer* path = &src.path;
    if (!src.cases.empty()) {
        path = nullptr;
        for (const auto& option : src.cases) {
            const json::value* when = option.when.find(*root);
            if (when == nullptr || when->is_null()) continue;
            if (option.value) {
                text_cell(out).assign(*option.value);
                return true;
            }
            path = &option.path;
            break;
        }
        if (path == nullptr) return out = std::monostate{}, true;
    }
    const json::value* v = walker.find(*path, *root);
    if (v == nullptr || v->is_null()) return out = std::monostate{}, true;
    if (convert_into(c, src, *v, out)) return true;
    out = std::monostate{};
    return false;
}

}  // namespace

void extract_row(const table& t, flavor f, const row_scope& scope, row& out, std::vector<extract_problem>* problems) {
    out.resize(t.columns.size());
    path_walker walker;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        const column& c = t.columns[i];
        if (!column_into(c, f, scope, walker, out[i])) {
            if (problems) problems->push_back({extract_problem::unconvertible, i});
        } else if (!c.nullable && std::holds_alternative<std::monostate>(out[i]) && problems) {
            problems->push_back({extract_problem::missing_required, i});
        }
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
