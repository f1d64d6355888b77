#include "tests/gateway/jira/jira_fixture.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/jira/prefetch.hpp"
#include "gateway/jira/table_reader.hpp"
#include "gateway/odata/row_extract.hpp"

namespace jtgw::jira::test {

namespace json = boost::json;

json::value read_dataset_file(const std::filesystem::path& dir, const std::string& name) {
  std::ifstream in(dir / name, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << (dir / name));
  if (name.ends_with(".jsonl")) {
    json::array rows;
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) rows.push_back(json::parse(line));
    return rows;
  }
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

dataset_users pick_users(const std::filesystem::path& data) {
  const auto users = read_dataset_file(data, "users.json").as_array();
  const auto projects = read_dataset_file(data, "projects.json").as_array().size();
  dataset_users out;
  bool have_all = false, have_one = false, have_none = false;
  for (const auto& v : users) {
    sample_user u;
    const auto& o = v.as_object();
    u.email = o.at("email").as_string().c_str();
    u.username = o.at("username").as_string().c_str();
    u.account_id = o.at("account_id").as_string().c_str();
    u.api_token = o.at("api_token").as_string().c_str();
    u.pat = o.at("pat").as_string().c_str();
    for (const auto& p : o.at("projects").as_array()) u.projects.emplace_back(p.as_string().c_str());
    if (!have_all && u.projects.size() == projects) out.all = u, have_all = true;
    else if (!have_one && u.projects.size() == 1) out.one = u, have_one = true;
    else if (!have_none && u.projects.empty()) out.none = u, have_none = true;
  }
  BOOST_REQUIRE_MESSAGE(have_all && have_one && have_none, "the dataset lacks the three kinds of user");
  return out;
}

served_dataset::served_dataset(std::int64_t issues, std::uint64_t seed) {
  generate_dataset(dir.path(), issues, seed);
  server = std::make_unique<jira_sample_process>(dir.path());
  users = pick_users(dir.path());
}

const odata::catalog& shipped_catalog() {
  static const odata::catalog cat =
      odata::load_catalog_file(std::filesystem::path(std::getenv("JTGW_SOURCE_DIR")) / "connector-manifest/tables.json");
  return cat;
}

jira_identity identity_for(const sample_user& u, odata::flavor f) {
  if (f == odata::flavor::cloud) return {proxy::upstream_credential::basic(u.email, u.api_token), {}, "test"};
  return {proxy::upstream_credential::bearer(u.pat), {}, "test"};
}

walk_result walk_table(const std::string& base_url, const std::string& table, odata::flavor f,
                       const jira_identity& who, retry_policy policy, std::size_t search_slots) {
  const auto& cat = shipped_catalog();
  const auto* t = cat.find(table);
  BOOST_REQUIRE(t != nullptr);
  net::io_context ioc;
  proxy::upstream_config upstream;
  upstream.base_url = base_url;
  proxy::upstream_pool pool(ioc.get_executor(), upstream);
  jira_client client(pool, policy);
  walk_result out;
  auto walk = [&]() -> net::awaitable<void> {
    auto reader = std::make_shared<table_reader>(client, cat, *t, f, who, nullptr, std::string{},
                                                 default_completion_slots, search_slots);
    const page_key first{};
    if (auto opened = co_await reader->open(first); !opened) {
      out.failure = opened.error();
      co_return;
    }
    page_pipeline pipeline(reader, co_await net::this_coro::executor);
    odata::row row;
    std::optional<page_key> key = first;
    while (key) {
      // A whole table: every page after this one is wanted (as many as the reader allows).
      auto page = co_await pipeline.take(*key, SIZE_MAX);
      if (!page) {
        out.failure = page.error();
        break;
      }
      if ((*page)->next) pipeline.prefetch(*(*page)->next, SIZE_MAX);
      ++out.pages;
      for (const auto& item : *(*page)->items) {
        odata::item_rows walker(t->source[std::size_t(f)], item, (*page)->parent);
        while (walker.next()) {
          odata::extract_row(*t, f, walker.scope(), row);
          std::string joined;
          for (auto k : t->key) {
            const auto& c = row[k];
            if (!joined.empty()) joined += '|';
            if (const auto* s = std::get_if<std::string>(&c)) joined += *s;
            else if (const auto* n = std::get_if<std::int64_t>(&c)) joined += std::to_string(*n);
            else joined += "<null>";
          }
          out.keys.push_back(std::move(joined));
        }
      }
      key = (*page)->next;
    }
    out.fetches = pipeline.fetches_started();
    out.completions = reader->completion_requests();
    out.listing_requests = reader->listing_requests();
    out.detail_requests = reader->detail_requests();
    out.most_in_flight = pipeline.most_in_flight();
  };
  auto done = net::co_spawn(net::make_strand(ioc), walk(), net::use_future);
  ioc.run();
  done.get();
  return out;
}

}  // namespace jtgw::jira::test
