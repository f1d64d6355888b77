// Row extraction through the shipped catalog, fed JSON shaped like real Jira responses
// (Cloud REST v3 and Data Center REST v2, Agile 1.0) for every table of issue 5.
#include <map>
#include <string>

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/odata/jira_time.hpp"
#include "gateway/odata/row_extract.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

namespace json = boost::json;
using namespace jtgw::odata;
using jtgw::odata::testing::shipped_table;

namespace {

struct extracted {
    const table* t;
    row cells;
    std::vector<extract_problem> problems;

    const cell& operator[](std::string_view column) const {
        auto index = t->column_index(column);
        BOOST_REQUIRE_MESSAGE(index.has_value(), "column " << column << " of " << t->name);
        return cells[*index];
    }
    bool is_null(std::string_view column) const { return std::holds_alternative<std::monostate>((*this)[column]); }
    std::string text(std::string_view column) const {
        const auto* s = std::get_if<std::string>(&(*this)[column]);
        BOOST_REQUIRE_MESSAGE(s != nullptr, column << " is a string cell");
        return *s;
    }
    std::int64_t number(std::string_view column) const {
        const auto* n = std::get_if<std::int64_t>(&(*this)[column]);
        BOOST_REQUIRE_MESSAGE(n != nullptr, column << " is an Int64 cell");
        return *n;
    }
    bool flag(std::string_view column) const {
        const auto* b = std::get_if<bool>(&(*this)[column]);
        BOOST_REQUIRE_MESSAGE(b != nullptr, column << " is a Boolean cell");
        return *b;
    }
    std::int64_t millis(std::string_view column) const {
        const auto* t = std::get_if<utc_millis>(&(*this)[column]);
        BOOST_REQUIRE_MESSAGE(t != nullptr, column << " is a DateTimeOffset cell");
        return t->value;
    }
    std::int32_t days(std::string_view column) const {
        const auto* d = std::get_if<civil_days>(&(*this)[column]);
        BOOST_REQUIRE_MESSAGE(d != nullptr, column << " is a Date cell");
        return d->value;
    }
};

extracted extract(std::string_view table_name, flavor f, std::string_view item, std::string_view parent = {}) {
    extracted e{&shipped_table(table_name), {}, {}};
    json::value item_json = json::parse(item);
    json::value parent_json = parent.empty() ? json::value() : json::parse(parent);
    extract_row(*e.t, f, item_json, parent.empty() ? nullptr : &parent_json, e.cells, &e.problems);
    BOOST_TEST(e.cells.size() == e.t->columns.size());
    return e;
}

std::int64_t utc(std::string_view text) {
    auto t = parse_jira_datetime(text);
    BOOST_REQUIRE(t.has_value());
    return *t;
}

// An issue as /rest/api/3/search/jql returns it with fields requested (trimmed of
// avatar URLs and other fields no column reads).
const char* const cloud_issue = R"J({
  "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
  "id": "10042", "self": "https://site.atlassian.net/rest/api/3/issue/10042", "key": "ALPHA-42",
  "fields": {
    "summary": "Checkout \"fails\" on Safari",
    "issuetype": {"self": "…", "id": "10001", "description": "A task", "name": "Task", "subtask": false, "hierarchyLevel": 0},
    "project": {"self": "…", "id": "10000", "key": "ALPHA", "name": "Alpha", "projectTypeKey": "software", "simplified": false},
    "status": {"self": "…", "description": "", "name": "In Progress", "id": "3",
               "statusCategory": {"self": "…", "id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"}},
    "priority": {"self": "…", "name": "High", "id": "2"},
    "resolution": null,
    "assignee": {"self": "…", "accountId": "5b10ac8d82e05b22cc7d4ef5", "emailAddress": "ada@example.com",
                 "displayName": "Ada Lovelace", "active": true, "timeZone": "UTC", "accountType": "atlassian"},
    "reporter": {"accountId": "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "displayName": "Grace Hopper", "active": true},
    "creator": {"accountId": "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "displayName": "Grace Hopper", "active": true},
    "created": "2025-01-17T12:34:00.000+0000",
    "updated": "2025-01-18T09:00:00.250+0100",
    "resolutiondate": null,
    "duedate": "2025-02-28",
    "labels": ["checkout", "safari"],
    "components": [{"self": "…", "id": "10100", "name": "Web"}, {"self": "…", "id": "10101", "name": "Payments"}],
    "fixVersions": [{"self": "…", "id": "10200", "name": "1.2", "archived": false, "released": false}],
    "versions": [],
    "parent": {"id": "10040", "key": "ALPHA-40", "fields": {"summary": "Epic"}},
    "description": {"type": "doc", "version": 1, "content": [
      {"type": "paragraph", "content": [{"type": "text", "text": "Steps:"}]},
      {"type": "paragraph", "content": [{"type": "text", "text": "open "}, {"type": "text", "text": "cart", "marks": [{"type": "strong"}]}]}
    ]}
  }
})J";

// The same issue as Data Center's /rest/api/2/search returns it.
const char* const dc_issue = R"J({
  "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
  "id": "10042", "self": "https://jira.example.com/rest/api/2/issue/10042", "key": "ALPHA-42",
  "fields": {
    "summary": "Checkout \"fails\" on Safari",
    "issuetype": {"id": "10001", "name": "Task", "subtask": false},
    "project": {"id": "10000", "key": "ALPHA", "name": "Alpha"},
    "status": {"name": "In Progress", "id": "3",
               "statusCategory": {"id": 4, "key": "indeterminate", "colorName": "yellow", "name": "In Progress"}},
    "priority": {"name": "High", "id": "2"},
    "resolution": {"id": "10000", "name": "Done", "description": "Work has been completed."},
    "assignee": {"self": "…", "name": "ada", "key": "JIRAUSER10100", "emailAddress": "ada@example.com",
                 "displayName": "Ada Lovelace", "active": true, "timeZone": "UTC"},
    "reporter": {"name": "grace", "key": "JIRAUSER10200", "displayName": "Grace Hopper"},
    "creator": {"name": "grace", "key": "JIRAUSER10200", "displayName": "Grace Hopper"},
    "created": "2025-01-17T12:34:00.000+0000",
    "updated": "2025-01-18T09:00:00.250+0100",
    "resolutiondate": "2025-01-19T00:00:00.000-0500",
    "duedate": null,
    "labels": [],
    "components": [{"id": "10100", "name": "Web"}],
    "fixVersions": [],
    "versions": [{"id": "10199", "name": "1.1"}],
    "description": "Steps:\nopen cart"
  }
})J";

}  // namespace

BOOST_AUTO_TEST_CASE(issues_cloud_v3) {
    auto e = extract("Issues", flavor::cloud, cloud_issue);
    BOOST_TEST(e.problems.empty());
    BOOST_TEST(e.number("Id") == 10042);
    BOOST_TEST(e.text("Key") == "ALPHA-42");
    BOOST_TEST(e.number("ProjectId") == 10000);
    BOOST_TEST(e.text("ProjectKey") == "ALPHA");
    BOOST_TEST(e.text("IssueType") == "Task");
    BOOST_TEST(e.flag("Subtask") == false);
    BOOST_TEST(e.text("Summary") == "Checkout \"fails\" on Safari");
    BOOST_TEST(e.text("Description") == "Steps:\nopen cart");
    BOOST_TEST(e.number("StatusId") == 3);
    BOOST_TEST(e.text("StatusCategoryKey") == "indeterminate");
    BOOST_TEST(e.text("Priority") == "High");
    BOOST_TEST(e.is_null("Resolution"));
    BOOST_TEST(e.is_null("ResolutionId"));
    BOOST_TEST(e.text("AssigneeId") == "5b10ac8d82e05b22cc7d4ef5");
    BOOST_TEST(e.text("AssigneeName") == "Ada Lovelace");
    BOOST_TEST(e.text("ReporterId") == "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077");
    BOOST_TEST(e.millis("Created") == utc("2025-01-17T12:34:00.000Z"));
    BOOST_TEST(e.millis("Updated") == utc("2025-01-18T08:00:00.250Z"));
    BOOST_TEST(e.is_null("ResolutionDate"));
    BOOST_TEST(e.days("DueDate") == *parse_jira_date("2025-02-28"));
    BOOST_TEST(e.text("Labels") == "checkout, safari");
    BOOST_TEST(e.text("Components") == "Web, Payments");
    BOOST_TEST(e.text("FixVersions") == "1.2");
    BOOST_TEST(e.is_null("AffectsVersions"));
    BOOST_TEST(e.number("ParentId") == 10040);
    BOOST_TEST(e.text("ParentKey") == "ALPHA-40");
}

BOOST_AUTO_TEST_CASE(issues_datacenter_v2) {
    auto e = extract("Issues", flavor::datacenter, dc_issue);
    BOOST_TEST(e.problems.empty());
    BOOST_TEST(e.number("Id") == 10042);
    BOOST_TEST(e.text("Description") == "Steps:\nopen cart");
    BOOST_TEST(e.text("AssigneeId") == "JIRAUSER10100");
    BOOST_TEST(e.text("CreatorName") == "Grace Hopper");
    BOOST_TEST(e.text("Resolution") == "Done");
    BOOST_TEST(e.number("ResolutionId") == 10000);
    BOOST_TEST(e.millis("ResolutionDate") == utc("2025-01-19T05:00:00Z"));
    BOOST_TEST(e.is_null("DueDate"));
    BOOST_TEST(e.is_null("Labels"));
    BOOST_TEST(e.text("AffectsVersions") == "1.1");
    BOOST_TEST(e.is_null("ParentId"));  // top-level issue: Jira omits "parent"
}

BOOST_AUTO_TEST_CASE(projects_both_flavors) {
    const char* cloud = R"J({"expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
      "self": "…", "id": "10000", "key": "ALPHA", "name": "Alpha", "description": "The alpha team",
      "lead": {"accountId": "5b10ac8d82e05b22cc7d4ef5", "displayName": "Ada Lovelace"},
      "projectTypeKey": "software", "simplified": false, "style": "classic", "isPrivate": false,
      "projectCategory": {"self": "…", "id": "10000", "name": "FIRST", "description": "First Project Category"}})J";
    auto c = extract("Projects", flavor::cloud, cloud);
    BOOST_TEST(c.problems.empty());
    BOOST_TEST(c.number("Id") == 10000);
    BOOST_TEST(c.text("Key") == "ALPHA");
    BOOST_TEST(c.text("Description") == "The alpha team");
    BOOST_TEST(c.text("LeadId") == "5b10ac8d82e05b22cc7d4ef5");
    BOOST_TEST(c.text("Category") == "FIRST");
    BOOST_TEST(c.number("CategoryId") == 10000);

    const char* dc = R"J({"expand": "description,lead,url,projectKeys", "self": "…", "id": "10001", "key": "BETA",
      "name": "Beta", "projectTypeKey": "business", "archived": false,
      "lead": {"name": "grace", "key": "JIRAUSER10200", "displayName": "Grace Hopper"}})J";
    auto d = extract("Projects", flavor::datacenter, dc);
    BOOST_TEST(d.problems.empty());
    BOOST_TEST(d.text("LeadId") == "JIRAUSER10200");
    BOOST_TEST(d.text("ProjectTypeKey") == "business");
    BOOST_TEST(d.is_null("Category"));
    BOOST_TEST(d.is_null("Description"));
}

BOOST_AUTO_TEST_CASE(users_both_flavors) {
    auto c = extract("Users", flavor::cloud,
                     R"J({"self": "…", "accountId": "5b10a2844c20165700ede21g", "accountType": "atlassian",
                         "emailAddress": "mia@example.com", "displayName": "Mia Krystof", "active": false,
                         "timeZone": "Australia/Sydney", "locale": "en_US"})J");
    BOOST_TEST(c.problems.empty());
    BOOST_TEST(c.text("Id") == "5b10a2844c20165700ede21g");
    BOOST_TEST(c.is_null("Name"));
    BOOST_TEST(c.text("AccountType") == "atlassian");
    BOOST_TEST(c.flag("Active") == false);
    BOOST_TEST(c.text("TimeZone") == "Australia/Sydney");

    auto d = extract("Users", flavor::datacenter,
                     R"J({"self": "…", "key": "JIRAUSER10100", "name": "fred", "emailAddress": "fred@example.com",
                         "displayName": "Fred F. User", "active": true, "deleted": false, "timeZone": "Australia/Sydney"})J");
    BOOST_TEST(d.problems.empty());
    BOOST_TEST(d.text("Id") == "JIRAUSER10100");
    BOOST_TEST(d.text("Name") == "fred");
    BOOST_TEST(d.is_null("AccountType"));
    BOOST_TEST(d.flag("Active") == true);
}

BOOST_AUTO_TEST_CASE(fields_system_and_custom) {
    auto sys = extract("Fields", flavor::cloud,
                       R"J({"id": "statuscategorychangedate", "key": "statuscategorychangedate",
                           "name": "Status Category Changed", "custom": false, "orderable": false, "navigable": true,
                           "searchable": true, "clauseNames": ["statusCategoryChangedDate"],
                           "schema": {"type": "datetime", "system": "statuscategorychangedate"}})J");
    BOOST_TEST(sys.problems.empty());
    BOOST_TEST(sys.text("Id") == "statuscategorychangedate");
    BOOST_TEST(sys.flag("Custom") == false);
    BOOST_TEST(sys.text("SchemaSystem") == "statuscategorychangedate");
    BOOST_TEST(sys.is_null("SchemaCustomId"));

    auto custom = extract("Fields", flavor::datacenter,
                          R"J({"id": "customfield_10040", "name": "Reviewers", "custom": true, "orderable": true,
                              "navigable": true, "searchable": true, "clauseNames": ["cf[10040]", "Reviewers"],
                              "schema": {"type": "array", "items": "user",
                                         "custom": "com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker",
                                         "customId": 10040}})J");
    BOOST_TEST(custom.problems.empty());
    BOOST_TEST(custom.text("ClauseNames") == "cf[10040], Reviewers");
    BOOST_TEST(custom.text("SchemaItems") == "user");
    BOOST_TEST(custom.number("SchemaCustomId") == 10040);
}

BOOST_AUTO_TEST_CASE(statuses_and_priorities) {
    auto s = extract("Statuses", flavor::cloud,
                     R"J({"self": "…", "description": "The issue is open.", "iconUrl": "…", "name": "Open", "id": "1",
                         "statusCategory": {"self": "…", "id": 2, "key": "new", "colorName": "blue-gray", "name": "To Do"},
                         "scope": {"type": "PROJECT", "project": {"id": "10000"}}})J");
    BOOST_TEST(s.problems.empty());
    BOOST_TEST(s.number("Id") == 1);
    BOOST_TEST(s.number("CategoryId") == 2);
    BOOST_TEST(s.text("CategoryColor") == "blue-gray");
    BOOST_TEST(s.text("Category") == "To Do");

    auto p = extract("Priorities", flavor::datacenter,
                     R"J({"self": "…", "statusColor": "#d04437", "description": "Serious problem", "iconUrl": "…",
                         "name": "Highest", "id": "1"})J");
    BOOST_TEST(p.problems.empty());
    BOOST_TEST(p.number("Id") == 1);
    BOOST_TEST(p.text("StatusColor") == "#d04437");
}

BOOST_AUTO_TEST_CASE(boards_and_sprints_agile) {
    const char* board = R"J({"id": 84, "self": "…/rest/agile/1.0/board/84", "name": "ALPHA board", "type": "scrum",
      "location": {"projectId": 10000, "displayName": "Alpha (ALPHA)", "projectName": "Alpha", "projectKey": "ALPHA",
                   "projectTypeKey": "software", "name": "Alpha (ALPHA)"}})J";
    auto b = extract("Boards", flavor::cloud, board);
    BOOST_TEST(b.problems.empty());
    BOOST_TEST(b.number("Id") == 84);
    BOOST_TEST(b.text("Type") == "scrum");
    BOOST_TEST(b.number("ProjectId") == 10000);
    BOOST_TEST(b.text("ProjectKey") == "ALPHA");

    auto s = extract("Sprints", flavor::datacenter,
                     R"J({"id": 37, "self": "…", "state": "closed", "name": "Sprint 1",
                         "startDate": "2015-04-11T15:22:00.000+10:00", "endDate": "2015-04-20T01:22:00.000+10:00",
                         "completeDate": "2015-04-20T11:04:00.000+10:00", "originBoardId": 5,
                         "goal": "sprint 1 goal"})J",
                     board);
    BOOST_TEST(s.problems.empty());
    BOOST_TEST(s.number("BoardId") == 84);  // from the parent board
    BOOST_TEST(s.number("Id") == 37);
    BOOST_TEST(s.number("OriginBoardId") == 5);
    BOOST_TEST(s.millis("StartDate") == utc("2015-04-11T05:22:00Z"));
    BOOST_TEST(s.millis("CompleteDate") == utc("2015-04-20T01:04:00Z"));
    BOOST_TEST(s.is_null("CreatedDate"));
    BOOST_TEST(s.text("Goal") == "sprint 1 goal");

    auto future = extract("Sprints", flavor::cloud,
                          R"J({"id": 38, "state": "future", "name": "Sprint 2", "originBoardId": 84,
                              "createdDate": "2025-01-01T00:00:00.000Z"})J", board);
    BOOST_TEST(future.problems.empty());
    BOOST_TEST(future.is_null("StartDate"));
    BOOST_TEST(future.millis("CreatedDate") == utc("2025-01-01T00:00:00+00:00"));
}

BOOST_AUTO_TEST_CASE(versions_and_components_per_project) {
    const char* project = R"J({"id": "10000", "key": "ALPHA", "name": "Alpha"})J";
    auto v = extract("Versions", flavor::cloud,
                     R"J({"self": "…", "id": "10200", "description": "An excellent version", "name": "1.2",
                         "archived": false, "released": true, "startDate": "2025-01-01", "releaseDate": "2025-03-31",
                         "userReleaseDate": "31/Mar/25", "overdue": false, "projectId": 10000})J",
                     project);
    BOOST_TEST(v.problems.empty());
    BOOST_TEST(v.number("Id") == 10200);
    BOOST_TEST(v.number("ProjectId") == 10000);
    BOOST_TEST(v.text("ProjectKey") == "ALPHA");
    BOOST_TEST(v.flag("Released") == true);
    BOOST_TEST(v.days("ReleaseDate") == *parse_jira_date("2025-03-31"));
    BOOST_TEST(v.days("StartDate") == *parse_jira_date("2025-01-01"));

    auto c = extract("Components", flavor::datacenter,
                     R"J({"self": "…", "id": "10100", "name": "Web", "description": "The web front end",
                         "lead": {"name": "fred", "key": "JIRAUSER10100", "displayName": "Fred F. User"},
                         "assigneeType": "PROJECT_LEAD", "realAssigneeType": "PROJECT_LEAD",
                         "isAssigneeTypeValid": false, "project": "ALPHA", "projectId": 10000})J",
                     project);
    BOOST_TEST(c.problems.empty());
    BOOST_TEST(c.number("Id") == 10100);
    BOOST_TEST(c.text("ProjectKey") == "ALPHA");
    BOOST_TEST(c.text("LeadId") == "JIRAUSER10100");
    BOOST_TEST(c.text("AssigneeType") == "PROJECT_LEAD");
}

BOOST_AUTO_TEST_CASE(unexpected_shapes_become_null_and_are_reported) {
    auto e = extract("Issues", flavor::cloud,
                     R"J({"key": "ALPHA-1", "fields": {"summary": {"oops": 1}, "created": "yesterday",
                         "labels": "not-an-array", "project": {"id": "12x"}}})J");
    BOOST_TEST(e.is_null("Summary"));
    BOOST_TEST(e.is_null("Created"));
    BOOST_TEST(e.is_null("Labels"));
    BOOST_TEST(e.is_null("ProjectId"));
    std::vector<std::string> unconvertible, missing;
    for (const auto& p : e.problems)
        (p.kind == extract_problem::unconvertible ? unconvertible : missing).push_back(e.t->columns[p.column].name);
    BOOST_TEST(unconvertible == (std::vector<std::string>{"ProjectId", "Summary", "Created", "Labels"}),
               boost::test_tools::per_element());
    BOOST_TEST(missing == std::vector<std::string>{"Id"}, boost::test_tools::per_element());
}
