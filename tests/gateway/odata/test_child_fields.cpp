// The custom_fields rules' child tables (IssueSprints) read their rows from the field the
// user's field list shows: a site whose sprint field is not customfield_10020 still gets
// its sprints, the search asks for that field, and rows come out of it.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/jira/page_plan.hpp"
#include "gateway/odata/custom_columns.hpp"
#include "gateway/odata/row_expand.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

namespace json = boost::json;
using namespace jtgw::odata;
using jtgw::odata::testing::shipped_catalog;

namespace {

const std::string sprint_plugin = "com.pyxis.greenhopper.jira:gh-sprint";

json::value custom_field(std::string id, std::string type, std::string plugin) {
    return json::object{{"id", id}, {"name", id}, {"custom", true},
                        {"schema", {{"type", type}, {"items", "json"}, {"custom", plugin}, {"customId", 1}}}};
}

std::string list_of(const catalog& cat, flavor f) {
    return cat.find("IssueSprints")->source[std::size_t(f)].rows->each.front().text;
}

}  // namespace

BOOST_AUTO_TEST_CASE(child_tables_read_the_field_the_list_shows) {
    // This site's sprint field is customfield_10104; customfield_10020 is something else.
    const json::array fields{
        custom_field("customfield_10020", "number", "com.atlassian.jira.plugin.system.customfieldtypes:float"),
        custom_field("customfield_10104", "array", sprint_plugin),
        json::object{{"id", "sprint"}, {"name", "Sprint"}, {"custom", false}, {"schema", {{"custom", sprint_plugin}}}},
    };
    catalog cat = shipped_catalog();
    BOOST_TEST(list_of(cat, flavor::cloud) == "/fields/customfield_10020");  // the catalog's guess
    point_child_tables(cat, fields);
    for (flavor f : {flavor::cloud, flavor::datacenter}) {
        BOOST_TEST(list_of(cat, f) == "/fields/customfield_10104");
        const auto asked = jtgw::jira::search_fields(*cat.find("IssueSprints"), f);
        BOOST_TEST((asked == std::vector<std::string>{"customfield_10104"}));
    }
    // The rows come out of that field (Cloud's sprint objects).
    const auto issue = json::parse(R"({"id": "10001", "key": "OPS-1", "fields": {
        "customfield_10020": 5, "customfield_10104": [{"id": 7, "name": "S7"}, {"id": 9, "name": "S9"}]}})");
    const auto& t = *cat.find("IssueSprints");
    BOOST_TEST(count_rows(t.source[0], issue) == 2u);
    // The shipped catalog itself is untouched (each user's schema is a copy).
    BOOST_TEST(list_of(shipped_catalog(), flavor::datacenter) == "/fields/customfield_10020");
}

BOOST_AUTO_TEST_CASE(the_lowest_numbered_match_wins_and_no_match_keeps_the_guess) {
    catalog two = shipped_catalog();
    point_child_tables(two, json::array{custom_field("customfield_10300", "array", sprint_plugin),
                                        custom_field("customfield_10200", "array", sprint_plugin)});
    BOOST_TEST(list_of(two, flavor::cloud) == "/fields/customfield_10200");
    // No sprint field the user can see (or not a customfield_<n> id): the catalog's path.
    catalog none = shipped_catalog();
    point_child_tables(none, json::array{custom_field("customfield_10016", "number", "x:float"),
                                         custom_field("sprintfield", "array", sprint_plugin)});
    BOOST_TEST(list_of(none, flavor::cloud) == "/fields/customfield_10020");
    BOOST_TEST(list_of(none, flavor::datacenter) == "/fields/customfield_10020");
}
