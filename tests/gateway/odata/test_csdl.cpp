// $metadata and the service document, generated from catalogs. The shipped catalog's
// documents are also checked by third-party tools (see CMakeLists.txt); these tests pin
// the shape and the escaping.
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/odata/csdl.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

using namespace jtgw::odata;

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_table_is_a_keyed_entity_type_and_set) {
    const catalog& cat = testing::shipped_catalog();
    std::string xml = metadata_xml(cat);
    BOOST_TEST(xml.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>", 0) == 0u);
    BOOST_TEST(count(xml, "<EntityType ") == cat.tables.size());
    BOOST_TEST(count(xml, "<Key>") == cat.tables.size());
    BOOST_TEST(count(xml, "<EntitySet ") == cat.tables.size());
    std::size_t columns = 0;
    for (const auto& t : cat.tables) {
        columns += t.columns.size();
        BOOST_TEST(xml.find("<EntitySet Name=\"" + t.name + "\" EntityType=\"Jira." + t.name + "\"/>") != std::string::npos);
    }
    BOOST_TEST(count(xml, "<Property ") == columns);
    BOOST_TEST(xml.find("<PropertyRef Name=\"BoardId\"/>\n          <PropertyRef Name=\"Id\"/>") != std::string::npos);
    BOOST_TEST(xml.find("<Property Name=\"Created\" Type=\"Edm.DateTimeOffset\" Nullable=\"true\"/>") != std::string::npos);
    BOOST_TEST(xml.find("<Property Name=\"Id\" Type=\"Edm.Int64\" Nullable=\"false\"/>") != std::string::npos);
    BOOST_TEST(xml.find("<Property Name=\"DueDate\" Type=\"Edm.Date\" Nullable=\"true\"/>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(descriptions_are_escaped) {
    catalog cat = parse_catalog(R"J({"catalog_version": 1, "namespace": "Jira", "tables": [
      {"name": "Things", "description": "a <b> & \"c\" 'd'\u0001", "key": ["Id"],
       "source": {"endpoint": "/rest/api/2/thing", "paging": "plain_array"},
       "columns": [{"name": "Id", "type": "Edm.Int64", "nullable": false, "description": "x\ny",
                    "source": {"path": "/id"}}]}]})J");
    std::string xml = metadata_xml(cat);
    BOOST_TEST(xml.find("String=\"a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;\"/>") != std::string::npos, xml);
    BOOST_TEST(xml.find("String=\"x&#10;y\"/>") != std::string::npos, xml);
}

BOOST_AUTO_TEST_CASE(service_document_lists_entity_sets) {
    const catalog& cat = testing::shipped_catalog();
    auto doc = boost::json::parse(service_document(cat, "https://gw.example.com/odata/")).as_object();
    BOOST_TEST(doc.at("@odata.context").as_string() == "https://gw.example.com/odata/$metadata");
    const auto& sets = doc.at("value").as_array();
    BOOST_REQUIRE_EQUAL(sets.size(), cat.tables.size());
    for (std::size_t i = 0; i < sets.size(); ++i) {
        BOOST_TEST(sets[i].at("name").as_string() == cat.tables[i].name);
        BOOST_TEST(sets[i].at("kind").as_string() == "EntitySet");
        BOOST_TEST(sets[i].at("url").as_string() == cat.tables[i].name);
    }
}
