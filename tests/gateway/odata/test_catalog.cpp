// The catalog loader: the shipped catalog loads and describes the issue's tables, and
// every kind of broken catalog is refused with a message naming the table and column.
#include <functional>
#include <string>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/odata/catalog.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

namespace json = boost::json;
using namespace jtgw::odata;

namespace {

// A small valid catalog: a flat table and a per-parent table, so each mutation below
// breaks exactly one thing.
const char* const valid_catalog = R"({
  "catalog_version": 1,
  "namespace": "Jira",
  "tables": [
    {"name": "Projects", "description": "projects", "key": ["Id"],
     "source": {"cloud": {"endpoint": "/rest/api/3/project/search", "paging": "page_bean", "items": "/values", "max_page_size": 50},
                "datacenter": {"endpoint": "/rest/api/2/project", "paging": "plain_array"}},
     "columns": [
       {"name": "Id", "type": "Edm.Int64", "nullable": false, "source": {"path": "/id"}},
       {"name": "Key", "type": "Edm.String", "source": {"path": "/key"}},
       {"name": "Created", "type": "Edm.DateTimeOffset", "source": {"path": "/created", "convert": "jira_datetime"}}
     ]},
    {"name": "Versions", "description": "versions", "key": ["Id"],
     "source": {"endpoint": "/rest/api/2/project/{projectKey}/versions", "paging": "plain_array",
                "parent": {"table": "Projects", "params": {"projectKey": "/key"}}},
     "columns": [
       {"name": "Id", "type": "Edm.Int64", "nullable": false, "source": {"path": "/id"}},
       {"name": "ProjectKey", "type": "Edm.String", "source": {"path": "/key", "scope": "parent"}},
       {"name": "Lead", "type": "Edm.String",
        "source": {"cloud": {"path": "/lead/accountId"}, "datacenter": {"path": "/lead/key"}}}
     ]}
  ]
})";

json::value valid_doc() { return json::parse(valid_catalog); }
json::object& projects(json::value& doc) { return doc.at("tables").at(0).as_object(); }
json::object& versions(json::value& doc) { return doc.at("tables").at(1).as_object(); }
json::object& column_of(json::object& table, std::size_t i) { return table.at("columns").at(i).as_object(); }

struct broken_case {
    const char* what;
    std::function<void(json::value&)> mutate;
    const char* table;    // expected in the message ("" = none expected)
    const char* column;   // expected in the message ("" = none expected)
    const char* problem;  // a phrase of the message
};

}  // namespace

BOOST_AUTO_TEST_CASE(valid_base_catalog_loads) {
    catalog cat = parse_catalog(valid_catalog);
    BOOST_TEST(cat.schema_namespace == "Jira");
    BOOST_REQUIRE_EQUAL(cat.tables.size(), 2u);
    const table& v = cat.tables[1];
    BOOST_TEST(v.source[1].parent->table_index == 0u);
    BOOST_TEST((v.columns[1].source[0].scope == value_scope::parent));
    BOOST_TEST(v.columns[2].source[0].path.text == "/lead/accountId");
    BOOST_TEST(v.columns[2].source[1].path.text == "/lead/key");
    BOOST_TEST((cat.tables[0].columns[2].source[1].convert == conversion::jira_datetime));
    BOOST_TEST(cat.tables[0].source[0].max_page_size == 50);
}

BOOST_AUTO_TEST_CASE(shipped_catalog_loads_with_the_issue_tables) {
    catalog cat = load_catalog_file(testing::shipped_catalog_path());
    for (const char* name : {"Issues", "Projects", "Users", "Fields", "Statuses", "Priorities", "Boards", "Sprints",
                             "Versions", "Components"}) {
        const table* t = cat.find(name);
        BOOST_TEST_REQUIRE(t != nullptr, name);
        BOOST_TEST(!t->key.empty());
        for (const auto& src : t->source) BOOST_TEST(!src.endpoint.empty());
    }
    const table& issues = *cat.find("Issues");
    for (const char* col : {"Id", "Key", "ProjectKey", "Summary", "Status", "Created", "Updated"})
        BOOST_TEST(issues.column_index(col).has_value(), col);
    BOOST_TEST((issues.source[0].paging == paging_style::search_jql));
    BOOST_TEST((issues.source[1].paging == paging_style::search));
    auto description = *issues.column_index("Description");
    BOOST_TEST((issues.columns[description].source[0].convert == conversion::adf_to_text));
    BOOST_TEST((issues.columns[description].source[1].convert == conversion::none));
    const table& sprints = *cat.find("Sprints");
    BOOST_TEST(sprints.source[0].parent->table == "Boards");
}

BOOST_AUTO_TEST_CASE(broken_catalogs_name_table_and_column) {
    const std::vector<broken_case> cases = {
        {"not JSON", [](json::value& d) { d = "{"; }, "", "", "not valid JSON"},
        {"wrong version", [](json::value& d) { d.as_object()["catalog_version"] = 2; }, "", "", "catalog_version"},
        {"unknown top key", [](json::value& d) { d.as_object()["tabels"] = json::array(); }, "", "", "\"tabels\""},
        {"no tables", [](json::value& d) { d.as_object()["tables"] = json::array(); }, "", "", "tables"},
        {"unknown type", [](json::value& d) { column_of(projects(d), 1)["type"] = "Edm.Text"; }, "Projects", "Key",
         "unknown type \"Edm.Text\""},
        {"invalid column identifier", [](json::value& d) { column_of(projects(d), 1)["name"] = "project key"; },
         "Projects", "project key", "invalid identifier"},
        {"lower-case column identifier", [](json::value& d) { column_of(projects(d), 1)["name"] = "key"; },
         "Projects", "key", "invalid identifier"},
        {"invalid table identifier", [](json::value& d) { projects(d)["name"] = "1Projects"; }, "1Projects", "",
         "invalid identifier"},
        {"duplicate column", [](json::value& d) { column_of(versions(d), 2)["name"] = "ProjectKEY"; }, "Versions",
         "ProjectKEY", "duplicate column"},
        {"duplicate table", [](json::value& d) { versions(d)["name"] = "Projects"; }, "Projects", "",
         "duplicate table"},
        {"key not a column", [](json::value& d) { projects(d)["key"] = json::array{"Ident"}; }, "Projects", "Ident",
         "does not exist"},
        {"nullable key", [](json::value& d) { projects(d)["key"] = json::array{"Key"}; }, "Projects", "Key",
         "nullable"},
        {"empty key", [](json::value& d) { projects(d)["key"] = json::array(); }, "Projects", "", "key"},
        {"missing column source", [](json::value& d) { column_of(projects(d), 1).erase("source"); }, "Projects", "Key",
         "missing \"source\""},
        {"missing flavor source", [](json::value& d) { column_of(versions(d), 2)["source"].as_object().erase("datacenter"); },
         "Versions", "Lead", "missing source for datacenter"},
        {"missing table source", [](json::value& d) { projects(d).erase("source"); }, "Projects", "",
         "missing \"source\""},
        {"unknown conversion", [](json::value& d) { column_of(projects(d), 2)["source"].as_object()["convert"] = "jira_time"; },
         "Projects", "Created", "unknown conversion \"jira_time\""},
        {"conversion does not fit type",
         [](json::value& d) { column_of(projects(d), 1)["source"].as_object()["convert"] = "jira_datetime"; },
         "Projects", "Key", "cannot produce Edm.String"},
        {"time column without conversion", [](json::value& d) { column_of(projects(d), 2)["source"].as_object().erase("convert"); },
         "Projects", "Created", "\"none\" cannot produce Edm.DateTimeOffset"},
        {"bad pointer", [](json::value& d) { column_of(projects(d), 1)["source"].as_object()["path"] = "fields.key"; },
         "Projects", "Key", "JSON pointer"},
        {"separator without join",
         [](json::value& d) { column_of(projects(d), 1)["source"].as_object()["separator"] = ";"; }, "Projects", "Key",
         "join"},
        {"misspelt column key", [](json::value& d) { column_of(projects(d), 1)["nulable"] = false; }, "Projects", "Key",
         "\"nulable\""},
        {"parent scope without parent",
         [](json::value& d) { column_of(projects(d), 1)["source"].as_object()["scope"] = "parent"; }, "Projects", "Key",
         "no parent"},
        {"unknown paging", [](json::value& d) { projects(d)["source"].at("cloud").as_object()["paging"] = "cursor"; },
         "Projects", "", "unknown paging style \"cursor\""},
        {"paged without items", [](json::value& d) { projects(d)["source"].at("cloud").as_object().erase("items"); },
         "Projects", "", "items"},
        {"paged without page size",
         [](json::value& d) { projects(d)["source"].at("cloud").as_object().erase("max_page_size"); }, "Projects", "",
         "max_page_size"},
        {"paging parameter in query",
         [](json::value& d) { projects(d)["source"].at("cloud").as_object()["query"] = {{"startAt", "5"}}; },
         "Projects", "", "startAt"},
        {"endpoint outside /rest",
         [](json::value& d) { projects(d)["source"].at("cloud").as_object()["endpoint"] = "/admin"; }, "Projects", "",
         "endpoint"},
        {"unknown parent", [](json::value& d) { versions(d)["source"].at("parent").as_object()["table"] = "Boards"; },
         "Versions", "", "\"Boards\" does not exist"},
        {"unbound placeholder",
         [](json::value& d) { versions(d)["source"].as_object()["endpoint"] = "/rest/api/2/project/{projectId}/versions"; },
         "Versions", "", "placeholders"},
        {"own parent", [](json::value& d) { versions(d)["source"].at("parent").as_object()["table"] = "Versions"; },
         "Versions", "", "own parent"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.what) {
            json::value doc = valid_doc();
            c.mutate(doc);
            std::string text = doc.is_string() ? std::string(doc.get_string()) : json::serialize(doc);
            try {
                parse_catalog(text);
                BOOST_ERROR("accepted a broken catalog");
            } catch (const catalog_error& e) {
                std::string message = e.what();
                BOOST_TEST(e.table() == c.table);
                BOOST_TEST(e.column() == c.column);
                if (*c.table) BOOST_TEST(message.find("table \"" + std::string(c.table) + "\"") != std::string::npos, message);
                if (*c.column) BOOST_TEST(message.find("column \"" + std::string(c.column) + "\"") != std::string::npos, message);
                BOOST_TEST(message.find(c.problem) != std::string::npos, message);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(missing_file_is_a_catalog_error) {
    BOOST_CHECK_THROW(load_catalog_file("/nonexistent/tables.json"), catalog_error);
}

namespace {

// A child table (rows of each listed issue) with a time column; `filter` is its column's
// "filter" key, spelt as JSON.
// `source_extra` is added to the table's source (Data Center's search unless it says).
std::string child_catalog(const std::string& filter, const std::string& source_extra = "") {
    return R"({"catalog_version": 1, "namespace": "Jira", "tables": [
      {"name": "Worklogs", "description": "worklogs", "key": ["Id"],
       "source": {"endpoint": "/rest/api/2/search", "paging": "search", "items": "/issues", "max_page_size": 100,
                  "query": {"jql": "ORDER BY key ASC"}, "rows": {"each": ["/fields/worklog/worklogs"]})" +
           source_extra + R"(},
       "columns": [
         {"name": "Id", "type": "Edm.Int64", "nullable": false, "source": {"path": "/id"}},
         {"name": "IssueKey", "type": "Edm.String", "source": {"path": "/key", "scope": "listed"}},
         {"name": "Updated", "type": "Edm.DateTimeOffset", "source": {"path": "/updated", "convert": "jira_datetime"},
          "filter": )" + filter + R"(}]}]})";
}

}  // namespace

BOOST_AUTO_TEST_CASE(child_tables_filter_by_the_issues_updated_from_below_only) {
    const catalog ok = parse_catalog(child_catalog(R"({"jql": "updated", "push": "lower"})"));
    const auto& f = ok.tables[0].columns[2].filter;
    BOOST_REQUIRE(f.has_value());
    BOOST_TEST(f->jql == "updated");
    BOOST_TEST(f->lower_bound_only);
    // An upper bound on the issue's updated, or a bound on its created, could drop rows.
    for (const char* unsound : {R"({"jql": "updated"})", R"({"jql": "updated", "push": "both"})",
                                R"({"jql": "created", "push": "lower"})"}) {
        BOOST_TEST_CONTEXT(unsound) {
            try {
                parse_catalog(child_catalog(unsound));
                BOOST_ERROR("accepted an unsound child-table filter");
            } catch (const catalog_error& e) {
                BOOST_TEST(e.table() == "Worklogs");
                BOOST_TEST(e.column() == "Updated");
                BOOST_TEST(std::string(e.what()).find("only from below") != std::string::npos, e.what());
            }
        }
    }
    BOOST_CHECK_THROW(parse_catalog(child_catalog(R"({"jql": "updated", "push": "upper"})")), catalog_error);
}

BOOST_AUTO_TEST_CASE(shipped_child_tables_filter_their_time_columns) {
    const catalog& cat = testing::shipped_catalog();
    const std::vector<std::pair<const char*, std::vector<std::string>>> filterable = {
        {"Issues", {"Created", "Updated"}},  {"Worklogs", {"Created", "Updated"}}, {"Comments", {"Created", "Updated"}},
        {"Changelog", {"Created"}},          {"IssueLinks", {}},                   {"IssueSprints", {}},
        {"IssueLabels", {}},                 {"IssueComponents", {}},              {"IssueFixVersions", {}}};
    for (const auto& [name, columns] : filterable) {
        const table* t = cat.find(name);
        BOOST_TEST_REQUIRE(t != nullptr, name);
        std::vector<std::string> got;
        for (const auto& c : t->columns)
            if (c.filter) {
                got.push_back(c.name);
                // Child tables narrow their issue search by updated, from below only.
                if (t->source[0].rows) BOOST_TEST((c.filter->jql == "updated" && c.filter->lower_bound_only), name);
            }
        BOOST_TEST(got == columns, name);
    }
}

BOOST_AUTO_TEST_CASE(worklog_feed_needs_a_cloud_search_and_a_filterable_column) {
    const std::string lower = R"({"jql": "updated", "push": "lower"})";
    const std::string cloud = R"(, "endpoint": "/rest/api/3/search/jql", "paging": "search_jql")";
    const catalog ok = parse_catalog(child_catalog(lower, cloud + R"(, "worklog_feed": {"column": "Updated"})"));
    const auto& feed = ok.tables[0].source[0].worklog_feed;
    BOOST_REQUIRE(feed.has_value());
    BOOST_TEST(feed->column == "Updated");
    BOOST_TEST(feed->column_index == 2u);
    const std::vector<std::pair<std::string, const char*>> broken = {
        {R"(, "worklog_feed": {"column": "Updated"})", "Jira Cloud search"},  // Data Center's v2 search
        {cloud + R"(, "worklog_feed": {"column": "Started"})", "does not exist"},
        {cloud + R"(, "worklog_feed": {"column": "IssueKey"})", "needs a \"filter\""},
        {cloud + R"(, "worklog_feed": {"column": "Updated", "since": 0})", "\"since\""},
        {cloud + R"(, "worklog_feed": "Updated")", "worklog_feed"},
    };
    for (const auto& [extra, problem] : broken) {
        BOOST_TEST_CONTEXT(extra) {
            try {
                parse_catalog(child_catalog(lower, extra));
                BOOST_ERROR("accepted a broken worklog_feed");
            } catch (const catalog_error& e) {
                BOOST_TEST(e.table() == "Worklogs");
                BOOST_TEST(std::string(e.what()).find(problem) != std::string::npos, e.what());
            }
        }
    }
    // The shipped catalog reads Cloud's feed for Worklogs by Updated, and nothing else.
    for (const auto& t : testing::shipped_catalog().tables) {
        const bool worklogs = t.name == "Worklogs";
        BOOST_TEST(t.source[0].worklog_feed.has_value() == worklogs, t.name);
        BOOST_TEST(!t.source[1].worklog_feed.has_value(), t.name);
        if (worklogs) BOOST_TEST(t.columns[t.source[0].worklog_feed->column_index].name == "Updated");
    }
}
