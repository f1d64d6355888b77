// Platform REST endpoints: /myself, projects, users and the small catalogs.
#include <algorithm>

#include <boost/json.hpp>

#include "samples/jira-sample/service_state.hpp"

namespace jtgw::jira_sample {
namespace json = boost::json;
namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}

// Projects the user may browse, ordered by key.
std::vector<std::int32_t> browsable(const service_state& s, const call& c) {
    std::vector<std::int32_t> out;
    for (std::size_t p = 0; p < s.d.projects.size(); ++p)
        if (c.visible >> p & 1) out.push_back(std::int32_t(p));
    std::sort(out.begin(), out.end(), [&](auto a, auto b) { return s.d.projects[std::size_t(a)].key < s.d.projects[std::size_t(b)].key; });
    return out;
}

response json_ok(const json::value& v) { return json_response(http::status::ok, json::serialize(v)); }

// A project as the listings show it. Like Jira, the listings (/project, /project/search)
// carry description and lead only when expand= asks for them; GET /project/{key} always does.
json::value listed_project(const service_state& s, const call& c, std::int32_t p, const std::vector<std::string>& expand) {
    auto o = c.r.project(p, true).as_object();
    const auto& pr = s.d.projects[std::size_t(p)];
    auto asked = [&](std::string_view what) { return std::find(expand.begin(), expand.end(), what) != expand.end(); };
    if (asked("description")) o["description"] = pr.description;
    if (asked("lead")) o["lead"] = c.r.user(pr.lead);
    return o;
}

}  // namespace

response get_myself(service_state& s, const call& c) {
    auto me = c.r.user(c.user).as_object();
    me["locale"] = "en_US";
    if (!c.v3()) me["deleted"] = false;
    me["groups"] = json::object{{"size", 1}, {"items", json::array{}}};
    me["applicationRoles"] = json::object{{"size", 1}, {"items", json::array{}}};
    me["expand"] = "groups,applicationRoles";
    (void)s;
    return json_ok(me);
}

response get_projects(service_state& s, const call& c) {
    const auto expand = list_param(c, "expand");
    json::array out;
    for (auto p : browsable(s, c)) out.push_back(listed_project(s, c, p, expand));
    return json_ok(out);
}

response search_projects(service_state& s, const call& c) {
    const auto start = integer_param(c, "startAt", 0, 0, INT32_MAX);
    if (start.error) return *start.error;
    const auto max = integer_param(c, "maxResults", 50, 1, 100);
    if (max.error) return *max.error;
    const auto query = upper(param(c, "query").value_or(""));
    std::vector<std::int32_t> matching;
    for (auto p : browsable(s, c)) {
        const auto& pr = s.d.projects[std::size_t(p)];
        if (query.empty() || upper(pr.key).find(query) != std::string::npos || upper(pr.name).find(query) != std::string::npos)
            matching.push_back(p);
    }
    const auto expand = list_param(c, "expand");
    json::array values;
    for (auto k = start.value; k < std::int64_t(matching.size()) && k < start.value + max.value; ++k)
        values.push_back(listed_project(s, c, matching[std::size_t(k)], expand));
    return json_response(http::status::ok, page_bean(c, start.value, max.value, std::int64_t(matching.size()), std::move(values)));
}

response get_project(service_state& s, const call& c, std::string_view key, std::string_view what) {
    std::int32_t found = none;
    for (std::size_t p = 0; p < s.d.projects.size(); ++p)
        if (upper(s.d.projects[p].key) == upper(key) || std::to_string(s.d.projects[p].id) == key) found = std::int32_t(p);
    if (found == none || !(c.visible >> found & 1))
        return error_response(http::status::not_found, "No project could be found with key '" + std::string(key) + "'.");
    const auto& pr = s.d.projects[std::size_t(found)];
    json::array out;
    if (what == "versions") {
        for (const auto& v : s.d.versions) if (v.project_id == pr.id) out.push_back(c.r.version(v));
    } else if (what == "components") {
        for (const auto& comp : s.d.components) if (comp.project_id == pr.id) out.push_back(c.r.component(comp, true));
    } else {
        return json_ok(listed_project(s, c, found, {"description", "lead"}));
    }
    return json_ok(out);
}

response get_users(service_state& s, const call& c) {
    const auto start = integer_param(c, "startAt", 0, 0, INT32_MAX);
    if (start.error) return *start.error;
    const auto max = integer_param(c, "maxResults", 50, 0, 1000);
    if (max.error) return *max.error;
    std::string needle;
    if (!c.v3()) {
        // Data Center requires username=; "." matches everyone (a well-known idiom).
        const auto username = param(c, "username");
        if (!username || username->empty())
            return error_response(http::status::bad_request, "The username query parameter was not provided");
        needle = *username == "." ? "" : upper(*username);
    }
    json::array out;
    std::int64_t seen = 0;
    for (std::size_t u = 0; u < s.d.users.size(); ++u) {
        const auto& x = s.d.users[u];
        const bool match = needle.empty() || upper(x.username).rfind(needle, 0) == 0 ||
                           upper(x.email).rfind(needle, 0) == 0 || upper(x.display_name).find(needle) != std::string::npos;
        if (!match) continue;
        if (seen++ < start.value) continue;
        if (std::int64_t(out.size()) >= max.value) break;
        out.push_back(c.r.user(std::int32_t(u)));
    }
    return json_ok(out);
}

response get_catalog(service_state& s, const call& c, std::string_view what) {
    json::array out;
    if (what == "field") {
        for (const auto& f : all_fields()) out.push_back(c.r.field(f));
    } else if (what == "status") {
        for (std::size_t k = 0; k < s.d.statuses.size(); ++k) {
            auto st = c.r.status(std::int32_t(k)).as_object();
            st["untranslatedName"] = s.d.statuses[k].name;
            out.push_back(std::move(st));
        }
    } else if (what == "statuscategory") {
        for (const auto& cat : s.d.status_categories) out.push_back(c.r.status_category(cat.id));
    } else if (what == "priority") {
        for (std::size_t k = 0; k < s.d.priorities.size(); ++k) {
            auto pr = c.r.priority(std::int32_t(k)).as_object();
            pr["statusColor"] = s.d.priorities[k].status_color;
            pr["description"] = s.d.priorities[k].description;
            out.push_back(std::move(pr));
        }
    } else if (what == "resolution") {
        for (std::size_t k = 0; k < s.d.resolutions.size(); ++k) out.push_back(c.r.resolution(std::int32_t(k)));
    } else if (what == "issuetype") {
        for (std::size_t k = 0; k < s.d.issue_types.size(); ++k) out.push_back(c.r.issue_type(std::int32_t(k)));
    } else if (what == "issueLinkType") {
        for (const auto& t : s.d.link_types) out.push_back(c.r.link_type(t));
        return json_ok(json::object{{"issueLinkTypes", std::move(out)}});
    }
    return json_ok(out);
}

}  // namespace jtgw::jira_sample
