// jira-sample REST behaviour: permissions for the three kinds of user, authentication,
// the JQL subset and its errors, the 410, writes refused, and envelope shapes.
#include <boost/test/unit_test.hpp>

#include "samples/jira-sample/jql.hpp"
#include "samples/jira-sample/time_format.hpp"
#include "tests/samples/jira_sample_fixture.hpp"

using namespace jira_sample_test;

namespace {

fixture& shared() {
    static fixture f;
    return f;
}

std::vector<std::string> jql_ids(fixture& f, const std::string& user, const std::string& jql) {
    std::vector<std::string> ids;
    std::string token;
    for (;;) {
        auto target = "/rest/api/3/search/jql?maxResults=5000&jql=" + url_encode(jql);
        if (!token.empty()) target += "&nextPageToken=" + token;
        const auto page = f.get_v3(target, user).as_object();
        for (const auto& is : page.at("issues").as_array()) ids.emplace_back(is.at("id").as_string());
        if (page.at("isLast").as_bool()) return ids;
        token = std::string(page.at("nextPageToken").as_string());
    }
}

std::string first_error(const js::response& res) {
    const auto body = json::parse(res.body());
    return std::string(body.at("errorMessages").as_array().at(0).as_string());
}

// Keys and JSON kinds of an object, checked exactly.
void expect_shape(const json::object& o, std::initializer_list<std::pair<const char*, json::kind>> shape) {
    BOOST_TEST(o.size() == shape.size());
    for (const auto& [key, kind] : shape) {
        BOOST_TEST_CONTEXT("key " << key) {
            BOOST_REQUIRE(o.contains(key));
            BOOST_TEST(int(o.at(key).kind()) == int(kind));
        }
    }
}

template <class Pred>
std::vector<std::string> truth(const js::dataset& d, const js::user& u, Pred pred) {
    std::vector<std::string> out;
    for (const auto& is : d.issues) {
        const auto& key = d.projects[std::size_t(is.project)].key;
        if (std::find(u.projects.begin(), u.projects.end(), key) != u.projects.end() && pred(is))
            out.push_back(std::to_string(is.id));
    }
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(three_kinds_of_user_see_what_their_projects_allow) {
    auto& f = shared();
    const auto& d = *f.data;
    const std::string all = "project in (DATA, ENG, MOB, OPS, SEC, WEB)";
    BOOST_TEST(jql_ids(f, "alice", all).size() == d.issues.size());
    // bob sees ENG only; naming another project is Jira's "does not exist".
    const auto bob = jql_ids(f, "bob", "project = ENG");
    BOOST_TEST(bob == truth(d, f.user("bob"), [](auto&) { return true; }), boost::test_tools::per_element());
    const auto hidden = f.call("/rest/api/3/search/jql?jql=" + url_encode(all), f.cloud_auth("bob"));
    BOOST_TEST(hidden.result_int() == 400);
    BOOST_TEST(first_error(hidden) == "The value 'DATA' does not exist for the field 'project'.");
    BOOST_TEST(f.get_v2("/rest/api/2/search?jql=", "bob").at("total").as_int64() == std::int64_t(bob.size()));
    // nora sees nothing at all.
    BOOST_TEST(f.get_v2("/rest/api/2/search?jql=", "nora").at("total").as_int64() == 0);
    BOOST_TEST(f.get_v3("/rest/api/3/project", "nora").as_array().empty());
    BOOST_TEST(f.get_v3("/rest/api/3/project/search", "nora").at("total").as_int64() == 0);
    BOOST_TEST(f.get_v2("/rest/agile/1.0/board", "nora").at("values").as_array().empty());
    BOOST_TEST(f.get_v3("/rest/api/3/project", "bob").as_array().size() == 1u);
    BOOST_TEST(f.get_v2("/rest/agile/1.0/board", "bob").at("total").as_int64() == 1);
    BOOST_TEST(f.get_v2("/rest/agile/1.0/board", "alice").at("total").as_int64() == std::int64_t(d.boards.size()));

    // Direct access to a forbidden issue, board, sprint, project: 404 with Jira's text.
    const auto& data_issue = *std::find_if(d.issues.begin(), d.issues.end(), [&](auto& is) { return d.projects[std::size_t(is.project)].key == "DATA"; });
    for (const auto& who : {std::string("bob"), std::string("nora")}) {
        const auto res = f.call("/rest/api/3/issue/" + d.key_of(data_issue), f.cloud_auth(who));
        BOOST_TEST(res.result_int() == 404);
        BOOST_TEST(first_error(res) == "Issue does not exist or you do not have permission to see it.");
        BOOST_TEST(f.call("/rest/api/2/issue/" + std::to_string(data_issue.id) + "/worklog", f.pat_auth(who)).result_int() == 404);
        BOOST_TEST(f.call("/rest/agile/1.0/board/1/sprint", f.pat_auth(who)).result_int() == 404);
        BOOST_TEST(f.call("/rest/agile/1.0/sprint/1/issue", f.pat_auth(who)).result_int() == 404);
        BOOST_TEST(f.call("/rest/api/3/project/DATA/versions", f.cloud_auth(who)).result_int() == 404);
    }
    BOOST_TEST(f.get_v3("/rest/api/3/issue/" + d.key_of(data_issue), "alice").at("key").as_string() == d.key_of(data_issue));
}

BOOST_AUTO_TEST_CASE(authentication_per_flavor) {
    auto& f = shared();
    auto status = [&](const std::string& target, const std::string& auth, const std::string& fwd = {}) {
        return f.call(target, auth, http::verb::get, {}, fwd).result_int();
    };
    BOOST_TEST(status("/rest/api/3/myself", f.cloud_auth("bob")) == 200);
    BOOST_TEST(status("/rest/api/3/myself", "") == 401);
    BOOST_TEST(status("/rest/api/3/myself", f.pat_auth("bob")) == 401);        // v3 takes no PAT
    BOOST_TEST(status("/rest/api/3/myself", f.password_auth("bob")) == 401);   // nor username:password
    BOOST_TEST(status("/rest/api/3/myself", "Basic " + base64("bob@example.com:wrong")) == 401);
    BOOST_TEST(status("/rest/api/2/myself", f.pat_auth("bob")) == 200);
    BOOST_TEST(status("/rest/api/2/myself", f.password_auth("bob")) == 200);
    BOOST_TEST(status("/rest/api/2/myself", f.cloud_auth("bob")) == 401);      // v2 takes no email:api_token
    BOOST_TEST(status("/rest/api/2/myself", "Bearer not-a-token") == 401);
    BOOST_TEST(status("/rest/api/2/myself", "Basic !!!") == 401);
    BOOST_TEST(status("/rest/agile/1.0/board", f.cloud_auth("bob")) == 200);
    BOOST_TEST(status("/rest/agile/1.0/board", f.pat_auth("bob")) == 200);
    const auto res = f.call("/rest/api/3/myself", "");
    BOOST_TEST(res[http::field::www_authenticate].empty() == false);
    BOOST_TEST(first_error(res).find("You are not authenticated") == 0u);
    BOOST_TEST(res.body().find(f.user("bob").api_token) == std::string::npos);
    const auto me = f.get_v2("/rest/api/2/myself", "bob");
    BOOST_TEST(me.at("name").as_string() == "bob");
}

BOOST_AUTO_TEST_CASE(service_credential_acts_as_forwarded_user) {
    js::service_options options;
    options.service = js::service_credential{"jtgw", "s3rvice-secret"};
    fixture f(options);
    const auto auth = "Basic " + base64("jtgw:s3rvice-secret");
    const auto as_bob = f.call("/rest/api/2/myself", auth, http::verb::get, {}, "bob");
    BOOST_TEST(as_bob.result_int() == 200);
    BOOST_TEST(json::parse(as_bob.body()).at("name").as_string() == "bob");
    const auto as_alice = f.call("/rest/api/3/myself", auth, http::verb::get, {}, "alice@example.com");
    BOOST_TEST(json::parse(as_alice.body()).at("displayName").as_string() == "Alice Admin");
    BOOST_TEST(f.call("/rest/api/2/myself", auth).result_int() == 401);                               // no X-Forwarded-User
    BOOST_TEST(f.call("/rest/api/2/myself", auth, http::verb::get, {}, "mallory").result_int() == 401);
    BOOST_TEST(f.call("/rest/api/2/myself", "Basic " + base64("jtgw:wrong"), http::verb::get, {}, "bob").result_int() == 401);
    // Without --service-credential the header means nothing.
    BOOST_TEST(shared().call("/rest/api/2/myself", auth, http::verb::get, {}, "bob").result_int() == 401);
}

BOOST_AUTO_TEST_CASE(jql_forms_select_what_the_dataset_says) {
    auto& f = shared();
    const auto& d = *f.data;
    const auto& alice = f.user("alice");
    const auto& mid = d.issues[d.issues.size() / 2];
    const auto day = mid.updated - mid.updated % 86'400'000;
    const auto minute = mid.updated - mid.updated % 60'000;
    const auto date = js::jira_date(std::int32_t(day / 86'400'000));
    std::string slash_minute = js::jira_time(minute).substr(0, 16);
    slash_minute[10] = ' ';
    std::string dash_minute = slash_minute;
    slash_minute[4] = slash_minute[7] = '/';
    auto key = [&](const js::issue& is) { return d.projects[std::size_t(is.project)].key; };

    BOOST_TEST(jql_ids(f, "alice", "project = ENG") == truth(d, alice, [&](auto& is) { return key(is) == "ENG"; }));
    BOOST_TEST(jql_ids(f, "alice", "project in (OPS, \"WEB\")") == truth(d, alice, [&](auto& is) { return key(is) == "OPS" || key(is) == "WEB"; }));
    BOOST_TEST(jql_ids(f, "alice", "key = " + d.key_of(mid)) == std::vector<std::string>{std::to_string(mid.id)});
    BOOST_TEST(jql_ids(f, "alice", "updated >= \"" + slash_minute + "\"") == truth(d, alice, [&](auto& is) { return is.updated >= minute; }));
    BOOST_TEST(jql_ids(f, "alice", "updated > \"" + dash_minute + "\"") == truth(d, alice, [&](auto& is) { return is.updated > minute; }));
    BOOST_TEST(jql_ids(f, "alice", "updated < \"" + date + "\"") == truth(d, alice, [&](auto& is) { return is.updated < day; }));
    BOOST_TEST(jql_ids(f, "alice", "created <= " + date) == truth(d, alice, [&](auto& is) { return is.created <= day; }));
    BOOST_TEST(jql_ids(f, "alice", "project = ENG AND created >= \"" + date + "\" and updated < \"" + slash_minute + "\"") ==
               truth(d, alice, [&](auto& is) { return key(is) == "ENG" && is.created >= day && is.updated < minute; }));

    // ORDER BY each field and direction.
    const auto by_created = jql_ids(f, "alice", "project = MOB ORDER BY created DESC");
    for (std::size_t k = 1; k < by_created.size(); ++k)
        BOOST_TEST(d.issues[d.issue_by_id.at(std::stoll(by_created[k - 1]))].created >= d.issues[d.issue_by_id.at(std::stoll(by_created[k]))].created);
    const auto by_updated = jql_ids(f, "alice", "project = MOB order by updated asc");
    for (std::size_t k = 1; k < by_updated.size(); ++k)
        BOOST_TEST(d.issues[d.issue_by_id.at(std::stoll(by_updated[k - 1]))].updated <= d.issues[d.issue_by_id.at(std::stoll(by_updated[k]))].updated);
    const auto by_key = jql_ids(f, "alice", "project in (ENG, DATA) ORDER BY key DESC");
    BOOST_TEST(d.key_of(d.issues[d.issue_by_id.at(std::stoll(by_key.front()))]).rfind("ENG-", 0) == 0u);
    BOOST_TEST(d.issues[d.issue_by_id.at(std::stoll(by_key.back()))].number == 1);
}

BOOST_AUTO_TEST_CASE(jql_errors_name_what_is_unsupported) {
    auto& f = shared();
    auto error = [&](const std::string& jql) {
        const auto res = f.call("/rest/api/3/search/jql?jql=" + url_encode(jql), f.cloud_auth("alice"));
        BOOST_TEST(res.result_int() == 400);
        return first_error(res);
    };
    BOOST_TEST(error("").find("Unbounded JQL queries are not allowed") == 0u);
    BOOST_TEST(error("ORDER BY updated").find("Unbounded JQL") == 0u);
    BOOST_TEST(error("project = ENG OR project = OPS").find("'OR'") != std::string::npos);
    BOOST_TEST(error("status = Done").find("Field 'status' is not supported") == 0u);
    BOOST_TEST(error("updated >= \"2025/13/01\"").find("Date value '2025/13/01' for field 'updated' is invalid") == 0u);
    BOOST_TEST(error("updated >= -5d").find("is invalid") != std::string::npos);
    BOOST_TEST(error("updated = \"2025-01-01\"").find("'='") != std::string::npos);
    BOOST_TEST(error("project = NOPE") == "The value 'NOPE' does not exist for the field 'project'.");
    BOOST_TEST(error("key = ENG-999999") == "An issue with key 'ENG-999999' does not exist for field 'key'.");
    BOOST_TEST(error("project = ENG ORDER BY priority").find("cannot order by 'priority'") != std::string::npos);
    BOOST_TEST(error("summary ~ \"unterminated").find("has not been completed") != std::string::npos);
    BOOST_TEST(error("(project = ENG)").find("parentheses") != std::string::npos);
    BOOST_TEST(error("project = ENG extra").find("Expecting either 'OR' or 'AND'") != std::string::npos);
    BOOST_TEST(error(std::string(js::max_jql_length + 1, 'x')).find("too long") != std::string::npos);
    // A token from another query is refused.
    const auto page = f.get_v3("/rest/api/3/search/jql?maxResults=1&jql=project%3DENG", "alice");
    const auto token = std::string(page.at("nextPageToken").as_string());
    BOOST_TEST(f.call("/rest/api/3/search/jql?jql=project%3DOPS&nextPageToken=" + token, f.cloud_auth("alice")).result_int() == 400);
    // Data Center accepts an empty JQL (all visible issues), not a bad one.
    BOOST_TEST(f.call("/rest/api/2/search?jql=status%3DDone", f.pat_auth("alice")).result_int() == 400);
    BOOST_TEST(f.call("/rest/api/2/search?maxResults=abc", f.pat_auth("alice")).result_int() == 400);
    BOOST_TEST(f.call("/rest/api/2/search?startAt=-1", f.pat_auth("alice")).result_int() == 400);
}

BOOST_AUTO_TEST_CASE(removed_search_writes_and_unknown_paths) {
    auto& f = shared();
    for (auto method : {http::verb::get, http::verb::post}) {
        const auto res = f.call("/rest/api/3/search?jql=project%3DENG", f.cloud_auth("alice"), method, method == http::verb::post ? "{}" : "");
        BOOST_TEST(res.result_int() == 410);
        BOOST_TEST(first_error(res).find("The requested API has been removed") == 0u);
    }
    BOOST_TEST(f.call("/rest/api/3/issue/ENG-1", f.cloud_auth("alice"), http::verb::put, "{}").result_int() == 405);
    BOOST_TEST(f.call("/rest/api/3/issue", f.cloud_auth("alice"), http::verb::post, "{}").result_int() == 405);
    BOOST_TEST(f.call("/rest/api/2/issue/ENG-1", f.pat_auth("alice"), http::verb::delete_).result_int() == 405);
    BOOST_TEST(f.call("/rest/agile/1.0/board", f.pat_auth("alice"), http::verb::post, "{}").result_int() == 405);
    const auto unknown = f.call("/rest/api/3/nothing/here", f.cloud_auth("alice"));
    BOOST_TEST(unknown.result_int() == 404);
    BOOST_TEST(json::parse(unknown.body()).at("errorMessages").is_array());
    BOOST_TEST(f.call("/elsewhere", "").result_int() == 404);
    BOOST_TEST(f.call("/rest/api/3/search/jql", f.cloud_auth("alice"), http::verb::post, "not json").result_int() == 400);
    BOOST_TEST(f.call("/rest/api/3/worklog/list", f.cloud_auth("alice"), http::verb::post, "{\"ids\":\"x\"}").result_int() == 400);
    BOOST_TEST(f.call("/rest/agile/1.0/board/zzz/sprint", f.pat_auth("alice")).result_int() == 404);
    BOOST_TEST(f.call("/rest/agile/1.0/board/7/sprint", f.pat_auth("alice")).result_int() == 400);  // kanban
    BOOST_TEST(f.call("/rest/api/2/user/search", f.pat_auth("alice")).result_int() == 400);          // username required
}
