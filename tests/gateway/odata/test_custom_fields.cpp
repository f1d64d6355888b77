// Custom fields as columns: the column name derivation (valid, stable, collision-free
// OData identifiers), the shipped catalog's type mapping per Jira schema, the values the
// generated columns read from an issue on each flavor, and the "custom_fields" section's
// load-time checks.
#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <regex>
#include <string>

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/jira/page_plan.hpp"
#include "gateway/odata/custom_columns.hpp"
#include "gateway/odata/row_extract.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

namespace json = boost::json;
using namespace jtgw::odata;
using jtgw::odata::testing::shipped_catalog;

namespace {

bool odata_identifier(const std::string& s) {
    static const std::regex simple_identifier("[A-Za-z_][A-Za-z0-9_]{0,127}");
    return std::regex_match(s, simple_identifier);
}

json::value field(std::string id, std::string name, json::object schema, bool custom = true) {
    return json::object{{"id", id}, {"name", name}, {"custom", custom}, {"schema", std::move(schema)}};
}

json::object custom_schema(std::string type, std::string custom, std::string items = "") {
    json::object s{{"type", type}, {"custom", custom}, {"customId", 1}};
    if (!items.empty()) s["items"] = items;
    return s;
}

const column* find_column(const table& t, std::string_view name) {
    auto i = t.column_index(name);
    return i ? &t.columns[*i] : nullptr;
}

// The shipped catalog's JSON, for the section's broken variants.
json::value shipped_doc() {
    std::ifstream in(jtgw::odata::testing::shipped_catalog_path());
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return json::parse(text);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(custom_fields)

BOOST_AUTO_TEST_CASE(names_are_pascal_case_name_underscore_number) {
    struct named {
        const char* id;
        const char* name;
        const char* expected;
    };
    const named good[] = {
        {"customfield_10016", "Story Points", "StoryPoints_10016"},
        {"customfield_10030", "Customer Impact", "CustomerImpact_10030"},
        {"customfield_10040", "Reviewers", "Reviewers_10040"},
        {"customfield_10014", "Epic Link", "EpicLink_10014"},
        {"customfield_7", "team's size (days)", "TeamsSizeDays_7"},
        {"customfield_8", "T-shirt size", "TShirtSize_8"},
        {"customfield_9", "already PascalCase", "AlreadyPascalCase_9"},
        {"customfield_10", "2nd reviewer", "Field2ndReviewer_10"},
        {"customfield_11", "\xe6\x97\xa5\xe6\x9c\xac", "Field_11"},       // no ASCII letter at all
        {"customfield_12", "Priorit\xc3\xa9 client", "PrioritClient_12"},  // non-ASCII bytes separate words
        {"customfield_13", "", "Field_13"},
        {"customfield_14", "sprint_2", "Sprint2_14"},
    };
    for (const auto& c : good) {
        auto got = custom_column_name(c.id, c.name);
        BOOST_TEST_REQUIRE(got.has_value(), c.id);
        BOOST_TEST(*got == c.expected);
        BOOST_TEST(odata_identifier(*got), *got);
        BOOST_TEST(!is_pascal_identifier(*got), *got << " could collide with a catalog column");
    }
    // Cut to OData's 128 characters, the number kept whole.
    auto long_name = custom_column_name("customfield_123456", std::string(300, 'a'));
    BOOST_TEST_REQUIRE(long_name.has_value());
    BOOST_TEST(long_name->size() == 128u);
    BOOST_TEST(long_name->ends_with("_123456"));
    BOOST_TEST(long_name->starts_with("Aaaa"));
    // Not a custom field id: no column name.
    for (const char* id : {"summary", "customfield_", "customfield_12a", "customfield_1234567890123456789",
                           "Customfield_1", "customfield_-1"})
        BOOST_TEST(!custom_column_name(id, "Name").has_value(), id);
}

BOOST_AUTO_TEST_CASE(names_are_unique_where_digits_meet) {
    // "Ab 1" (id 2) and "Ab" (id 12) would both be "Ab12" without the separator.
    BOOST_TEST(*custom_column_name("customfield_2", "Ab 1") == "Ab1_2");
    BOOST_TEST(*custom_column_name("customfield_12", "Ab") == "Ab_12");
}

BOOST_AUTO_TEST_CASE(shipped_rules_map_each_schema_type) {
    const auto& section = *shipped_catalog().custom_fields;
    BOOST_TEST(section.table == "Issues");
    BOOST_TEST(section.field_list == "Fields");
    struct mapping {
        json::object schema;
        edm_type type;
        conversion cloud, datacenter;
        const char* cloud_path;  // relative to the field's value
        const char* dc_path;
        const char* item_cloud;  // join's member of each element
        const char* item_dc;
    };
    const std::string plugin = "com.atlassian.jira.plugin.system.customfieldtypes:";
    const mapping cases[] = {
        {custom_schema("number", plugin + "float"), edm_type::double_, conversion::none, conversion::none, "", "", "", ""},
        {custom_schema("date", plugin + "datepicker"), edm_type::date, conversion::date, conversion::date, "", "", "", ""},
        {custom_schema("datetime", plugin + "datetime"), edm_type::date_time_offset, conversion::jira_datetime,
         conversion::jira_datetime, "", "", "", ""},
        {custom_schema("string", plugin + "textarea"), edm_type::string, conversion::adf_to_text, conversion::none, "", "",
         "", ""},
        {custom_schema("option", plugin + "select"), edm_type::string, conversion::none, conversion::none, "/value",
         "/value", "", ""},
        {custom_schema("user", plugin + "userpicker"), edm_type::string, conversion::none, conversion::none,
         "/accountId", "/key", "", ""},
        {custom_schema("array", plugin + "labels", "string"), edm_type::string, conversion::join, conversion::join, "", "",
         "", ""},
        {custom_schema("array", plugin + "multiselect", "option"), edm_type::string, conversion::join, conversion::join,
         "", "", "/value", "/value"},
        {custom_schema("array", plugin + "multiuserpicker", "user"), edm_type::string, conversion::join,
         conversion::join, "", "", "/accountId", "/key"},
        {custom_schema("any", "com.pyxis.greenhopper.jira:gh-epic-link"), edm_type::string, conversion::none,
         conversion::none, "", "", "", ""},
    };
    for (const auto& c : cases) {
        const custom_field_rule* rule = match_custom_field(section, c.schema);
        BOOST_TEST_REQUIRE(rule != nullptr, json::serialize(c.schema));
        BOOST_TEST(rule->child_table.empty());
        BOOST_TEST(to_string(rule->type) == to_string(c.type), json::serialize(c.schema));
        const auto& cloud = rule->source[std::size_t(flavor::cloud)];
        const auto& dc = rule->source[std::size_t(flavor::datacenter)];
        BOOST_TEST((cloud.convert == c.cloud && dc.convert == c.datacenter), json::serialize(c.schema));
        BOOST_TEST(cloud.path.text == c.cloud_path);
        BOOST_TEST(dc.path.text == c.dc_path);
        BOOST_TEST(cloud.item.text == c.item_cloud);
        BOOST_TEST(dc.item.text == c.item_dc);
        if (cloud.convert == conversion::join) BOOST_TEST(cloud.separator == ", ");
    }
    // Sprint's values are the IssueSprints child table, not a column.
    const auto* sprint = match_custom_field(section, custom_schema("array", "com.pyxis.greenhopper.jira:gh-sprint", "json"));
    BOOST_TEST_REQUIRE(sprint != nullptr);
    BOOST_TEST(sprint->child_table == "IssueSprints");
    // Schemas no rule maps: skipped, never guessed.
    for (const auto& schema : {json::value(custom_schema("any", "com.example:mystery")),
                               json::value(custom_schema("array", "com.example:things", "json")),
                               json::value(json::object{}), json::value("number"), json::value(nullptr)})
        BOOST_TEST(match_custom_field(section, schema) == nullptr, json::serialize(schema));
}

BOOST_AUTO_TEST_CASE(columns_from_a_field_list) {
    const std::string plugin = "com.atlassian.jira.plugin.system.customfieldtypes:";
    // jira-sample's custom fields (samples/jira-sample/fields.cpp), out of order, plus the
    // kinds that must be skipped.
    const json::array fields{
        field("customfield_10040", "Reviewers", custom_schema("array", plugin + "multiuserpicker", "user")),
        field("summary", "Summary", json::object{{"type", "string"}, {"system", "summary"}}, false),
        field("customfield_10016", "Story Points", custom_schema("number", plugin + "float")),
        field("customfield_10020", "Sprint", custom_schema("array", "com.pyxis.greenhopper.jira:gh-sprint", "json")),
        field("customfield_10030", "Customer Impact", custom_schema("option", plugin + "select")),
        field("customfield_10014", "Epic Link", custom_schema("any", "com.pyxis.greenhopper.jira:gh-epic-link")),
        field("customfield_10019", "Rank", custom_schema("any", "com.pyxis.greenhopper.jira:gh-lexo-rank")),
        field("customfield_10050", "Mystery", custom_schema("any", "com.example:mystery")),
        field("customfield_10060", "Due Moment", custom_schema("datetime", plugin + "datetime")),
        field("customfield_10061", "Go-live", custom_schema("date", plugin + "datepicker")),
        field("customfield_10062", "Notes", custom_schema("string", plugin + "textarea")),
        field("cf_bad", "Odd id", custom_schema("number", plugin + "float")),
        json::object{{"id", "customfield_10070"}, {"name", "No schema"}, {"custom", true}},
        field("customfield_10016", "Story Points", custom_schema("number", plugin + "float")),  // listed twice
        json::value(42),
    };
    std::vector<skipped_field> skipped;
    const catalog cat = with_custom_columns(shipped_catalog(), fields, skipped);
    const table& base = *shipped_catalog().find("Issues");
    const table& issues = *cat.find("Issues");

    std::vector<std::string> added;
    for (std::size_t i = base.columns.size(); i < issues.columns.size(); ++i) added.push_back(issues.columns[i].name);
    const std::vector<std::string> expected_names = {"EpicLink_10014",  "StoryPoints_10016", "Rank_10019",
                                                     "CustomerImpact_10030", "Reviewers_10040", "DueMoment_10060",
                                                     "GoLive_10061", "Notes_10062"};
    BOOST_TEST(added == expected_names, boost::test_tools::per_element());
    for (std::size_t i = 0; i < base.columns.size(); ++i) BOOST_TEST(issues.columns[i].name == base.columns[i].name);
    BOOST_TEST(cat.tables.size() == shipped_catalog().tables.size());
    BOOST_TEST(find_column(*cat.find("Projects"), "StoryPoints_10016") == nullptr);

    const column& points = *find_column(issues, "StoryPoints_10016");
    BOOST_TEST(to_string(points.type) == "Edm.Double");
    BOOST_TEST(points.nullable);
    BOOST_TEST(points.description == "Story Points (customfield_10016)");
    BOOST_TEST(points.source[0].path.text == "/fields/customfield_10016");
    BOOST_TEST(find_column(issues, "CustomerImpact_10030")->source[1].path.text == "/fields/customfield_10030/value");
    BOOST_TEST(to_string(find_column(issues, "DueMoment_10060")->type) == "Edm.DateTimeOffset");
    BOOST_TEST(to_string(find_column(issues, "GoLive_10061")->type) == "Edm.Date");

    std::map<std::string, std::string> why;
    for (const auto& s : skipped) why[s.id] += s.reason + ";";
    BOOST_TEST(why.count("summary") == 0u);  // system fields are not custom fields to skip
    BOOST_TEST(why["customfield_10020"].find("IssueSprints") != std::string::npos, why["customfield_10020"]);
    BOOST_TEST(why["customfield_10050"].find("no rule") != std::string::npos, why["customfield_10050"]);
    BOOST_TEST(why["customfield_10070"].find("no schema") != std::string::npos, why["customfield_10070"]);
    BOOST_TEST(why["cf_bad"].find("customfield_<number>") != std::string::npos);
    BOOST_TEST(why["customfield_10016"].find("twice") != std::string::npos);
    BOOST_TEST(why[""].find("not a JSON object") != std::string::npos);
    BOOST_TEST(skipped.size() == 6u);
}

BOOST_AUTO_TEST_CASE(names_do_not_depend_on_other_fields) {
    const std::string plugin = "com.atlassian.jira.plugin.system.customfieldtypes:";
    const json::value points = field("customfield_10016", "Story Points", custom_schema("number", plugin + "float"));
    const json::value other = field("customfield_10001", "Story Points", custom_schema("number", plugin + "float"));
    std::vector<skipped_field> skipped;
    const catalog alone = with_custom_columns(shipped_catalog(), json::array{points}, skipped);
    const catalog both = with_custom_columns(shipped_catalog(), json::array{other, points}, skipped);
    BOOST_TEST(find_column(*alone.find("Issues"), "StoryPoints_10016") != nullptr);
    BOOST_TEST(find_column(*both.find("Issues"), "StoryPoints_10016") != nullptr);
    BOOST_TEST(find_column(*both.find("Issues"), "StoryPoints_10001") != nullptr);
    BOOST_TEST(skipped.empty());
}

// The generated columns read an issue as each flavor renders it (jira-sample's shapes).
BOOST_AUTO_TEST_CASE(values_per_flavor) {
    const std::string plugin = "com.atlassian.jira.plugin.system.customfieldtypes:";
    const json::array fields{
        field("customfield_10016", "Story Points", custom_schema("number", plugin + "float")),
        field("customfield_10030", "Customer Impact", custom_schema("option", plugin + "select")),
        field("customfield_10040", "Reviewers", custom_schema("array", plugin + "multiuserpicker", "user")),
        field("customfield_10041", "Owner", custom_schema("user", plugin + "userpicker")),
        field("customfield_10014", "Epic Link", custom_schema("any", "com.pyxis.greenhopper.jira:gh-epic-link")),
        field("customfield_10060", "Due Moment", custom_schema("datetime", plugin + "datetime")),
        field("customfield_10061", "Go-live", custom_schema("date", plugin + "datepicker")),
        field("customfield_10062", "Notes", custom_schema("string", plugin + "textarea")),
        field("customfield_10063", "Tags", custom_schema("array", plugin + "labels", "string")),
    };
    std::vector<skipped_field> skipped;
    const catalog cat = with_custom_columns(shipped_catalog(), fields, skipped);
    const table& issues = *cat.find("Issues");
    auto cell_of = [&](const row& r, std::string_view name) { return r[*issues.column_index(name)]; };

    const json::value cloud_issue = json::parse(R"({"id": "10001", "key": "ENG-1", "fields": {
        "customfield_10016": 5.5,
        "customfield_10030": {"self": "x", "value": "High", "id": "10300"},
        "customfield_10040": [{"accountId": "a-1", "displayName": "A"}, {"accountId": "b-2", "displayName": "B"}],
        "customfield_10041": {"accountId": "c-3"},
        "customfield_10014": "ENG-7",
        "customfield_10060": "2025-01-17T12:34:00.000+0100",
        "customfield_10061": "2025-02-03",
        "customfield_10062": {"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "line one"}]},
            {"type": "paragraph", "content": [{"type": "text", "text": "line two"}]}]},
        "customfield_10063": ["x", "y"]}})");
    row r;
    std::vector<extract_problem> problems;
    extract_row(issues, flavor::cloud, cloud_issue, nullptr, r, &problems);
    BOOST_TEST(problems.empty());
    BOOST_TEST((cell_of(r, "StoryPoints_10016") == cell{5.5}));
    BOOST_TEST((cell_of(r, "CustomerImpact_10030") == cell{std::string("High")}));
    BOOST_TEST((cell_of(r, "Reviewers_10040") == cell{std::string("a-1, b-2")}));
    BOOST_TEST((cell_of(r, "Owner_10041") == cell{std::string("c-3")}));
    BOOST_TEST((cell_of(r, "EpicLink_10014") == cell{std::string("ENG-7")}));
    BOOST_TEST((cell_of(r, "DueMoment_10060") == cell{utc_millis{1737113640000}}));  // 11:34 UTC
    BOOST_TEST((cell_of(r, "GoLive_10061") == cell{civil_days{20122}}));
    BOOST_TEST((cell_of(r, "Notes_10062") == cell{std::string("line one\nline two")}));
    BOOST_TEST((cell_of(r, "Tags_10063") == cell{std::string("x, y")}));

    const json::value dc_issue = json::parse(R"({"id": "10001", "key": "ENG-1", "fields": {
        "customfield_10016": 3,
        "customfield_10030": {"self": "x", "value": "Low", "id": "10301"},
        "customfield_10040": [{"name": "alice", "key": "JIRAUSER1"}, {"name": "bob", "key": "JIRAUSER2"}],
        "customfield_10041": {"name": "carol", "key": "JIRAUSER3"},
        "customfield_10062": "plain notes",
        "customfield_10063": []}})");
    extract_row(issues, flavor::datacenter, dc_issue, nullptr, r, &problems);
    BOOST_TEST(problems.empty());
    BOOST_TEST((cell_of(r, "StoryPoints_10016") == cell{3.0}));
    BOOST_TEST((cell_of(r, "CustomerImpact_10030") == cell{std::string("Low")}));
    BOOST_TEST((cell_of(r, "Reviewers_10040") == cell{std::string("JIRAUSER1, JIRAUSER2")}));
    BOOST_TEST((cell_of(r, "Owner_10041") == cell{std::string("JIRAUSER3")}));
    BOOST_TEST((cell_of(r, "Notes_10062") == cell{std::string("plain notes")}));
    for (const char* absent : {"EpicLink_10014", "DueMoment_10060", "GoLive_10061", "Tags_10063"})
        BOOST_TEST(std::holds_alternative<std::monostate>(cell_of(r, absent)), absent);
}

// The search names each mapped custom field once in fields= (and nothing for Sprint,
// whose rows are another table's), after the catalog's own fields.
BOOST_AUTO_TEST_CASE(search_asks_for_exactly_the_mapped_custom_fields) {
    const std::string plugin = "com.atlassian.jira.plugin.system.customfieldtypes:";
    const json::array fields{
        field("customfield_10040", "Reviewers", custom_schema("array", plugin + "multiuserpicker", "user")),
        field("customfield_10016", "Story Points", custom_schema("number", plugin + "float")),
        field("customfield_10020", "Sprint", custom_schema("array", "com.pyxis.greenhopper.jira:gh-sprint", "json")),
        field("customfield_10030", "Customer Impact", custom_schema("option", plugin + "select")),
        field("customfield_10050", "Mystery", custom_schema("any", "com.example:mystery")),
    };
    std::vector<skipped_field> skipped;
    const catalog cat = with_custom_columns(shipped_catalog(), fields, skipped);
    for (flavor f : {flavor::cloud, flavor::datacenter}) {
        auto expected = jtgw::jira::search_fields(*shipped_catalog().find("Issues"), f);
        for (const char* id : {"customfield_10016", "customfield_10030", "customfield_10040"}) {
            BOOST_TEST(std::count(expected.begin(), expected.end(), id) == 0, id << " is no catalog field");
            expected.push_back(id);
        }
        const auto got = jtgw::jira::search_fields(*cat.find("Issues"), f);
        BOOST_TEST(got == expected, boost::test_tools::per_element());
    }
}

BOOST_AUTO_TEST_CASE(section_is_optional) {
    json::value doc = shipped_doc();
    doc.as_object().erase("custom_fields");
    BOOST_TEST(!parse_catalog(json::serialize(doc)).custom_fields.has_value());
}

BOOST_AUTO_TEST_CASE(broken_sections_are_refused_at_load) {
    struct broken {
        const char* what;
        std::function<void(json::object&)> mutate;  // on the "custom_fields" object
        const char* phrase;
    };
    auto rule = [](json::object& s, std::size_t i) -> json::object& { return s.at("rules").at(i).as_object(); };
    const broken cases[] = {
        {"unknown key", [](json::object& s) { s["tabel"] = "Issues"; }, "unknown key \"tabel\""},
        {"no table", [](json::object& s) { s.erase("table"); }, "missing \"table\""},
        {"table missing", [](json::object& s) { s["table"] = "Tickets"; }, "\"Tickets\", which does not exist"},
        {"field list missing", [](json::object& s) { s["field_list"] = "Nope"; }, "\"Nope\", which does not exist"},
        {"per-parent table", [](json::object& s) { s["table"] = "Versions"; }, "search paging style"},
        {"not a search", [](json::object& s) { s["table"] = "Projects"; }, "search paging style"},
        {"per-parent field list", [](json::object& s) { s["field_list"] = "Sprints"; }, "per-parent"},
        {"no rules", [](json::object& s) { s["rules"] = json::array{}; }, "non-empty \"rules\""},
        {"rule key", [&](json::object& s) { rule(s, 0)["when"] = 1; }, "unknown key \"when\""},
        {"empty match", [&](json::object& s) { rule(s, 3)["match"] = json::object{}; }, "needs a non-empty"},
        {"match key", [&](json::object& s) { rule(s, 3)["match"].as_object()["system"] = "x"; }, "unknown key \"system\""},
        {"both outcomes", [&](json::object& s) { rule(s, 0)["column"] = rule(s, 3)["column"]; }, "exactly one of"},
        {"no outcome", [&](json::object& s) { rule(s, 3).erase("column"); }, "exactly one of"},
        {"bad child table", [&](json::object& s) { rule(s, 0)["child_table"] = "issue sprints"; }, "PascalCase"},
        {"child is the table", [&](json::object& s) { rule(s, 0)["child_table"] = "Issues"; }, "cannot be the table"},
        {"child table missing", [&](json::object& s) { rule(s, 0)["child_table"] = "Sprintz"; }, "\"Sprintz\", which does not exist"},
        {"child without rows", [&](json::object& s) { rule(s, 0)["child_table"] = "Projects"; }, "an issue field"},
        {"child list deeper", [&](json::object& s) { rule(s, 0)["child_table"] = "Worklogs"; }, "an issue field"},
        {"bad type", [&](json::object& s) { rule(s, 3)["column"].as_object()["type"] = "Edm.Float"; }, "unknown type"},
        {"conversion misfit",
         [&](json::object& s) { rule(s, 3)["column"].as_object()["source"] = json::parse(R"({"path": "", "convert": "date"})"); },
         "cannot produce Edm.Double"},
        {"parent scope",
         [&](json::object& s) { rule(s, 3)["column"].as_object()["source"] = json::parse(R"({"path": "", "scope": "parent"})"); },
         "scope \"row\""},
        {"name in template", [&](json::object& s) { rule(s, 3)["column"].as_object()["name"] = "X"; }, "unknown key \"name\""},
    };
    for (const auto& c : cases) {
        json::value doc = shipped_doc();
        c.mutate(doc.at("custom_fields").as_object());
        try {
            parse_catalog(json::serialize(doc));
            BOOST_ERROR(c.what << ": accepted");
        } catch (const catalog_error& e) {
            const std::string message = e.what();
            BOOST_TEST(message.find(c.phrase) != std::string::npos, c.what << ": " << message);
            BOOST_TEST(message.find("custom_fields") != std::string::npos, c.what << ": " << message);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
