#include "gateway/odata/query_options.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace jtgw::odata {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::int64_t> non_negative(std::string_view s) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || n < 0) return std::nullopt;
    return n;
}

odata_error bad_request(std::string code, std::string message, std::string target) {
    return {400, std::move(code), std::move(message), std::move(target)};
}

odata_error not_implemented(const std::string& option, std::string_view why) {
    return {501, "NotImplemented", "The query option " + option + " is not supported" + std::string(why), option};
}

boost::system::result<void, odata_error> apply_select(const table& t, std::string_view value, query_options& out) {
    std::set<std::size_t> chosen;
    std::size_t start = 0;
    while (start <= value.size()) {
        std::size_t comma = std::min(value.find(',', start), value.size());
        std::string_view name = trim(value.substr(start, comma - start));
        if (name == "*") {
            out.all_columns = true;
            return {};
        }
        auto index = t.column_index(name);
        if (!index)
            return bad_request("InvalidSelect",
                               "$select: the table " + t.name + " has no column named '" + std::string(name) + "'",
                               "$select");
        chosen.insert(*index);
        start = comma + 1;
    }
    out.all_columns = false;
    out.columns.assign(chosen.begin(), chosen.end());
    return {};
}

bool is_json_format(std::string_view value) {
    std::string media = lower(trim(value.substr(0, value.find(';'))));
    return media == "json" || media == "application/json";
}

// RFC 7240: preferences separated by ',', each "token [= value] *( ; parameter )".
std::optional<std::int64_t> max_page_size_preference(std::string_view prefer) {
    std::size_t start = 0;
    while (start < prefer.size()) {
        std::size_t comma = std::min(prefer.find(',', start), prefer.size());
        std::string_view pref = trim(prefer.substr(start, comma - start));
        pref = trim(pref.substr(0, pref.find(';')));
        std::size_t eq = pref.find('=');
        if (eq != std::string_view::npos && lower(trim(pref.substr(0, eq))) == "odata.maxpagesize") {
            std::string_view value = trim(pref.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
            auto n = non_negative(value);
            if (n && *n >= 1) return n;
        }
        start = comma + 1;
    }
    return std::nullopt;
}

}  // namespace

boost::system::result<query_options, odata_error> parse_query_options(const table& t, boost::urls::params_view params,
                                                                      std::string_view prefer,
                                                                      const query_limits& limits) {
    query_options out;
    std::set<std::string> seen;
    for (const auto& param : params) {
        const std::string& name = param.key;
        if (name.empty() || name.front() != '$') continue;  // custom options: ignored by OData rules
        std::string option = lower(name);
        if (!seen.insert(option).second)
            return bad_request("DuplicateOption", "The query option " + name + " is given more than once", name);
        std::string_view value = param.has_value ? std::string_view(param.value) : std::string_view();
        if (option == "$select") {
            if (auto r = apply_select(t, value, out); !r) return r.error();
        } else if (option == "$top") {
            auto n = non_negative(value);
            if (!n) return bad_request("InvalidTop", "$top must be a non-negative integer", name);
            out.top = *n;
        } else if (option == "$format") {
            if (!is_json_format(value))
                return odata_error{406, "NotAcceptable", "$format: only json is served", name};
        } else if (option == "$skiptoken") {
            if (value.empty()) return bad_request("InvalidSkipToken", "$skiptoken is empty", name);
            out.skiptoken = std::string(value);
        } else if (option == "$count") {
            if (lower(value) != "false") return not_implemented(name, ": the row count is not known in advance");
        } else if (option == "$filter") {
            auto filter = parse_filter(t, value);
            if (!filter) return filter.error();
            out.filter = std::move(*filter);
            out.filter_text = std::string(value);
        } else if (option == "$skip") {
            return not_implemented(name, ": follow @odata.nextLink for the next page");
        } else {
            // $orderby, $expand, $search, $apply, $compute, and $-options OData may add.
            return not_implemented(name, "");
        }
    }
    if (out.all_columns) {
        out.columns.resize(t.columns.size());
        for (std::size_t i = 0; i < out.columns.size(); ++i) out.columns[i] = i;
    }
    out.page_size = limits.default_page_size;
    if (auto preferred = max_page_size_preference(prefer)) {
        out.page_size = std::size_t(std::min<std::int64_t>(*preferred, std::int64_t(limits.max_page_size)));
        out.page_size_preferred = true;
    }
    return out;
}

}  // namespace jtgw::odata
