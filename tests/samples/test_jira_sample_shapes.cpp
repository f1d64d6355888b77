// Envelope shapes (keys and JSON types) of every jira-sample endpoint, and the fault knobs.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "samples/jira-sample/fields.hpp"
#include "tests/samples/jira_sample_fixture.hpp"

using namespace jira_sample_test;
using K = json::kind;

namespace {

fixture& shared() {
    static fixture f;
    return f;
}

void expect_shape(const json::value& v, std::initializer_list<std::pair<const char*, K>> shape, bool exact = true) {
    BOOST_REQUIRE(v.is_object());
    const auto& o = v.as_object();
    if (exact) BOOST_TEST(o.size() == shape.size());
    for (const auto& [key, kind] : shape) {
        BOOST_TEST_CONTEXT("key " << key) {
            BOOST_REQUIRE(o.contains(key));
            BOOST_TEST(int(o.at(key).kind()) == int(kind));
        }
    }
}

constexpr std::initializer_list<std::pair<const char*, K>> page_bean{
    {"self", K::string}, {"maxResults", K::int64}, {"startAt", K::int64}, {"total", K::int64}, {"isLast", K::bool_}, {"values", K::array}};

}  // namespace

BOOST_AUTO_TEST_CASE(search_envelopes) {
    auto& f = shared();
    const auto v3 = f.get_v3("/rest/api/3/search/jql?jql=project%3DENG&maxResults=2", "alice");
    expect_shape(v3, {{"issues", K::array}, {"nextPageToken", K::string}, {"isLast", K::bool_}});
    expect_shape(v3.at("issues").at(0), {{"id", K::string}});
    const auto full = f.get_v3("/rest/api/3/search/jql?jql=project%3DENG&maxResults=1000&fields=*all&expand=names,schema,changelog", "alice");
    BOOST_TEST(full.at("issues").as_array().size() == 100u);  // capped once fields are requested
    expect_shape(full, {{"issues", K::array}, {"nextPageToken", K::string}, {"isLast", K::bool_}, {"names", K::object}, {"schema", K::object}});
    const auto& issue = full.at("issues").at(0);
    expect_shape(issue, {{"expand", K::string}, {"id", K::string}, {"self", K::string}, {"key", K::string}, {"fields", K::object}, {"changelog", K::object}});
    expect_shape(issue.at("changelog"), {{"startAt", K::int64}, {"maxResults", K::int64}, {"total", K::int64}, {"histories", K::array}});
    const auto& fields = issue.at("fields").as_object();
    for (const auto* name : {"summary", "issuetype", "project", "status", "priority", "reporter", "creator", "created", "updated",
                             "labels", "components", "fixVersions", "subtasks", "issuelinks", "comment", "worklog",
                             "customfield_10016", "customfield_10020", "customfield_10030", "customfield_10040", "customfield_10014"})
        BOOST_TEST(fields.contains(name), name);
    expect_shape(fields.at("status"), {{"self", K::string}, {"description", K::string}, {"iconUrl", K::string}, {"name", K::string}, {"id", K::string}, {"statusCategory", K::object}});
    expect_shape(fields.at("status").at("statusCategory"), {{"self", K::string}, {"id", K::int64}, {"key", K::string}, {"colorName", K::string}, {"name", K::string}});
    expect_shape(fields.at("reporter"), {{"self", K::string}, {"accountId", K::string}, {"emailAddress", K::string}, {"avatarUrls", K::object},
                                         {"displayName", K::string}, {"active", K::bool_}, {"timeZone", K::string}, {"accountType", K::string}});
    expect_shape(fields.at("comment"), {{"comments", K::array}, {"self", K::string}, {"maxResults", K::int64}, {"total", K::int64}, {"startAt", K::int64}});
    expect_shape(fields.at("worklog"), {{"startAt", K::int64}, {"maxResults", K::int64}, {"total", K::int64}, {"worklogs", K::array}});
    BOOST_TEST(std::string(fields.at("created").as_string()).size() == 28u);  // 2025-01-17T12:34:00.000+0000
    BOOST_TEST(std::string(fields.at("created").as_string()).substr(23) == "+0000");

    // v3 text is ADF, v2 text a string.
    for (const auto& is : full.at("issues").as_array())
        if (!is.at("fields").at("description").is_null()) {
            expect_shape(is.at("fields").at("description"), {{"type", K::string}, {"version", K::int64}, {"content", K::array}});
            const auto v2 = f.get_v2("/rest/api/2/issue/" + std::string(is.at("key").as_string()) + "?fields=description", "alice");
            BOOST_TEST(v2.at("fields").at("description").is_string());
            break;
        }
    const auto dc = f.get_v2("/rest/api/2/search?jql=project%3DENG&maxResults=3&expand=names", "alice");
    expect_shape(dc, {{"expand", K::string}, {"startAt", K::int64}, {"maxResults", K::int64}, {"total", K::int64}, {"issues", K::array}, {"names", K::object}});
    const auto& dc_fields = dc.at("issues").at(0).at("fields").as_object();
    BOOST_TEST(!dc_fields.contains("comment"));  // not navigable: not in the v2 default
    expect_shape(dc_fields.at("reporter"), {{"self", K::string}, {"name", K::string}, {"key", K::string}, {"emailAddress", K::string},
                                            {"avatarUrls", K::object}, {"displayName", K::string}, {"active", K::bool_}, {"timeZone", K::string}});
    for (const auto& is : dc.at("issues").as_array())
        if (!is.at("fields").at("customfield_10020").is_null()) {
            BOOST_TEST(std::string(is.at("fields").at("customfield_10020").at(0).as_string()).find("com.atlassian.greenhopper.service.sprint.Sprint@") == 0u);
        }
}

// Like Jira, the project listings carry description and lead only when expand= asks; the
// values are the dataset's project description and lead (Cloud: accountId, DC: key).
BOOST_AUTO_TEST_CASE(project_listings_honour_expand) {
    auto& f = shared();
    auto truth = [&](const json::value& listed) -> const js::project& {
        const auto id = std::stoll(std::string(listed.at("id").as_string()));
        for (const auto& p : f.data->projects)
            if (p.id == id) return p;
        throw std::runtime_error("a listed project is not in the dataset");
    };
    auto check = [&](const json::array& listed, bool description, bool lead, bool cloud) {
        BOOST_REQUIRE(!listed.empty());
        for (const auto& item : listed) {
            const auto& o = item.as_object();
            const auto& p = truth(item);
            BOOST_TEST_CONTEXT("project " << p.key << " description " << description << " lead " << lead) {
                BOOST_TEST(o.contains("description") == description);
                BOOST_TEST(o.contains("lead") == lead);
                if (description) BOOST_TEST(o.at("description").as_string() == p.description);
                if (lead && p.lead == js::none) BOOST_TEST(o.at("lead").is_null());
                if (lead && p.lead != js::none) {
                    const auto& u = f.data->users.at(std::size_t(p.lead));
                    BOOST_TEST(o.at("lead").at("displayName").as_string() == u.display_name);
                    BOOST_TEST(o.at("lead").at(cloud ? "accountId" : "key").as_string() ==
                               (cloud ? u.account_id : u.username));
                }
            }
        }
    };
    const auto v3 = [&](const std::string& q) { return f.get_v3("/rest/api/3/project/search" + q, "alice").at("values").as_array(); };
    const auto v2 = [&](const std::string& q) { return f.get_v2("/rest/api/2/project" + q, "alice").as_array(); };
    check(v3(""), false, false, true);
    check(v3("?expand=description,lead"), true, true, true);
    check(v3("?expand=lead"), false, true, true);
    check(v2(""), false, false, false);
    check(v2("?expand=description,lead"), true, true, false);
    check(v2("?expand=description"), true, false, false);
    // A single project always carries both.
    const auto one = f.get_v2("/rest/api/2/project/ENG", "alice").as_object();
    BOOST_TEST(one.contains("description"));
    BOOST_TEST(one.contains("lead"));
}

BOOST_AUTO_TEST_CASE(platform_envelopes) {
    auto& f = shared();
    expect_shape(f.get_v3("/rest/api/3/myself", "alice"), {{"self", K::string}, {"accountId", K::string}, {"emailAddress", K::string}, {"avatarUrls", K::object},
        {"displayName", K::string}, {"active", K::bool_}, {"timeZone", K::string}, {"accountType", K::string}, {"locale", K::string},
        {"groups", K::object}, {"applicationRoles", K::object}, {"expand", K::string}});
    expect_shape(f.get_v3("/rest/api/3/project/search?maxResults=2", "alice"), {{"self", K::string}, {"nextPage", K::string}, {"maxResults", K::int64},
        {"startAt", K::int64}, {"total", K::int64}, {"isLast", K::bool_}, {"values", K::array}});
    expect_shape(f.get_v3("/rest/api/3/project/search", "alice"), page_bean);
    const auto projects = f.get_v2("/rest/api/2/project", "alice");
    expect_shape(projects.at(0), {{"expand", K::string}, {"self", K::string}, {"id", K::string}, {"key", K::string}, {"name", K::string},
        {"projectTypeKey", K::string}, {"avatarUrls", K::object}, {"style", K::string}, {"isPrivate", K::bool_}, {"properties", K::object}, {"archived", K::bool_}});
    const auto versions = f.get_v3("/rest/api/3/project/ENG/versions", "alice").as_array();
    BOOST_TEST(versions.size() == 6u);
    expect_shape(versions.at(0), {{"self", K::string}, {"id", K::string}, {"description", K::string}, {"name", K::string},
        {"archived", K::bool_}, {"released", K::bool_}, {"releaseDate", K::string}, {"projectId", K::int64}});
    const auto components = f.get_v3("/rest/api/3/project/ENG/components", "alice").as_array();
    expect_shape(components.at(1), {{"self", K::string}, {"id", K::string}, {"name", K::string}, {"description", K::string},
        {"assigneeType", K::string}, {"realAssigneeType", K::string}, {"isAssigneeTypeValid", K::bool_}, {"project", K::string}, {"projectId", K::int64}});
    BOOST_TEST(f.get_v3("/rest/api/3/users/search", "alice").as_array().size() == f.data->users.size());
    BOOST_TEST(f.get_v2("/rest/api/2/user/search?username=.", "alice").as_array().size() == f.data->users.size());
    BOOST_TEST(f.get_v2("/rest/api/2/user/search?username=bo", "alice").as_array().size() == 1u);
    const auto field = f.get_v3("/rest/api/3/field", "alice").as_array();
    BOOST_TEST(field.size() == js::field_count);
    for (const auto& fl : field) {
        BOOST_TEST(fl.at("schema").at("type").is_string());
        BOOST_TEST(fl.at("custom").is_bool());
        BOOST_TEST(fl.at("clauseNames").is_array());
    }
    expect_shape(f.get_v3("/rest/api/3/status", "alice").at(0), {{"self", K::string}, {"description", K::string}, {"iconUrl", K::string},
        {"name", K::string}, {"id", K::string}, {"statusCategory", K::object}, {"untranslatedName", K::string}});
    BOOST_TEST(f.get_v3("/rest/api/3/statuscategory", "alice").as_array().size() == 4u);
    expect_shape(f.get_v2("/rest/api/2/priority", "alice").at(0), {{"self", K::string}, {"iconUrl", K::string}, {"name", K::string},
        {"id", K::string}, {"statusColor", K::string}, {"description", K::string}});
    expect_shape(f.get_v3("/rest/api/3/issueLinkType", "alice"), {{"issueLinkTypes", K::array}});
    expect_shape(f.get_v3("/rest/api/3/issueLinkType", "alice").at("issueLinkTypes").at(0),
                 {{"id", K::string}, {"name", K::string}, {"inward", K::string}, {"outward", K::string}, {"self", K::string}});
}

BOOST_AUTO_TEST_CASE(issue_and_agile_envelopes) {
    auto& f = shared();
    const auto& d = *f.data;
    const auto key = d.key_of(d.issues[3]);
    const auto issue = f.get_v3("/rest/api/3/issue/" + key + "?expand=names,schema", "alice");
    expect_shape(issue, {{"expand", K::string}, {"id", K::string}, {"self", K::string}, {"key", K::string}, {"fields", K::object},
                         {"names", K::object}, {"schema", K::object}});
    expect_shape(f.get_v3("/rest/api/3/issue/" + key + "/worklog", "alice"), {{"startAt", K::int64}, {"maxResults", K::int64}, {"total", K::int64}, {"worklogs", K::array}});
    expect_shape(f.get_v2("/rest/api/2/issue/" + key + "/comment", "alice"), {{"startAt", K::int64}, {"maxResults", K::int64}, {"total", K::int64}, {"comments", K::array}});
    expect_shape(f.get_v3("/rest/api/3/issue/" + key + "/changelog", "alice"), page_bean);
    BOOST_TEST(f.call("/rest/api/2/issue/" + key + "/changelog", f.pat_auth("alice")).result_int() == 404);  // Cloud only
    const auto w = d.worklogs.front();
    const auto wl = fixture::parse_ok(f.call("/rest/api/3/worklog/list", f.cloud_auth("alice"), http::verb::post,
                                             "{\"ids\":[" + std::to_string(w.id) + "]}")).at(0);
    expect_shape(wl, {{"self", K::string}, {"author", K::object}, {"updateAuthor", K::object}, {"created", K::string}, {"updated", K::string},
                      {"started", K::string}, {"timeSpent", K::string}, {"timeSpentSeconds", K::int64}, {"id", K::string}, {"issueId", K::string}}, false);
    expect_shape(f.get_v3("/rest/api/3/worklog/updated?since=0", "alice"), {{"values", K::array}, {"since", K::int64}, {"until", K::int64},
        {"self", K::string}, {"nextPage", K::string}, {"lastPage", K::bool_}});
    const auto boards = f.get_v2("/rest/agile/1.0/board", "alice");
    expect_shape(boards, {{"maxResults", K::int64}, {"startAt", K::int64}, {"total", K::int64}, {"isLast", K::bool_}, {"values", K::array}});
    expect_shape(boards.at("values").at(0), {{"id", K::int64}, {"self", K::string}, {"name", K::string}, {"type", K::string}, {"location", K::object}});
    const auto sprint = f.get_v2("/rest/agile/1.0/board/1/sprint?state=closed", "alice").at("values").at(0);
    expect_shape(sprint, {{"id", K::int64}, {"self", K::string}, {"state", K::string}, {"name", K::string}, {"startDate", K::string},
                          {"endDate", K::string}, {"completeDate", K::string}, {"createdDate", K::string}, {"originBoardId", K::int64}, {"goal", K::string}});
    BOOST_TEST(std::string(sprint.at("startDate").as_string()).substr(23) == "+00:00");  // Agile dates: colon offset
    const auto issues = f.get_v2("/rest/agile/1.0/sprint/" + std::to_string(sprint.at("id").as_int64()) + "/issue", "alice");
    expect_shape(issues, {{"expand", K::string}, {"startAt", K::int64}, {"maxResults", K::int64}, {"total", K::int64}, {"issues", K::array}});
}

BOOST_AUTO_TEST_CASE(fail_every_answers_every_kth_request_503) {
    js::service_options options;
    options.fail_every = 3;
    fixture f(options);
    std::vector<int> statuses;
    for (int k = 0; k < 9; ++k) statuses.push_back(f.call("/rest/api/3/myself", f.cloud_auth("bob")).result_int());
    BOOST_TEST(statuses == (std::vector<int>{200, 200, 503, 200, 200, 503, 200, 200, 503}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rate_limit_answers_429_with_retry_after) {
    js::service_options options;
    options.rate_limit = 2;  // a burst of 2, then 2 per second
    fixture f(options);
    int limited = 0;
    for (int k = 0; k < 20; ++k) {
        const auto res = f.call("/rest/api/3/myself", f.cloud_auth("bob"));
        BOOST_TEST(!res["X-RateLimit-Limit"].empty());
        if (res.result_int() != 429) continue;
        ++limited;
        BOOST_TEST(std::stoi(std::string(res[http::field::retry_after])) >= 1);
        BOOST_TEST(res["X-RateLimit-Remaining"] == "0");
        BOOST_TEST(!res["X-RateLimit-Reset"].empty());
        BOOST_TEST(json::parse(res.body()).at("errorMessages").is_array());
    }
    // 20 calls cannot all fit in a 2/s budget (only the token refill during the loop helps).
    BOOST_TEST(limited >= 1);
}

BOOST_AUTO_TEST_CASE(latency_delays_the_response_without_blocking) {
    js::service_options options;
    options.latency = std::chrono::milliseconds(150);
    fixture f(options);
    boost::asio::io_context ioc;
    js::request req{http::verb::get, "/rest/api/3/myself", 11};
    req.set(http::field::authorization, f.cloud_auth("bob"));
    const auto start = std::chrono::steady_clock::now();
    auto first = boost::asio::co_spawn(ioc, f.svc->handle(req), boost::asio::use_future);
    auto second = boost::asio::co_spawn(ioc, f.svc->handle(req), boost::asio::use_future);
    ioc.run();  // one thread: both waits overlap, because the delay is a timer
    BOOST_TEST(first.get().result_int() == 200);
    BOOST_TEST(second.get().result_int() == 200);
    const bool waited = std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(150);
    BOOST_TEST(waited);  // a lower bound only
}
