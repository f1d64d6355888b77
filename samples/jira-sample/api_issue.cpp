// One issue and its children: GET /issue/{key}, /worklog, /comment, /changelog, plus
// the worklog feeds /worklog/updated and POST /worklog/list.
#include <boost/json.hpp>
#include <charconv>

#include "samples/jira-sample/service_state.hpp"

namespace jtgw::jira_sample {
namespace json = boost::json;
namespace {

constexpr std::int64_t worklog_feed_page = 1000;  // Jira's /worklog/updated page size
constexpr std::size_t worklog_list_max = 1000;    // Jira's POST /worklog/list limit

bool visible_worklog(const service_state& s, const call& c, const worklog& w) {
    return c.visible >> s.d.issues[s.d.issue_by_id.at(w.issue_id)].project & 1;
}

}  // namespace

response issue_not_found() {
    return error_response(http::status::not_found, "Issue does not exist or you do not have permission to see it.");
}

std::optional<std::uint32_t> visible_issue(const service_state& s, const call& c, std::string_view id_or_key) {
    std::optional<std::uint32_t> k;
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(id_or_key.data(), id_or_key.data() + id_or_key.size(), id);
    if (ec == std::errc() && ptr == id_or_key.data() + id_or_key.size()) {
        if (auto it = s.d.issue_by_id.find(id); it != s.d.issue_by_id.end()) k = it->second;
    } else {
        std::string key(id_or_key.substr(0, 64));
        for (auto& ch : key) ch = char(std::toupper(static_cast<unsigned char>(ch)));
        if (auto it = s.d.issue_by_key.find(key); it != s.d.issue_by_key.end()) k = it->second;
    }
    if (!k || !(c.visible >> s.d.issues[*k].project & 1)) return std::nullopt;
    return k;
}

response get_issue(service_state& s, const call& c, std::string_view key) {
    const auto k = visible_issue(s, c, key);
    if (!k) return issue_not_found();
    const auto sel = parse_fields(list_param(c, "fields"), {all_field_set(), true});
    std::string out;
    append_issue(out, c.r, c.cache, *k, sel, parse_expand(list_param(c, "expand")), issue_home::platform,
                 c.v3() ? 100 : 0, true);
    return json_response(http::status::ok, std::move(out));
}

response get_issue_children(service_state& s, const call& c, std::string_view key, std::string_view what) {
    const auto k = visible_issue(s, c, key);
    if (!k) return issue_not_found();
    const bool changelog = what == "changelog";
    const auto start = integer_param(c, "startAt", 0, 0, INT32_MAX);
    if (start.error) return *start.error;
    const auto max = integer_param(c, "maxResults", changelog ? 100 : 5000, changelog ? 1 : 0, changelog ? 100 : 5000);
    if (max.error) return *max.error;
    const auto& range = what == "worklog" ? s.d.worklogs_of[*k] : what == "comment" ? s.d.comments_of[*k] : s.d.histories_of[*k];
    const std::int64_t total = range.last - range.first;
    json::array rows;
    for (auto i = range.first + std::uint32_t(std::min(start.value, total));
         i < range.last && std::int64_t(rows.size()) < max.value; ++i) {
        if (what == "worklog") rows.push_back(c.r.worklog(s.d.worklogs[i]));
        else if (what == "comment") rows.push_back(c.r.comment(s.d.comments[i]));
        else rows.push_back(c.r.history(s.d.histories[i]));
    }
    if (changelog) return json_response(http::status::ok, page_bean(c, start.value, max.value, total, std::move(rows)));
    json::object o{{"startAt", start.value}, {"maxResults", max.value}, {"total", total},
                   {what == "worklog" ? "worklogs" : "comments", std::move(rows)}};
    return json_response(http::status::ok, json::serialize(o));
}

response worklogs_updated(service_state& s, const call& c) {
    const auto since = integer_param(c, "since", 0, 0, INT64_MAX);
    if (since.error) return *since.error;
    // Worklogs updated strictly after `since`, oldest first; every `updated` is distinct
    // in the dataset, so following nextPage (since=until) neither repeats nor skips.
    const auto& order = s.worklogs_by_updated;
    auto it = std::upper_bound(order.begin(), order.end(), since.value,
                               [&](std::int64_t t, std::uint32_t w) { return t < s.d.worklogs[w].updated; });
    json::array values;
    millis until = since.value;
    for (; it != order.end() && std::int64_t(values.size()) < worklog_feed_page; ++it) {
        const auto& w = s.d.worklogs[*it];
        until = w.updated;
        if (!visible_worklog(s, c, w)) continue;
        values.push_back(json::object{{"worklogId", w.id}, {"updatedTime", w.updated}, {"properties", json::array{}}});
    }
    const bool last = it == order.end();
    json::object o{{"values", std::move(values)}, {"since", since.value}, {"until", until}, {"self", self_url(c)}};
    if (!last) o["nextPage"] = url_with(c, "since", std::to_string(until));
    o["lastPage"] = last;
    return json_response(http::status::ok, json::serialize(o));
}

response worklog_list(service_state& s, const call& c) {
    json::error_code ec;
    const auto body = json::parse(c.req.body(), ec);
    const auto* ids = !ec && body.is_object() ? body.get_object().if_contains("ids") : nullptr;
    if (!ids || !ids->is_array())
        return error_response(http::status::bad_request, "Invalid request payload. Refer to the REST API documentation and try again.");
    if (ids->get_array().size() > worklog_list_max)
        return error_response(http::status::bad_request,
                              "The number of worklog IDs must not exceed " + std::to_string(worklog_list_max) + ".");
    std::vector<std::uint32_t> found;
    for (const auto& v : ids->get_array()) {
        if (!v.is_int64() && !v.is_uint64())
            return error_response(http::status::bad_request, "Invalid request payload. Refer to the REST API documentation and try again.");
        const auto it = s.d.worklog_by_id.find(v.is_int64() ? v.get_int64() : std::int64_t(v.get_uint64() & INT64_MAX));
        if (it != s.d.worklog_by_id.end() && visible_worklog(s, c, s.d.worklogs[it->second])) found.push_back(it->second);
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    json::array out;
    for (auto w : found) out.push_back(c.r.worklog(s.d.worklogs[w]));
    return json_response(http::status::ok, json::serialize(out));
}

}  // namespace jtgw::jira_sample
