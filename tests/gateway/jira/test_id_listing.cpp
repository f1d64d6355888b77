// id_listing: the two-tier Cloud search's requests, listing and detail envelopes, detail
// batches and their order (pure; no server). The shipped catalog's tables are used.
#include <boost/test/unit_test.hpp>

#include <map>
#include <numeric>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include "gateway/jira/id_listing.hpp"
#include "gateway/jira/jql_narrowing.hpp"
#include "gateway/jira/listing_cache.hpp"
#include "gateway/jira/worklog_feed_items.hpp"
#include "tests/gateway/jira/jira_fixture.hpp"

using namespace jtgw;
using namespace jtgw::jira;
namespace json = boost::json;

namespace {

const odata::catalog& cat() { return jira::test::shipped_catalog(); }

const odata::table& table(const char* name) { return *cat().find(name); }
const odata::table_source& cloud(const char* name) { return table(name).source[std::size_t(odata::flavor::cloud)]; }

// The decoded query parameters of an origin-form target (each name once).
std::map<std::string, std::string> params_of(const std::string& target) {
  std::map<std::string, std::string> out;
  const auto url = boost::urls::parse_origin_form(target);
  BOOST_REQUIRE(url.has_value());
  for (const auto& p : url->params()) {
    BOOST_TEST(out.count(p.key) == 0u, "parameter " << p.key << " twice");
    out[p.key] = p.value;
  }
  return out;
}

std::string catalog_jql(const char* name) {
  for (const auto& [k, v] : cloud(name).query)
    if (k == "jql") return v;
  return {};
}

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (const auto& f : fields) out += (out.empty() ? "" : ",") + f;
  return out;
}

id_listing listing_of(std::int64_t n, std::optional<std::string> next) {
  id_listing l;
  l.ids.resize(std::size_t(n));
  std::iota(l.ids.begin(), l.ids.end(), std::int64_t(10'000));
  l.next_token = std::move(next);
  return l;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_cloud_issue_search_reads_by_id_listing) {
  std::size_t searches = 0;
  for (const auto& t : cat().tables) {
    const auto& s = t.source[std::size_t(odata::flavor::cloud)];
    BOOST_TEST_CONTEXT(t.name) {
      BOOST_TEST(reads_by_id_listing(s) == (s.paging == odata::paging_style::search_jql));
      searches += reads_by_id_listing(s);
      BOOST_TEST(!reads_by_id_listing(t.source[std::size_t(odata::flavor::datacenter)]));
    }
  }
  BOOST_TEST(searches >= 2u);  // Issues and the child tables
}

BOOST_AUTO_TEST_CASE(listing_asks_for_ids_in_the_tables_order_with_the_narrowing) {
  const listing_plan plan(cloud("Changelog"), search_fields(table("Changelog"), odata::flavor::cloud),
                          "updated >= \"2024/01/01 00:00\"");
  auto p = params_of(plan.listing_target(""));
  BOOST_TEST(p.at("fields") == "id");
  BOOST_TEST(p.at("maxResults") == std::to_string(ids_per_listing));
  BOOST_TEST(p.count("nextPageToken") == 0u);
  BOOST_TEST(p.count("expand") == 0u);  // the listing needs no changelog
  const auto base = catalog_jql("Changelog");
  BOOST_TEST(p.at("jql") == and_jql(base, "updated >= \"2024/01/01 00:00\""));
  BOOST_TEST(p.at("jql").find("ORDER BY") != std::string::npos);  // the table's order
  p = params_of(plan.listing_target("tok/en 2"));
  BOOST_TEST(p.at("nextPageToken") == "tok/en 2");
}

BOOST_AUTO_TEST_CASE(detail_asks_for_the_ids_with_the_tables_fields) {
  const auto fields = search_fields(table("Changelog"), odata::flavor::cloud);
  const listing_plan plan(cloud("Changelog"), fields, "updated >= \"2024/01/01 00:00\"");
  const std::vector<std::int64_t> ids{10'003, 10'001, 10'002};
  auto p = params_of(plan.detail_target(ids, ""));
  BOOST_TEST(p.at("jql") == issue_ids_jql(ids));  // the narrowing was the listing's job
  BOOST_TEST(p.at("fields") == joined(fields));
  BOOST_TEST(p.at("expand") == "changelog");
  BOOST_TEST(p.at("maxResults") == std::to_string(issue_ids_per_search));
  BOOST_TEST(p.count("nextPageToken") == 0u);
  p = params_of(plan.detail_target(ids, "more"));
  BOOST_TEST(p.at("nextPageToken") == "more");
}

BOOST_AUTO_TEST_CASE(listing_envelopes) {
  auto r = listing_plan::read_listing(
      json::parse(R"({"issues":[{"id":"10001"},{"id":10002}],"nextPageToken":"t2","isLast":false})"), "");
  BOOST_REQUIRE(r.problem.empty());
  BOOST_TEST((r.value.ids == std::vector<std::int64_t>{10'001, 10'002}));
  BOOST_REQUIRE(r.value.next_token);
  BOOST_TEST(*r.value.next_token == "t2");
  r = listing_plan::read_listing(json::parse(R"({"issues":[{"id":"7"}],"isLast":true})"), "t2");
  BOOST_TEST(r.problem.empty());
  BOOST_TEST(!r.value.next_token);
  // What a 502 is made of: no issues, an issue without an id, a cursor that stands still.
  BOOST_TEST(!listing_plan::read_listing(json::parse(R"({"values":[]})"), "").problem.empty());
  BOOST_TEST(!listing_plan::read_listing(json::parse(R"({"issues":[{"key":"A-1"}],"isLast":true})"), "").problem.empty());
  BOOST_TEST(!listing_plan::read_listing(json::parse(R"({"issues":[{"id":"1"}],"nextPageToken":"t","isLast":false})"), "t")
                  .problem.empty());
  json::array too_many;
  for (std::int64_t i = 0; i <= ids_per_listing; ++i) too_many.push_back(json::object{{"id", std::to_string(i)}});
  BOOST_TEST(!listing_plan::read_listing(json::object{{"issues", too_many}, {"isLast", true}}, "").problem.empty());
}

BOOST_AUTO_TEST_CASE(detail_envelopes_say_when_jira_split_the_answer) {
  auto body = json::parse(R"({"issues":[{"id":"1"}],"nextPageToken":"c2","isLast":false})");
  auto r = listing_plan::read_detail(body, "");
  BOOST_REQUIRE(r.problem.empty());
  BOOST_TEST(r.value.issues->size() == 1u);
  BOOST_TEST(*r.value.continuation == "c2");
  body = json::parse(R"({"issues":[],"isLast":true})");
  r = listing_plan::read_detail(body, "c2");
  BOOST_TEST(r.problem.empty());
  BOOST_TEST(!r.value.continuation);
  body = json::parse(R"({"errorMessages":[]})");
  BOOST_TEST(!listing_plan::read_detail(body, "").problem.empty());
}

BOOST_AUTO_TEST_CASE(detail_pages_cover_every_listed_id_once_in_order) {
  // 250 ids and a next listing page: batches of 100, 100, 50, then the next page's first.
  const auto listing = listing_of(250, "p2");
  std::vector<std::int64_t> seen;
  page_key key{0, 0, "p1", 0};
  std::size_t pages = 0;
  for (std::optional<page_key> k = key; k && k->next_page_token == "p1"; k = detail_after(listing, *k)) {
    const auto ids = detail_ids(listing, k->start_at);
    BOOST_TEST(ids.size() <= issue_ids_per_search);
    seen.insert(seen.end(), ids.begin(), ids.end());
    ++pages;
    key = *k;
  }
  BOOST_TEST(pages == 3u);
  BOOST_TEST(seen == listing.ids);
  const auto after_last = detail_after(listing, key);
  BOOST_REQUIRE(after_last);
  BOOST_TEST(after_last->next_page_token == "p2");
  BOOST_TEST(after_last->start_at == 0);
  // The last listing page ends the table; a position past its end (the listing shrank
  // since a token was issued) has no ids and goes on to the next page.
  BOOST_TEST(!detail_after(listing_of(250, std::nullopt), page_key{0, 200, "p1", 0}));
  BOOST_TEST(detail_ids(listing, 250).empty());
  BOOST_TEST(detail_after(listing, page_key{0, 300, "p1", 0})->next_page_token == "p2");
  BOOST_TEST(detail_ids(listing_of(0, std::nullopt), 0).empty());
}

BOOST_AUTO_TEST_CASE(detail_issues_come_back_in_listing_order) {
  const std::vector<std::int64_t> asked{30, 10, 20, 40};
  // Jira's answer in its own order, without issue 20 (deleted since the listing).
  auto returned = json::parse(R"([{"id":"40","k":"d"},{"id":"10","k":"b"},{"id":30,"k":"a"}])").as_array();
  json::array out;
  std::vector<std::size_t> placed;
  BOOST_TEST(in_listing_order(returned, asked, out, placed).empty());
  BOOST_TEST(json::serialize(out) == R"([{"id":30,"k":"a"},{"id":"10","k":"b"},{"id":"40","k":"d"}])");
  BOOST_TEST((placed == std::vector<std::size_t>{0, 1, 3}));  // 20 (index 2) vanished
}

BOOST_AUTO_TEST_CASE(detail_answers_not_asked_for_are_problems) {
  const std::vector<std::int64_t> asked{1, 2};
  for (const char* text : {R"([{"id":"1"},{"id":"3"}])", R"([{"id":"1"},{"id":"1"}])", R"([{"key":"A-1"}])"}) {
    BOOST_TEST_CONTEXT(text) {
      auto returned = json::parse(text).as_array();
      json::array out;
      std::vector<std::size_t> placed;
      BOOST_TEST(!in_listing_order(returned, asked, out, placed).empty());
      BOOST_TEST(out.empty());  // nothing placed from a wrong answer
      BOOST_TEST(placed.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(ids_jira_names_as_missing) {
  const std::vector<std::int64_t> asked{10'001, 10'002, 10'003};
  const std::string text = "Jira answered 400: An issue with key '10002' does not exist for field 'id'.";
  BOOST_TEST((ids_named(text, asked) == std::vector<std::int64_t>{10'002}));
  BOOST_TEST((ids_named("'10003' and '10001' and '10003' and '99'", asked) == std::vector<std::int64_t>{10'003, 10'001}));
  // A refusal that names none of them (another reason) names nothing: it stays an error.
  BOOST_TEST(ids_named("Jira answered 400: Field 'summry' does not exist", asked).empty());
  BOOST_TEST(ids_named("Jira answered 400: '10002", asked).empty());  // cut short
  BOOST_TEST(ids_named("", asked).empty());
}

BOOST_AUTO_TEST_CASE(listing_cache_keeps_pages_per_user_and_target_for_a_while) {
  using namespace std::chrono_literals;
  listing_cache cache(2, 120s);
  const auto t0 = listing_cache::clock::time_point{} + 1h;
  auto page = [](std::int64_t n) { return std::make_shared<const id_listing>(listing_of(n, std::nullopt)); };
  cache.put("ada", "/search?a", page(1), t0);
  BOOST_REQUIRE(cache.find("ada", "/search?a", t0 + 119s));
  BOOST_TEST(cache.find("ada", "/search?a", t0 + 119s)->ids.size() == 1u);
  BOOST_TEST(!cache.find("grace", "/search?a", t0));  // another user's page is not hers
  BOOST_TEST(!cache.find("ada", "/search?b", t0));
  BOOST_TEST(!cache.find("ada", "/search?a", t0 + 120s));  // expired, and dropped
  BOOST_TEST(cache.size() == 0u);
  // At capacity the least recently used goes.
  cache.put("ada", "/1", page(1), t0);
  cache.put("ada", "/2", page(2), t0 + 1s);
  BOOST_TEST(cache.find("ada", "/1", t0 + 2s));  // /1 used after /2 was stored
  cache.put("ada", "/3", page(3), t0 + 3s);
  BOOST_TEST(cache.size() == 2u);
  BOOST_TEST(cache.find("ada", "/1", t0 + 4s));
  BOOST_TEST(!cache.find("ada", "/2", t0 + 4s));
  BOOST_TEST(cache.find("ada", "/3", t0 + 4s)->ids.size() == 3u);
  // Putting the same key again replaces it.
  cache.put("ada", "/3", page(4), t0 + 5s);
  BOOST_TEST(cache.find("ada", "/3", t0 + 5s)->ids.size() == 4u);
  BOOST_TEST(cache.size() == 2u);
}
