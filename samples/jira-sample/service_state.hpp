#pragma once
// Internal to the service: its shared state, the per-request `call`, parameter helpers
// and the endpoint functions (one file per group: api_platform, api_search, api_issue,
// api_agile). Endpoints return a response for every input, errors included.
#include <boost/json/value.hpp>
#include <boost/url/url_view.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "samples/jira-sample/auth.hpp"
#include "samples/jira-sample/faults.hpp"
#include "samples/jira-sample/issue_cache.hpp"
#include "samples/jira-sample/render.hpp"
#include "samples/jira-sample/search.hpp"
#include "samples/jira-sample/service.hpp"

namespace jtgw::jira_sample {

struct service_state {
    service_state(std::shared_ptr<const dataset> data, service_options options);

    std::shared_ptr<const dataset> data;
    const dataset& d;
    service_options options;
    renderer v2, v3;
    issue_cache cache_v2, cache_v3;
    issue_orders orders;
    authenticator auth;
    fault_injector faults;
    std::vector<std::vector<std::uint32_t>> sprint_issues;  // per sprint index: issue indexes by id
    std::vector<std::uint32_t> worklogs_by_updated;         // worklog indexes, ascending updated
};

/// One authenticated request, parsed.
struct call {
    const request& req;
    boost::urls::url_view url;
    std::vector<std::string> path;  // segments after /rest/api/N or /rest/agile/1.0
    bool agile = false;
    const renderer& r;              // v2 renderer for agile calls
    const issue_cache& cache;
    std::int32_t user = none;
    std::uint64_t visible = 0;

    bool v3() const { return !agile && r.flavor() == api::v3; }
};

// ---- parameters ------------------------------------------------------------------------
/// The last value of a query parameter, if present.
std::optional<std::string> param(const call& c, std::string_view name);
/// Every value of a (repeatable, comma-separated) list parameter, split at commas.
std::vector<std::string> list_param(const call& c, std::string_view name);
/// An integer parameter in [min, max]; absent gives `fallback`; `cap` silently lowers
/// larger values (Jira's behaviour for maxResults). Error: a 400 response.
struct int_param { std::int64_t value = 0; std::optional<response> error; };
int_param integer_param(const call& c, std::string_view name, std::int64_t fallback, std::int64_t min,
                        std::int64_t cap);
/// The same rule for a JSON body member.
int_param integer_member(const boost::json::object& body, std::string_view name, std::int64_t fallback,
                         std::int64_t min, std::int64_t cap);
/// Strings from a JSON body member that may be an array of strings or a comma list.
std::vector<std::string> list_member(const boost::json::object& body, std::string_view name);

/// self / nextPage links: the request URL with `startAt` (or other) replaced.
std::string self_url(const call& c);
std::string url_with(const call& c, std::string_view name, std::string_view value);
/// {self, nextPage?, maxResults, startAt, total, isLast, values}.
std::string page_bean(const call& c, std::int64_t start, std::int64_t max, std::int64_t total,
                      boost::json::array values);

// ---- endpoints -------------------------------------------------------------------------
response get_myself(service_state& s, const call& c);
response get_projects(service_state& s, const call& c);
response search_projects(service_state& s, const call& c);
response get_project(service_state& s, const call& c, std::string_view key, std::string_view what);
response get_users(service_state& s, const call& c);
response get_catalog(service_state& s, const call& c, std::string_view what);

response search_jql(service_state& s, const call& c);          // v3 search/jql
response search_offset(service_state& s, const call& c);       // v2 search
response sprint_issues(service_state& s, const call& c, std::string_view sprint_id);

response get_issue(service_state& s, const call& c, std::string_view key);
response get_issue_children(service_state& s, const call& c, std::string_view key, std::string_view what);
response worklogs_updated(service_state& s, const call& c);
response worklog_list(service_state& s, const call& c);

response get_boards(service_state& s, const call& c);
response get_board(service_state& s, const call& c, std::string_view id, bool sprints);
response get_sprint(service_state& s, const call& c, std::string_view id);

/// The issue index for an id or key the user may browse, or nullopt (→ Jira's 404).
std::optional<std::uint32_t> visible_issue(const service_state& s, const call& c, std::string_view id_or_key);
response issue_not_found();

}  // namespace jtgw::jira_sample
