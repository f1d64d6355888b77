// Paging completeness: every paging endpoint, walked at several page sizes, yields each
// item exactly once in one stable order (Cloud nextPageToken and Data Center startAt).
#include <boost/test/unit_test.hpp>

#include <set>

#include "tests/samples/jira_sample_fixture.hpp"

using namespace jira_sample_test;

namespace {

fixture& shared() {
    static fixture f;
    return f;
}

const std::vector<int> page_sizes{1, 7, 50, 100};

std::vector<std::string> walk_jql(fixture& f, const std::string& user, const std::string& jql, int size, const std::string& extra) {
    std::vector<std::string> ids;
    std::string token;
    for (int guard = 0; guard < 100000; ++guard) {
        std::string target = "/rest/api/3/search/jql?jql=" + url_encode(jql) + "&maxResults=" + std::to_string(size) + extra;
        if (!token.empty()) target += "&nextPageToken=" + url_encode(token);
        const auto page = f.get_v3(target, user).as_object();
        for (const auto& is : page.at("issues").as_array()) ids.emplace_back(is.at("id").as_string());
        BOOST_REQUIRE(page.at("isLast").is_bool());
        if (page.at("isLast").as_bool()) {
            BOOST_TEST(!page.contains("nextPageToken"));
            return ids;
        }
        token = std::string(page.at("nextPageToken").as_string());
    }
    BOOST_FAIL("search/jql never reached isLast");
    return ids;
}

std::vector<std::string> walk_offset(fixture& f, const std::string& target_prefix, const std::string& user, int size,
                                     const char* list_key) {
    std::vector<std::string> ids;
    for (int start = 0;; start += size) {
        const auto page = f.get_v2(target_prefix + "&startAt=" + std::to_string(start) + "&maxResults=" + std::to_string(size), user).as_object();
        const auto& list = page.at(list_key).as_array();
        for (const auto& is : list) ids.emplace_back(is.at("id").as_string());
        if (start + size >= page.at("total").as_int64()) break;
        BOOST_REQUIRE(!list.empty());
    }
    return ids;
}

void require_unique(const std::vector<std::string>& ids) {
    BOOST_TEST(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
}

std::vector<std::string> as_strings(const std::vector<std::int64_t>& ids) {
    std::vector<std::string> out;
    for (auto id : ids) out.push_back(std::to_string(id));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(cloud_search_jql_pages_cover_every_visible_issue_once) {
    auto& f = shared();
    const auto expected = as_strings(visible_issue_ids(*f.data, f.user("alice")));
    BOOST_REQUIRE(expected.size() == f.data->issues.size());
    const std::string jql = "project in (DATA, ENG, MOB, OPS, SEC, WEB)";
    for (int size : page_sizes) {
        BOOST_TEST_CONTEXT("maxResults=" << size) {
            const auto ids = walk_jql(f, "alice", jql, size, size == 100 ? "&fields=*all" : "");
            BOOST_TEST(ids == expected, boost::test_tools::per_element());
        }
    }
    // ORDER BY: same order at every page size, and it is the requested order.
    const auto reference = walk_jql(f, "carol", "project = ENG ORDER BY updated DESC", 100, "&fields=updated");
    for (int size : {1, 7, 50}) BOOST_TEST(walk_jql(f, "carol", "project = ENG ORDER BY updated DESC", size, "") == reference);
    require_unique(reference);
}

// Jira Cloud's search/jql grants up to 5000 issues per page when only id or key is asked
// for and 100 once any field is; jtgw's two-tier Cloud reader (gateway/jira/id_listing)
// counts on both caps and on `id in (...)` returning exactly the issues asked for.
BOOST_AUTO_TEST_CASE(cloud_search_jql_caps_pages_by_the_fields_asked_for) {
    auto& f = shared();
    const auto expected = as_strings(visible_issue_ids(*f.data, f.user("alice")));
    BOOST_REQUIRE(expected.size() > 100u);
    const std::string jql = "/rest/api/3/search/jql?jql=" + url_encode("project in (DATA, ENG, MOB, OPS, SEC, WEB)");
    auto page_size = [&](const std::string& extra) {
        return f.get_v3(jql + "&maxResults=5000" + extra, "alice").at("issues").as_array().size();
    };
    const auto ids_only = std::min<std::size_t>(expected.size(), 5000);
    BOOST_TEST(page_size("&fields=id") == ids_only);
    BOOST_TEST(page_size("&fields=key") == ids_only);
    BOOST_TEST(page_size("&fields=id,key") == ids_only);
    BOOST_TEST(page_size("&fields=summary") == 100u);
    BOOST_TEST(page_size("&fields=id,summary") == 100u);
    BOOST_TEST(page_size("") == ids_only);  // search/jql's default fields: the id only
    // An id listing page holds ids only.
    const auto listed = f.get_v3(jql + "&maxResults=3&fields=id", "alice").at("issues").as_array();
    for (const auto& is : listed) BOOST_TEST(is.as_object().size() == 1u);
}

BOOST_AUTO_TEST_CASE(cloud_search_jql_finds_issues_by_id) {
    auto& f = shared();
    const auto visible = as_strings(visible_issue_ids(*f.data, f.user("carol")));
    BOOST_REQUIRE(visible.size() >= 3u);
    auto search = [&](const std::vector<std::string>& ids) {
        std::string in;
        for (const auto& id : ids) in += (in.empty() ? "" : ", ") + id;
        return f.call("/rest/api/3/search/jql?maxResults=100&fields=summary&jql=" + url_encode("id in (" + in + ")"),
                      f.cloud_auth("carol"));
    };
    // Three of carol's issues, out of order: exactly those come back, on one page.
    const auto page = fixture::parse_ok(search({visible[2], visible[0], visible[1]}));
    std::set<std::string> got;
    for (const auto& is : page.at("issues").as_array()) got.emplace(is.at("id").as_string());
    BOOST_TEST((got == std::set<std::string>{visible[0], visible[1], visible[2]}));
    BOOST_TEST(page.at("isLast").as_bool());
    // An id that does not exist (or that carol may not see): Jira refuses the whole search
    // with a 400 naming it, which jtgw's search by id relies on to drop it.
    const auto refused = search({visible[0], "999999999"});
    BOOST_TEST(int(refused.result()) == 400);
    BOOST_TEST(refused.body().find("'999999999'") != std::string::npos, refused.body());
}

BOOST_AUTO_TEST_CASE(data_center_search_pages_cover_every_visible_issue_once) {
    auto& f = shared();
    const auto expected = as_strings(visible_issue_ids(*f.data, f.user("carol")));
    for (int size : page_sizes) {
        BOOST_TEST_CONTEXT("maxResults=" << size) {
            const auto ids = walk_offset(f, "/rest/api/2/search?jql=", "carol", size, "issues");
            BOOST_TEST(ids == expected, boost::test_tools::per_element());
        }
    }
    // POST with a JSON body pages the same way.
    std::vector<std::string> posted;
    for (int start = 0; start < int(expected.size()); start += 50) {
        const auto body = json::serialize(json::object{{"jql", ""}, {"startAt", start}, {"maxResults", 50}, {"fields", json::array{"summary"}}});
        const auto page = fixture::parse_ok(f.call("/rest/api/2/search", f.pat_auth("carol"), http::verb::post, body));
        for (const auto& is : page.at("issues").as_array()) posted.emplace_back(is.at("id").as_string());
    }
    BOOST_TEST(posted == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(project_search_pagebean_walk) {
    auto& f = shared();
    for (int size : page_sizes) {
        std::vector<std::string> keys;
        std::string target = "/rest/api/3/project/search?maxResults=" + std::to_string(size);
        for (;;) {
            const auto page = f.get_v3(target, "alice").as_object();
            for (const auto& p : page.at("values").as_array()) keys.emplace_back(p.at("key").as_string());
            if (page.at("isLast").as_bool()) { BOOST_TEST(!page.contains("nextPage")); break; }
            target = target_of(page.at("nextPage").as_string());
        }
        BOOST_TEST(keys == (std::vector<std::string>{"DATA", "ENG", "MOB", "OPS", "SEC", "WEB"}), boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(issue_children_pages_cover_every_row_once) {
    auto& f = shared();
    const auto& d = *f.data;
    // The issues with the most worklogs, comments and histories (over Jira's embed limits).
    auto busiest = [&](const std::vector<js::dataset::range>& ranges) {
        std::size_t best = 0;
        for (std::size_t k = 0; k < ranges.size(); ++k)
            if (ranges[k].last - ranges[k].first > ranges[best].last - ranges[best].first) best = k;
        return best;
    };
    struct child { const char* path; const char* list; const std::vector<js::dataset::range>* ranges; };
    for (const child c : {child{"worklog", "worklogs", &d.worklogs_of}, child{"comment", "comments", &d.comments_of},
                          child{"changelog", "values", &d.histories_of}}) {
        const auto k = busiest(*c.ranges);
        const auto r = (*c.ranges)[k];
        BOOST_TEST_CONTEXT(c.path << " of " << d.key_of(d.issues[k])) {
            BOOST_TEST(r.last - r.first > 20u);
            const auto key = d.key_of(d.issues[k]);
            for (int size : page_sizes) {
                std::vector<std::string> ids;
                for (int start = 0; start < int(r.last - r.first) + size; start += size) {
                    const auto page = f.get_v3("/rest/api/3/issue/" + key + "/" + c.path + "?startAt=" + std::to_string(start) +
                                                   "&maxResults=" + std::to_string(size), "alice").as_object();
                    BOOST_TEST(page.at("total").as_int64() == std::int64_t(r.last - r.first));
                    for (const auto& row : page.at(c.list).as_array()) ids.emplace_back(row.at("id").as_string());
                }
                std::vector<std::string> expected;
                for (auto i = r.first; i < r.last; ++i)
                    expected.push_back(std::to_string(std::string_view(c.path) == "worklog" ? d.worklogs[i].id
                                                      : std::string_view(c.path) == "comment" ? d.comments[i].id
                                                                                              : d.histories[i].id));
                BOOST_TEST(ids == expected, boost::test_tools::per_element());
            }
            // Embedded lists in the issue are truncated at 20 with the true total.
            if (std::string_view(c.path) != "changelog") {
                const auto issue = f.get_v3("/rest/api/3/issue/" + key + "?fields=" + c.path, "alice");
                const auto& embedded = issue.at("fields").at(c.path).as_object();
                BOOST_TEST(embedded.at("total").as_int64() == std::int64_t(r.last - r.first));
                BOOST_TEST(embedded.at(c.list).as_array().size() == 20u);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(agile_boards_sprints_and_sprint_issues_walk) {
    auto& f = shared();
    const auto& d = *f.data;
    for (int size : page_sizes) {
        std::vector<std::int64_t> boards;
        for (int start = 0;; start += size) {
            const auto page = f.get_v2("/rest/agile/1.0/board?startAt=" + std::to_string(start) + "&maxResults=" + std::to_string(size), "alice").as_object();
            for (const auto& b : page.at("values").as_array()) boards.push_back(b.at("id").as_int64());
            if (page.at("isLast").as_bool()) break;
        }
        BOOST_TEST(boards.size() == d.boards.size());
        std::vector<std::int64_t> sprints;
        for (int start = 0;; start += size) {
            const auto page = f.get_v2("/rest/agile/1.0/board/2/sprint?startAt=" + std::to_string(start) + "&maxResults=" + std::to_string(size), "alice").as_object();
            for (const auto& s : page.at("values").as_array()) sprints.push_back(s.at("id").as_int64());
            if (page.at("isLast").as_bool()) break;
        }
        std::vector<std::int64_t> expected;
        for (const auto& s : d.sprints) if (s.board_id == 2) expected.push_back(s.id);
        BOOST_TEST(sprints == expected, boost::test_tools::per_element());
        // Issues of the first sprint of board 2.
        const auto sprint = expected.front();
        std::vector<std::string> issue_ids;
        std::vector<std::string> truth;
        for (const auto& is : d.issues)
            if (std::find(is.sprints.begin(), is.sprints.end(), sprint) != is.sprints.end()) truth.push_back(std::to_string(is.id));
        BOOST_TEST(!truth.empty());
        const auto ids = walk_offset(f, "/rest/agile/1.0/sprint/" + std::to_string(sprint) + "/issue?fields=summary", "alice", size, "issues");
        BOOST_TEST(ids == truth, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(worklog_updated_feed_and_list_cover_every_visible_worklog) {
    auto& f = shared();
    const auto& d = *f.data;
    for (const std::string user : {"alice", "bob"}) {
        std::vector<std::int64_t> ids;
        std::string target = "/rest/api/3/worklog/updated?since=0";
        for (int guard = 0; guard < 1000; ++guard) {
            const auto page = f.get_v3(target, user).as_object();
            std::int64_t previous = -1;
            for (const auto& v : page.at("values").as_array()) {
                BOOST_TEST(v.at("updatedTime").as_int64() > previous);
                previous = v.at("updatedTime").as_int64();
                ids.push_back(v.at("worklogId").as_int64());
            }
            if (page.at("lastPage").as_bool()) break;
            target = target_of(page.at("nextPage").as_string());
        }
        std::set<std::int64_t> expected;
        for (const auto& w : d.worklogs) {
            const auto& is = d.issues[d.issue_by_id.at(w.issue_id)];
            const auto& projects = f.user(user).projects;
            if (std::find(projects.begin(), projects.end(), d.projects[std::size_t(is.project)].key) != projects.end())
                expected.insert(w.id);
        }
        BOOST_TEST(ids.size() == expected.size());
        BOOST_TEST((std::set<std::int64_t>(ids.begin(), ids.end()) == expected));
        // worklog/list returns them (in chunks of at most 1000).
        std::size_t listed = 0;
        for (std::size_t first = 0; first < ids.size(); first += 1000) {
            json::array chunk;
            for (auto k = first; k < std::min(ids.size(), first + 1000); ++k) chunk.push_back(ids[k]);
            const auto body = json::serialize(json::object{{"ids", chunk}});
            listed += fixture::parse_ok(f.call("/rest/api/3/worklog/list", f.cloud_auth(user), http::verb::post, body)).as_array().size();
        }
        BOOST_TEST(listed == expected.size());
    }
    BOOST_TEST(d.worklogs.size() > 1000u);  // the feed really had more than one page
}

BOOST_AUTO_TEST_CASE(users_search_pages) {
    auto& f = shared();
    for (int size : page_sizes) {
        std::vector<std::string> ids;
        for (int start = 0; start < 100; start += size) {
            const auto page = f.get_v3("/rest/api/3/users/search?startAt=" + std::to_string(start) + "&maxResults=" + std::to_string(size), "nora").as_array();
            if (page.empty()) break;
            for (const auto& u : page) ids.emplace_back(u.at("accountId").as_string());
        }
        BOOST_TEST(ids.size() == f.data->users.size());
        require_unique(ids);
    }
}
