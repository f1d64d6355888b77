// The .tds download: derived from the shipped connector-manifest/jira.tds (embedded).
#include "gateway/portal/assets.hpp"
#include "gateway/portal/tableau_tds.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::portal;

BOOST_AUTO_TEST_SUITE(portal_tableau_tds)

BOOST_AUTO_TEST_CASE(the_shipped_template_is_embedded_and_filled_in) {
  const asset* shipped = find_asset("jira.tds");
  BOOST_TEST_REQUIRE(shipped != nullptr);
  const auto tds = tableau_tds(shipped->bytes, "https://gw.example:8443/odata/", "alice@example.com");
  BOOST_TEST_REQUIRE(tds.has_value());
  BOOST_TEST(tds->find("server='https://gw.example:8443/odata/'") != std::string::npos);
  BOOST_TEST(tds->find("username='alice@example.com'") != std::string::npos);
  BOOST_TEST(tds->find("class='odata'") != std::string::npos);
  BOOST_TEST(tds->find(tds_server_placeholder) == std::string::npos);
  BOOST_TEST(tds->find(tds_username_placeholder) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(values_are_xml_escaped) {
  const std::string templ = "<c server='https://GATEWAY/odata/' username='YOUR_JIRA_USERNAME' />";
  const auto tds = tableau_tds(templ, "http://h/odata/", "o'brien&<x>\"");
  BOOST_TEST_REQUIRE(tds.has_value());
  BOOST_TEST(*tds == "<c server='http://h/odata/' username='o&apos;brien&amp;&lt;x&gt;&quot;' />");
}

BOOST_AUTO_TEST_CASE(a_template_without_placeholders_gives_no_file) {
  BOOST_TEST(!tableau_tds("<c server='https://GATEWAY/odata/' />", "u", "n").has_value());
  BOOST_TEST(!tableau_tds("<c username='YOUR_JIRA_USERNAME' />", "u", "n").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
