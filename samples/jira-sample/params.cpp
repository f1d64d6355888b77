// Query-parameter, JSON-body and paging helpers shared by the endpoints.
#include <boost/json.hpp>
#include <boost/url.hpp>
#include <charconv>

#include "samples/jira-sample/service_state.hpp"

namespace jtgw::jira_sample {
namespace json = boost::json;
namespace {

void split_commas(std::string_view s, std::vector<std::string>& out) {
    std::size_t start = 0;
    while (start <= s.size()) {
        const auto comma = std::min(s.find(',', start), s.size());
        auto part = s.substr(start, comma - start);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        if (!part.empty()) out.emplace_back(part);
        start = comma + 1;
    }
}

int_param bounded(std::string_view name, std::int64_t v, std::int64_t min, std::int64_t cap) {
    if (v < min)
        return {0, error_response(http::status::bad_request,
                                  "The value of '" + std::string(name) + "' must be at least " + std::to_string(min) + ".")};
    return {std::min(v, cap), std::nullopt};
}

}  // namespace

std::optional<std::string> param(const call& c, std::string_view name) {
    std::optional<std::string> found;
    for (const auto& p : c.url.params())
        if (p.key == name) found = p.has_value ? std::string(p.value) : std::string();
    return found;
}

std::vector<std::string> list_param(const call& c, std::string_view name) {
    std::vector<std::string> out;
    for (const auto& p : c.url.params())
        if (p.key == name) split_commas(p.value, out);
    return out;
}

int_param integer_param(const call& c, std::string_view name, std::int64_t fallback, std::int64_t min, std::int64_t cap) {
    const auto text = param(c, name);
    if (!text) return {std::min(fallback, cap), std::nullopt};
    std::int64_t v = 0;
    const auto* end = text->data() + text->size();
    const auto [ptr, ec] = std::from_chars(text->data(), end, v);
    if (ec != std::errc() || ptr != end || text->empty())
        return {0, error_response(http::status::bad_request,
                                  "The value '" + text->substr(0, 64) + "' of parameter '" + std::string(name) +
                                      "' is not a valid number.")};
    return bounded(name, v, min, cap);
}

int_param integer_member(const json::object& body, std::string_view name, std::int64_t fallback, std::int64_t min,
                         std::int64_t cap) {
    const auto* v = body.if_contains(name);
    if (!v || v->is_null()) return {std::min(fallback, cap), std::nullopt};
    if (!v->is_int64() && !v->is_uint64())
        return {0, error_response(http::status::bad_request,
                                  "Invalid request payload. Refer to the REST API documentation and try again.")};
    const auto n = v->is_int64() ? v->get_int64() : std::int64_t(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
    return bounded(name, n, min, cap);
}

std::vector<std::string> list_member(const json::object& body, std::string_view name) {
    std::vector<std::string> out;
    const auto* v = body.if_contains(name);
    if (!v) return out;
    if (v->is_string()) split_commas(v->get_string(), out);
    if (v->is_array())
        for (const auto& e : v->get_array())
            if (e.is_string()) split_commas(e.get_string(), out);
    return out;
}

std::string self_url(const call& c) { return c.r.base() + std::string(c.url.buffer()); }

std::string url_with(const call& c, std::string_view name, std::string_view value) {
    boost::urls::url u(c.url);
    u.params().set(name, value);
    return c.r.base() + std::string(u.buffer());
}

std::string page_bean(const call& c, std::int64_t start, std::int64_t max, std::int64_t total, json::array values) {
    const bool last = start + std::int64_t(values.size()) >= total;
    json::object o{{"self", self_url(c)}};
    if (!last) o["nextPage"] = url_with(c, "startAt", std::to_string(start + std::int64_t(values.size())));
    o["maxResults"] = max;
    o["startAt"] = start;
    o["total"] = total;
    o["isLast"] = last;
    o["values"] = std::move(values);
    return json::serialize(o);
}

}  // namespace jtgw::jira_sample
