#include "samples/jira-sample/service.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url.hpp>
#include <algorithm>
#include <numeric>

#include "samples/jira-sample/service_state.hpp"

namespace jtgw::jira_sample {
namespace {

constexpr std::size_t max_target = 16 * 1024;  // longer URLs are refused before parsing

response not_found_path(std::string_view target) {
    return error_response(http::status::not_found, "null for uri: " + std::string(target.substr(0, 512)));
}

// Writes are not part of the sample: only these POSTs read.
bool read_only_post(bool agile, const std::vector<std::string>& path, api flavor) {
    if (agile) return false;
    if (path.size() == 2 && path[0] == "search" && path[1] == "jql") return flavor == api::v3;
    if (path.size() == 1 && path[0] == "search") return true;  // v2 search; v3 answers 410
    return path.size() == 2 && path[0] == "worklog" && path[1] == "list";
}

response unauthorized(const char* reason) {
    auto res = error_response(http::status::unauthorized,
                              std::string("You are not authenticated. Authentication required to perform this operation. (") +
                                  reason + ")");
    res.set(http::field::www_authenticate, "Basic realm=\"jira-sample\"");
    return res;
}

}  // namespace

service_state::service_state(std::shared_ptr<const dataset> data_in, service_options options_in)
    : data(std::move(data_in)), d(*data), options(std::move(options_in)), v2(d, options.base_url, api::v2),
      v3(d, options.base_url, api::v3), cache_v2(v2, options.render_threads), cache_v3(v3, options.render_threads),
      orders(d), auth(d, options.service), faults(options.rate_limit, options.fail_every) {
    sprint_issues.resize(d.sprints.size());
    for (std::uint32_t k = 0; k < d.issues.size(); ++k)
        for (auto id : d.issues[k].sprints) sprint_issues[d.sprint_by_id.at(id)].push_back(k);
    worklogs_by_updated.resize(d.worklogs.size());
    std::iota(worklogs_by_updated.begin(), worklogs_by_updated.end(), 0u);
    std::sort(worklogs_by_updated.begin(), worklogs_by_updated.end(), [&](auto a, auto b) {
        return std::pair(d.worklogs[a].updated, d.worklogs[a].id) < std::pair(d.worklogs[b].updated, d.worklogs[b].id);
    });
}

service::service(std::shared_ptr<const dataset> data, service_options options)
    : state_(std::make_unique<service_state>(std::move(data), std::move(options))) {}
service::~service() = default;

std::size_t service::cache_bytes() const { return state_->cache_v2.bytes() + state_->cache_v3.bytes(); }
const service_options& service::options() const { return state_->options; }

boost::asio::awaitable<response> service::handle(request req) {
    if (state_->options.latency.count() > 0) {
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, state_->options.latency);
        co_await timer.async_wait(boost::asio::use_awaitable);
    }
    co_return respond(req);
}

response service::respond(const request& req) {
    auto& s = *state_;
    const auto admission = s.faults.admit();
    if (admission.reject) return *admission.reject;
    const auto target = req.target();
    if (target.size() > max_target) return error_response(http::status::uri_too_long, "The request URI is too long.");
    auto parsed = boost::urls::parse_origin_form(target);
    if (!parsed) return error_response(http::status::bad_request, "The request URI is malformed.");

    // Decode path segments; split off the API prefix.
    std::vector<std::string> segments;
    for (auto seg : parsed->segments()) segments.emplace_back(seg);
    if (!segments.empty() && segments.back().empty()) segments.pop_back();  // trailing slash
    const bool platform = segments.size() >= 3 && segments[0] == "rest" && segments[1] == "api" &&
                          (segments[2] == "2" || segments[2] == "3" || segments[2] == "latest");
    const bool agile = segments.size() >= 3 && segments[0] == "rest" && segments[1] == "agile" && segments[2] == "1.0";
    if (!platform && !agile) return not_found_path(target);
    const api flavor = platform && segments[2] == "3" ? api::v3 : api::v2;
    std::vector<std::string> path(segments.begin() + 3, segments.end());

    const auto method = req.method();
    const bool get = method == http::verb::get || method == http::verb::head;
    if (!get && !(method == http::verb::post && read_only_post(agile, path, flavor))) {
        auto res = error_response(http::status::method_not_allowed,
                                  "jira-sample is read-only: " + std::string(req.method_string()) + " is not allowed here.");
        res.set(http::field::allow, "GET, HEAD");
        return res;
    }
    if (!agile && flavor == api::v3 && path.size() == 1 && path[0] == "search")
        return error_response(http::status::gone,
                              "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. "
                              "A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046");

    const auto kind = agile ? credential_kind::any : flavor == api::v3 ? credential_kind::cloud : credential_kind::data_center;
    const auto who = s.auth.authenticate(req[http::field::authorization], req["X-Forwarded-User"], kind);
    if (who.user == none) return unauthorized(who.failure.c_str());

    const auto& r = agile || flavor == api::v2 ? s.v2 : s.v3;
    const auto& cache = agile || flavor == api::v2 ? s.cache_v2 : s.cache_v3;
    const call c{req, *parsed, std::move(path), agile, r, cache, who.user, visible_projects(s.d, who.user)};
    response res = [&]() -> response {
      try {
        const auto& p = c.path;
        const auto n = p.size();
        auto is = [&](std::size_t i, std::string_view v) { return i < n && p[i] == v; };
        if (agile) {
            if (is(0, "board") && n == 1) return get_boards(s, c);
            if (is(0, "board") && n == 2) return get_board(s, c, p[1], false);
            if (is(0, "board") && n == 3 && is(2, "sprint")) return get_board(s, c, p[1], true);
            if (is(0, "sprint") && n == 2) return get_sprint(s, c, p[1]);
            if (is(0, "sprint") && n == 3 && is(2, "issue")) return sprint_issues(s, c, p[1]);
            return not_found_path(target);
        }
        if (is(0, "myself") && n == 1) return get_myself(s, c);
        if (is(0, "search") && n == 2 && is(1, "jql") && c.v3()) return search_jql(s, c);
        if (is(0, "search") && n == 1) return search_offset(s, c);
        if (is(0, "project") && n == 1) return get_projects(s, c);
        if (is(0, "project") && n == 2 && is(1, "search")) return search_projects(s, c);
        if (is(0, "project") && n == 2) return get_project(s, c, p[1], "");
        if (is(0, "project") && n == 3 && (is(2, "versions") || is(2, "components"))) return get_project(s, c, p[1], p[2]);
        if (is(0, "users") && n == 2 && is(1, "search") && c.v3()) return get_users(s, c);
        if (is(0, "user") && n == 2 && is(1, "search") && !c.v3()) return get_users(s, c);
        if (n == 1 && (is(0, "field") || is(0, "status") || is(0, "statuscategory") || is(0, "priority") ||
                       is(0, "resolution") || is(0, "issueLinkType") || is(0, "issuetype")))
            return get_catalog(s, c, p[0]);
        if (is(0, "issue") && n == 2) return get_issue(s, c, p[1]);
        if (is(0, "issue") && n == 3 && (is(2, "worklog") || is(2, "comment") || (is(2, "changelog") && c.v3())))
            return get_issue_children(s, c, p[1], p[2]);
        if (is(0, "worklog") && n == 2 && is(1, "updated")) return worklogs_updated(s, c);
        if (is(0, "worklog") && n == 2 && is(1, "list")) return worklog_list(s, c);
        return not_found_path(target);
      } catch (const std::exception&) {
        // Endpoints report bad input as values; reaching here is a bug, still not a crash.
        return error_response(http::status::internal_server_error, "jira-sample: internal error");
      }
    }();
    s.faults.decorate(res, admission);
    return res;
}

}  // namespace jtgw::jira_sample
