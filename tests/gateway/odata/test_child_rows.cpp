// Child tables in the catalog and in rows: "rows" (each, complete), the scopes "outer"
// and "listed", "cases", the "position" and "greenhopper" conversions; what a broken
// rows section is refused with; and how a listed item expands into rows.
#include <functional>
#include <string>
#include <vector>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/odata/catalog.hpp"
#include "gateway/odata/row_expand.hpp"
#include "gateway/odata/row_extract.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

namespace json = boost::json;
using namespace jtgw::odata;

namespace {

// A two-level child table (histories -> items) with a completion rule, and a one-level
// one whose value depends on which member a link has.
const char* const child_catalog = R"({
  "catalog_version": 1, "namespace": "Jira",
  "tables": [
    {"name": "Changes", "description": "changes", "key": ["HistoryId", "ItemIndex"],
     "source": {"endpoint": "/rest/api/3/search/jql", "paging": "search_jql", "items": "/issues", "max_page_size": 100,
                "query": {"jql": "order by key", "expand": "changelog"},
                "rows": {"each": ["/changelog/histories", "/items"],
                         "complete": {"total": "/changelog/total", "endpoint": "/rest/api/3/issue/{issueId}/changelog",
                                      "params": {"issueId": "/id"}, "paging": "page_bean", "items": "/values",
                                      "max_page_size": 100}}},
     "columns": [
       {"name": "HistoryId", "type": "Edm.Int64", "nullable": false, "source": {"path": "/id", "scope": "outer"}},
       {"name": "ItemIndex", "type": "Edm.Int64", "nullable": false, "source": {"path": "", "convert": "position"}},
       {"name": "HistoryIndex", "type": "Edm.Int64", "source": {"path": "", "convert": "position", "scope": "outer"}},
       {"name": "IssueKey", "type": "Edm.String", "source": {"path": "/key", "scope": "listed"}},
       {"name": "Status", "type": "Edm.String", "source": {"path": "/fields/status/name", "scope": "listed"}},
       {"name": "Field", "type": "Edm.String", "source": {"path": "/field"}}
     ]},
    {"name": "Links", "description": "links", "key": ["LinkId", "Direction"],
     "source": {"cloud": {"endpoint": "/rest/api/3/search/jql", "paging": "search_jql", "items": "/issues", "max_page_size": 100,
                          "rows": {"each": ["/fields/issuelinks"]}},
                "datacenter": {"endpoint": "/rest/api/2/search", "paging": "search", "items": "/issues", "max_page_size": 100,
                               "rows": {"each": ["/fields/sprints"]}}},
     "columns": [
       {"name": "LinkId", "type": "Edm.Int64", "nullable": false,
        "source": {"cloud": {"path": "/id"}, "datacenter": {"path": "", "convert": "greenhopper", "member": "id"}}},
       {"name": "Direction", "type": "Edm.String", "nullable": false,
        "source": {"cases": [{"when": "/outwardIssue", "value": "outward"}, {"when": "/inwardIssue", "value": "inward"}]}},
       {"name": "OtherKey", "type": "Edm.String",
        "source": {"cases": [{"when": "/outwardIssue", "path": "/outwardIssue/key"}, {"when": "/inwardIssue", "path": "/inwardIssue/key"}]}},
       {"name": "IssueId", "type": "Edm.Int64", "source": {"path": "/id", "scope": "listed"}}
     ]}
  ]
})";

json::value child_doc() { return json::parse(child_catalog); }
json::object& changes(json::value& d) { return d.at("tables").at(0).as_object(); }
json::object& links(json::value& d) { return d.at("tables").at(1).as_object(); }
json::object& changes_rows(json::value& d) { return changes(d).at("source").at("rows").as_object(); }
json::object& column_source(json::object& t, std::size_t i) { return t.at("columns").at(i).at("source").as_object(); }

// The values of one row as JSON text, for compact comparisons.
std::string text_of(const row& r) {
    std::string out;
    for (const auto& c : r) {
        if (!out.empty()) out += ",";
        if (const auto* s = std::get_if<std::string>(&c)) out += *s;
        else if (const auto* n = std::get_if<std::int64_t>(&c)) out += std::to_string(*n);
        else out += "null";
    }
    return out;
}

std::vector<std::string> rows_of(const catalog& cat, const table& t, flavor f, const json::value& item,
                                 std::size_t skip = 0) {
    item_rows walker(t.source[std::size_t(f)], item, nullptr);
    walker.skip(skip);
    std::vector<std::string> out;
    row r;
    while (walker.next()) {
        extract_row(t, f, walker.scope(), r);
        out.push_back(text_of(r));
    }
    (void)cat;
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(rows_section_loads) {
    const catalog cat = parse_catalog(child_catalog);
    const table& t = cat.tables[0];
    const auto& rows = *t.source[0].rows;
    BOOST_REQUIRE_EQUAL(rows.each.size(), 2u);
    BOOST_TEST(rows.each[0].text == "/changelog/histories");
    BOOST_TEST(rows.each[1].text == "/items");
    BOOST_REQUIRE(rows.complete.has_value());
    BOOST_TEST(rows.complete->total.text == "/changelog/total");
    BOOST_TEST(rows.complete->endpoint == "/rest/api/3/issue/{issueId}/changelog");
    BOOST_TEST((rows.complete->paging == paging_style::page_bean));
    BOOST_TEST(rows.complete->max_page_size == 100);
    BOOST_REQUIRE_EQUAL(rows.complete->params.size(), 1u);
    BOOST_TEST(rows.complete->params[0].first == "issueId");
    BOOST_TEST((t.columns[0].source[0].scope == value_scope::outer));
    BOOST_TEST((t.columns[1].source[0].convert == conversion::position));
    BOOST_TEST((t.columns[3].source[0].scope == value_scope::listed));
    const table& l = cat.tables[1];
    BOOST_TEST(l.columns[1].source[0].cases.size() == 2u);
    BOOST_TEST(*l.columns[1].source[0].cases[0].value == "outward");
    BOOST_TEST(l.columns[2].source[1].cases[1].path.text == "/inwardIssue/key");
    BOOST_TEST((l.columns[0].source[1].convert == conversion::greenhopper));
    BOOST_TEST(l.columns[0].source[1].member == "id");
    BOOST_TEST(!l.source[0].rows->complete.has_value());
}

BOOST_AUTO_TEST_CASE(shipped_child_tables_load) {
    const catalog& cat = testing::shipped_catalog();
    for (const char* name : {"Worklogs", "Comments", "Changelog", "IssueLinks", "IssueSprints", "IssueLabels",
                             "IssueComponents", "IssueFixVersions"}) {
        const table* t = cat.find(name);
        BOOST_TEST_REQUIRE(t != nullptr, name);
        for (const auto& src : t->source) {
            BOOST_TEST_REQUIRE(src.rows.has_value(), name);
            BOOST_TEST((src.paging == paging_style::search_jql || src.paging == paging_style::search));
        }
        BOOST_TEST(t->column_index("IssueId").has_value(), name);
        BOOST_TEST(t->column_index("IssueKey").has_value(), name);
    }
    // Truncated lists: worklogs and comments on both flavors, the changelog on Cloud.
    for (const char* name : {"Worklogs", "Comments"})
        for (const auto& src : cat.find(name)->source) BOOST_TEST(src.rows->complete.has_value(), name);
    BOOST_TEST(cat.find("Changelog")->source[0].rows->complete.has_value());
    BOOST_TEST(!cat.find("Changelog")->source[1].rows->complete.has_value());
}

BOOST_AUTO_TEST_CASE(broken_rows_name_table_and_column) {
    struct broken {
        const char* what;
        std::function<void(json::value&)> mutate;
        const char* table;
        const char* column;
        const char* problem;
    };
    const std::vector<broken> cases = {
        {"no each", [](json::value& d) { changes_rows(d).erase("each"); }, "Changes", "", "\"each\""},
        {"three levels", [](json::value& d) { changes_rows(d)["each"] = {"/a", "/b", "/c"}; }, "Changes", "", "one or two"},
        {"each not a pointer", [](json::value& d) { changes_rows(d)["each"] = {"histories"}; }, "Changes", "",
         "JSON pointers"},
        {"unknown rows key", [](json::value& d) { changes_rows(d)["eech"] = {"/a"}; }, "Changes", "", "\"eech\""},
        {"complete without total", [](json::value& d) { changes_rows(d)["complete"].as_object().erase("total"); },
         "Changes", "", "\"total\""},
        {"complete pages a search", [](json::value& d) { changes_rows(d)["complete"].as_object()["paging"] = "search"; },
         "Changes", "", "not a search"},
        {"complete placeholders", [](json::value& d) { changes_rows(d)["complete"].as_object()["params"] = json::object{}; },
         "Changes", "", "placeholders"},
        {"complete page too big", [](json::value& d) { changes_rows(d)["complete"].as_object()["max_page_size"] = 5001; },
         "Changes", "", "1 to 5000"},
        {"complete endpoint", [](json::value& d) { changes_rows(d)["complete"].as_object()["endpoint"] = "/x/{issueId}"; },
         "Changes", "", "endpoint"},
        {"outer with one level", [](json::value& d) { changes_rows(d)["each"] = {"/changelog/histories"}; }, "Changes",
         "HistoryId", "two levels"},
        {"listed without rows", [](json::value& d) { changes(d)["source"].as_object().erase("rows"); }, "Changes",
         "HistoryId", "two levels"},
        {"listed without rows (only listed)",
         [](json::value& d) {
             changes(d)["source"].as_object().erase("rows");
             auto& cols = changes(d)["columns"].as_array();
             cols.erase(cols.begin(), cols.begin() + 3);
             changes(d)["key"] = {"IssueKey"};
             cols[0].as_object()["nullable"] = false;
         },
         "Changes", "IssueKey", "\"listed\" needs \"rows\""},
        {"position reads a path", [](json::value& d) { column_source(changes(d), 1)["path"] = "/x"; }, "Changes",
         "ItemIndex", "must be \"\""},
        {"position of the listed item", [](json::value& d) { column_source(changes(d), 1)["scope"] = "listed"; },
         "Changes", "ItemIndex", "\"row\" or \"outer\""},
        {"position as a string", [](json::value& d) { changes(d)["columns"].at(5).as_object()["source"] = {{"path", ""}, {"convert", "position"}}; },
         "Changes", "Field", "cannot produce Edm.String"},
        {"unknown scope", [](json::value& d) { column_source(changes(d), 0)["scope"] = "history"; }, "Changes",
         "HistoryId", "unknown scope \"history\""},
        {"case with value and path",
         [](json::value& d) { column_source(links(d), 1)["cases"].at(0).as_object()["path"] = "/x"; }, "Links",
         "Direction", "exactly one of"},
        {"case constant in a number column",
         [](json::value& d) { links(d)["columns"].at(3).as_object()["source"] = json::parse(R"({"cases":[{"when":"/a","value":"1"}]})"); },
         "Links", "IssueId", "Edm.String"},
        {"path and cases", [](json::value& d) { column_source(links(d), 1)["path"] = "/x"; }, "Links", "Direction",
         "exactly one of"},
        {"empty cases", [](json::value& d) { column_source(links(d), 1)["cases"] = json::array{}; }, "Links",
         "Direction", "non-empty"},
        {"greenhopper without member",
         [](json::value& d) { column_source(links(d), 0)["datacenter"].as_object().erase("member"); }, "Links", "LinkId",
         "\"member\""},
        {"member without greenhopper", [](json::value& d) { column_source(links(d), 0)["cloud"].as_object()["member"] = "id"; },
         "Links", "LinkId", "\"member\""},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            json::value doc = child_doc();
            c.mutate(doc);
            try {
                parse_catalog(json::serialize(doc));
                BOOST_ERROR("accepted a broken catalog");
            } catch (const catalog_error& e) {
                const std::string message = e.what();
                BOOST_TEST(e.table() == c.table);
                BOOST_TEST(e.column() == c.column);
                BOOST_TEST(message.find(c.problem) != std::string::npos, message);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(two_levels_expand_into_items_of_every_history) {
    const catalog cat = parse_catalog(child_catalog);
    const table& t = cat.tables[0];
    const json::value issue = json::parse(R"({"id": "10", "key": "ENG-1", "fields": {"status": {"name": "Done"}},
      "changelog": {"total": 4, "histories": [
        {"id": "100", "items": [{"field": "status"}, {"field": "assignee"}]},
        {"id": "101", "items": []},
        {"id": "102"},
        {"id": "103", "items": [{"field": "labels"}]}]}})");
    const std::vector<std::string> all = {"100,0,0,ENG-1,Done,status", "100,1,0,ENG-1,Done,assignee",
                                          "103,0,3,ENG-1,Done,labels"};
    BOOST_TEST(rows_of(cat, t, flavor::cloud, issue) == all, boost::test_tools::per_element());
    BOOST_TEST(count_rows(t.source[0], issue) == 3u);
    // Resuming inside the issue: the rows after those already sent, in the same order.
    for (std::size_t skip = 0; skip <= all.size(); ++skip) {
        const std::vector<std::string> rest(all.begin() + std::ptrdiff_t(skip), all.end());
        BOOST_TEST(rows_of(cat, t, flavor::cloud, issue, skip) == rest, boost::test_tools::per_element());
    }
    item_rows walker(t.source[0], issue, nullptr);
    BOOST_TEST(walker.skip(10) == 3u);
}

BOOST_AUTO_TEST_CASE(missing_or_empty_lists_are_no_rows) {
    const catalog cat = parse_catalog(child_catalog);
    const table& t = cat.tables[0];
    for (const char* text : {R"({"id": "1"})", R"({"id": "1", "changelog": null})",
                             R"({"id": "1", "changelog": {"histories": {}}})",
                             R"({"id": "1", "changelog": {"histories": []}})",
                             R"({"id": "1", "changelog": {"histories": [{"id": "5", "items": null}]}})"}) {
        const json::value issue = json::parse(text);
        BOOST_TEST(rows_of(cat, t, flavor::cloud, issue).empty(), text);
        BOOST_TEST(count_rows(t.source[0], issue) == 0u, text);
    }
}

BOOST_AUTO_TEST_CASE(cases_pick_the_member_a_link_has) {
    const catalog cat = parse_catalog(child_catalog);
    const table& t = cat.tables[1];
    const json::value issue = json::parse(R"({"id": "7", "fields": {"issuelinks": [
        {"id": "1", "outwardIssue": {"key": "ENG-2"}},
        {"id": "2", "inwardIssue": {"key": "ENG-3"}},
        {"id": "3", "outwardIssue": null, "inwardIssue": {"key": "ENG-4"}},
        {"id": "4"}]}})");
    const std::vector<std::string> want = {"1,outward,ENG-2,7", "2,inward,ENG-3,7", "3,inward,ENG-4,7", "4,null,null,7"};
    BOOST_TEST(rows_of(cat, t, flavor::cloud, issue) == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(greenhopper_beans_give_their_member) {
    const catalog cat = parse_catalog(child_catalog);
    const table& t = cat.tables[1];
    const json::value issue = json::parse(R"({"id": "7", "fields": {"sprints": [
        "com.atlassian.greenhopper.service.sprint.Sprint@1f2e3d[id=42,rapidViewId=7,state=CLOSED,name=Sprint 1, id=9,goal=]",
        "com.atlassian.greenhopper.service.sprint.Sprint@00ff[rapidViewId=7,id=43]",
        "com.atlassian.greenhopper.service.sprint.Sprint@00ff[rapidViewId=7,sprintid=44]",
        "no brackets id=45",
        17]}})");
    std::vector<extract_problem> problems;
    item_rows walker(t.source[1], issue, nullptr);
    std::vector<cell> ids;
    row r;
    while (walker.next()) {
        extract_row(t, flavor::datacenter, walker.scope(), r, &problems);
        ids.push_back(r[0]);
    }
    BOOST_REQUIRE_EQUAL(ids.size(), 5u);
    BOOST_TEST((ids[0] == cell{std::int64_t(42)}));
    BOOST_TEST((ids[1] == cell{std::int64_t(43)}));
    for (std::size_t i = 2; i < 5; ++i) BOOST_TEST(std::holds_alternative<std::monostate>(ids[i]), i);
    BOOST_TEST(problems.size() >= 3u);  // the shapes jtgw could not read are reported
}
