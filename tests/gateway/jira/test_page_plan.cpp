// page_plan: request targets and envelope rules per paging style (pure; no server).
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <memory>

#include <boost/json/parse.hpp>

#include "gateway/jira/page_plan.hpp"

using namespace jtgw;
using namespace jtgw::jira;
namespace json = boost::json;

namespace {

const odata::catalog& cat() {
  static const odata::catalog c =
      odata::load_catalog_file(std::filesystem::path(std::getenv("JTGW_SOURCE_DIR")) / "connector-manifest/tables.json");
  return c;
}

const odata::table_source& source(const char* table, odata::flavor f) { return cat().find(table)->source[std::size_t(f)]; }

// Keeps the parsed body alive next to the envelope that points into it.
// (On the heap: the envelope points into it, so it must not move.)
struct read_result {
  std::unique_ptr<json::value> body;
  envelope_result r;
};
read_result read(const char* table, odata::flavor f, const page_key& key, std::string_view text) {
  read_result out{std::make_unique<json::value>(json::parse(text)), {}};
  out.r = read_envelope(source(table, f), key, *out.body);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(search_fields_name_each_field_once) {
  const auto fields = search_fields(*cat().find("Issues"), odata::flavor::cloud);
  BOOST_TEST(std::count(fields.begin(), fields.end(), "status") == 1);
  BOOST_TEST(std::count(fields.begin(), fields.end(), "fixVersions") == 1);
  BOOST_TEST(std::count(fields.begin(), fields.end(), "id") == 0);  // /id is not under /fields/
  BOOST_TEST(search_fields(*cat().find("Projects"), odata::flavor::cloud).empty());
}

BOOST_AUTO_TEST_CASE(targets_per_style) {
  const auto cloud = page_target(source("Issues", odata::flavor::cloud), {"summary", "status"},
                                 page_key{0, 0, "tok en"}, nullptr);
  BOOST_REQUIRE(cloud);
  BOOST_TEST(cloud->starts_with("/rest/api/3/search/jql?jql="));
  BOOST_TEST(cloud->find("nextPageToken=tok%20en") != std::string::npos);
  BOOST_TEST(cloud->find("maxResults=100") != std::string::npos);
  BOOST_TEST(cloud->find("fields=summary,status") != std::string::npos);
  BOOST_TEST(cloud->find("startAt") == std::string::npos);

  const auto dc = page_target(source("Issues", odata::flavor::datacenter), {"summary"}, page_key{0, 200, {}}, nullptr);
  BOOST_REQUIRE(dc);
  BOOST_TEST(dc->find("startAt=200") != std::string::npos);

  const auto plain = page_target(source("Fields", odata::flavor::cloud), {}, page_key{}, nullptr);
  BOOST_TEST(*plain == "/rest/api/3/field");

  // Per-parent: the placeholder comes from the parent row, encoded as a path segment.
  const auto parent = json::parse(R"({"key":"A B/C","id":"10"})");
  const auto versions = page_target(source("Versions", odata::flavor::datacenter), {}, page_key{}, &parent);
  BOOST_TEST(*versions == "/rest/api/2/project/A%20B%2FC/versions");
  const auto board = json::parse(R"({"id":7})");
  const auto sprints = page_target(source("Sprints", odata::flavor::cloud), {}, page_key{0, 50, {}}, &board);
  BOOST_TEST(*sprints == "/rest/agile/1.0/board/7/sprint?startAt=50&maxResults=50");
  const auto no_key = json::parse(R"({"id":"10"})");
  BOOST_TEST(!page_target(source("Versions", odata::flavor::cloud), {}, page_key{}, &no_key));
}

BOOST_AUTO_TEST_CASE(search_jql_follows_the_token_until_last) {
  const auto c = odata::flavor::cloud;
  auto x = read("Issues", c, {}, R"({"issues":[{},{}],"nextPageToken":"t2","isLast":false})");
  BOOST_TEST(x.r.problem.empty());
  BOOST_TEST(x.r.value.items->size() == 2u);
  BOOST_REQUIRE(x.r.value.next);
  BOOST_TEST(x.r.value.next->next_page_token == "t2");
  x = read("Issues", c, {0, 0, "t2"}, R"({"issues":[{}],"isLast":true})");
  BOOST_TEST(!x.r.value.next);
  x = read("Issues", c, {0, 0, "t2"}, R"({"issues":[{}],"nextPageToken":"t2","isLast":false})");
  BOOST_TEST(!x.r.problem.empty());  // a cursor that does not advance would loop forever
  x = read("Issues", c, {}, R"({"values":[]})");
  BOOST_TEST(!x.r.problem.empty());
}

BOOST_AUTO_TEST_CASE(offset_styles_end_where_jira_says) {
  const auto d = odata::flavor::datacenter;
  auto x = read("Issues", d, {0, 100, {}}, R"({"startAt":100,"maxResults":100,"total":150,"issues":[{},{}]})");
  BOOST_REQUIRE(x.r.value.next);
  BOOST_TEST(x.r.value.next->start_at == 102);
  x = read("Issues", d, {0, 148, {}}, R"({"startAt":148,"total":150,"issues":[{},{}]})");
  BOOST_TEST(!x.r.value.next);
  x = read("Issues", d, {}, R"({"issues":[]})");
  BOOST_TEST(!x.r.problem.empty());  // no total

  // page_bean / agile: isLast decides.
  x = read("Projects", odata::flavor::cloud, {}, R"({"isLast":false,"values":[{}]})");
  BOOST_TEST(x.r.value.next->start_at == 1);
  x = read("Boards", d, {}, R"({"isLast":true,"values":[{}]})");
  BOOST_TEST(!x.r.value.next);

  // startat_array: short pages continue; only an empty page ends.
  x = read("Users", d, {0, 10, {}}, R"([{},{}])");
  BOOST_TEST(x.r.value.next->start_at == 12);
  x = read("Users", d, {0, 12, {}}, R"([])");
  BOOST_TEST(!x.r.value.next);
  x = read("Users", d, {}, R"({"values":[]})");
  BOOST_TEST(!x.r.problem.empty());

  // plain arrays are one page.
  x = read("Fields", d, {}, R"([{},{}])");
  BOOST_TEST(!x.r.value.next);
}

BOOST_AUTO_TEST_CASE(predictions) {
  BOOST_TEST(!predicted_next(source("Issues", odata::flavor::cloud), {}));
  BOOST_TEST(predicted_next(source("Issues", odata::flavor::datacenter), {0, 100, {}})->start_at == 200);
  BOOST_TEST(!predicted_next(source("Fields", odata::flavor::cloud), {}));
  BOOST_TEST(!predicted_next(source("Users", odata::flavor::cloud), {}));
  BOOST_TEST(predicted_next(source("Boards", odata::flavor::cloud), {0, 50, {}})->start_at == 100);
}
