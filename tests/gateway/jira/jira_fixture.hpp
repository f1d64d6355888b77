#pragma once
// Shared by the gateway/jira tests: one small dataset served by a real jira-sample, the
// shipped catalog, and a walk of a whole table through table_reader + page_pipeline on
// a real upstream_pool, as the data layer does it for an export.
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/value.hpp>
#include <set>
#include <string>
#include <vector>

#include "gateway/jira/jira_client.hpp"
#include "gateway/jira/table_reader.hpp"
#include "gateway/odata/catalog.hpp"
#include "tests/support/jira_sample_process.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/temp_dir.hpp"

namespace jtgw::jira::test {

using test_support::closed_port;
using test_support::generate_dataset;
using test_support::jira_sample_process;
using test_support::temp_dir;

// The parsed DIR/<name> (a JSON array file), or the JSON lines of a .jsonl file as an array.
boost::json::value read_dataset_file(const std::filesystem::path& dir, const std::string& name);

struct sample_user {
  std::string email, username, account_id, api_token, pat;
  std::vector<std::string> projects;
};

// The dataset's users: the one who sees every project, exactly one, and none.
struct dataset_users {
  sample_user all, one, none;
};
dataset_users pick_users(const std::filesystem::path& data);

// A generated dataset served by one jira-sample, for a whole test file (generation and
// start-up are the slow part; a function-local static keeps one per file).
struct served_dataset {
  served_dataset(std::int64_t issues, std::uint64_t seed);
  temp_dir dir;
  std::unique_ptr<jira_sample_process> server;
  dataset_users users;
};

// The shipped connector-manifest/tables.json.
const odata::catalog& shipped_catalog();

// Cloud: Basic email:api_token; Data Center: Bearer PAT (what the app's identity builder sends).
jira_identity identity_for(const sample_user& u, odata::flavor f);

struct walk_result {
  std::vector<std::string> keys;    // the key columns of every row, joined with '|'
  std::size_t pages = 0;            // Jira pages consumed
  std::size_t fetches = 0;          // fetches the pipeline started
  std::size_t completions = 0;      // per-item requests completing truncated lists
  std::size_t listing_requests = 0; // Cloud searches: id listing pages read
  std::size_t detail_requests = 0;  // Cloud searches: searches by id
  std::size_t most_in_flight = 0;   // the most fetches the pipeline had in flight at once
  std::optional<jira_failure> failure;
};

// Reads the whole table `table` through a pool on `base_url`, as `who` (rows.each tables:
// every row of every listed item, as the OData stream expands them).
walk_result walk_table(const std::string& base_url, const std::string& table, odata::flavor f,
                       const jira_identity& who, retry_policy policy = {},
                       std::size_t search_slots = default_search_slots);

// Runs `body` on a jira_client of a fresh pool on `base_url` until it returns; its result.
template <typename T>
T run_with_client(const std::string& base_url, std::function<net::awaitable<T>(jira_client&)> body) {
  net::io_context ioc;
  proxy::upstream_config upstream;
  upstream.base_url = base_url;
  proxy::upstream_pool pool(ioc.get_executor(), upstream);
  jira_client client(pool);
  auto done = net::co_spawn(ioc, body(client), net::use_future);
  ioc.run();
  return done.get();
}

}  // namespace jtgw::jira::test
