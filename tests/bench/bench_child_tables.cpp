// bench_child_tables — a Worklogs export through jtgw's /odata/Worklogs against a
// sequential client that gets the same rows from jira-sample's REST directly (the issue
// search with fields=worklog, then /issue/{id}/worklog for every issue whose embedded
// list Jira cut at 20), in the same run: rows/s of each and their ratio; upstream
// requests per 1,000 rows (counted exactly from jira-sample's access log), split into
// searches and per-issue requests; jtgw's CPU time per row and peak RSS; at each
// injected latency, Cloud and Data Center. Then, on Cloud, Worklogs filtered by Updated
// (the last 1% of the worklogs' time span; at 0 ms also 1% in the middle): jtgw reading
// Jira's worklog feed against a second jtgw whose catalog lacks the feed (it walks the
// issue search), same rows: rows/s, Jira requests by kind, jtgw CPU per row. Prints
// figures, asserts nothing about time.
//
//   bench_child_tables --jtgw BIN --jira-sample BIN --mint-token BIN --catalog tables.json
//                      [--issues 100000 | --data DIR] [--flavor both] [--latency 0,100]
//                      [--odata-page 1000] [--rows-at-latency 40000] [--concurrency 4]
//
// With latency, both clients stop after --rows-at-latency rows (a sequential client
// would need minutes for the whole table); rows/s and requests per 1,000 rows are rates.
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gateway/jira/page_plan.hpp"
#include "gateway/odata/catalog.hpp"
#include "tests/bench/bench_access_log.hpp"
#include "tests/bench/bench_child_filtered.hpp"
#include "tests/bench/bench_children.hpp"
#include "tests/bench/bench_export.hpp"
#include "tests/bench/bench_http_client.hpp"
#include "tests/support/base64.hpp"
#include "tests/support/files.hpp"
#include "tests/support/jira_sample_process.hpp"

namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using jtgw::bench::run_result;
using jtgw::bench::usage_of;
using clock_type = jtgw::bench::export_clock;

// The direct client: the catalog's own search (same JQL, page size and fields), and for
// each issue whose worklog total exceeds what the search embedded, the per-issue listing.
run_result direct_export(const std::string& port, const jtgw::odata::table& worklogs, jtgw::odata::flavor f,
                         const std::string& authorization, std::int64_t row_cap) {
  jtgw::bench::http_client http("127.0.0.1", port);
  const auto& source = worklogs.source[std::size_t(f)];
  const auto& rule = *source.rows->complete;
  const auto fields = jtgw::jira::search_fields(worklogs, f);
  run_result r;
  const auto start = clock_type::now();
  std::optional<jtgw::jira::page_key> key = jtgw::jira::page_key{};
  while (key && (row_cap == 0 || r.rows < row_cap)) {
    const auto body = json::parse(http.get(*jtgw::jira::page_target(source, fields, *key, nullptr), authorization));
    const auto read = jtgw::jira::read_envelope(source, *key, body);
    if (!read.problem.empty()) throw std::runtime_error(read.problem);
    for (const auto& issue : *read.value.items) {
      const auto* embedded = source.rows->each.front().find(issue);
      const auto* total = rule.total.find(issue);
      const std::int64_t shown = embedded && embedded->is_array() ? std::int64_t(embedded->as_array().size()) : 0;
      const std::int64_t all = total && total->is_int64() ? total->as_int64() : shown;
      if (all <= shown) {
        r.rows += shown;
        continue;
      }
      for (std::int64_t at = 0; at < all;) {
        const auto page = json::parse(http.get(*jtgw::jira::completion_target(rule, at, issue), authorization));
        const auto n = std::int64_t(rule.items.find(page)->as_array().size());
        if (n == 0) break;
        r.rows += n;
        at += n;
      }
    }
    key = read.value.next;
  }
  r.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  return r;
}

using jtgw::bench::count_requests;
using jtgw::bench::request_count;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Worklogs export: jtgw /odata/Worklogs vs jira-sample REST directly"};
  std::string jtgw_bin, sample_bin, mint_bin, data_dir, flavors = "both", catalog_file;
  std::vector<long> latencies{0, 100};
  std::int64_t issues = 100'000, rows_at_latency = 40'000;
  int odata_page = 1000, concurrency = 4;
  app.add_option("--jtgw", jtgw_bin)->required();
  app.add_option("--jira-sample", sample_bin)->required();
  app.add_option("--mint-token", mint_bin)->required();
  app.add_option("--catalog", catalog_file)->required();
  app.add_option("--data", data_dir, "dataset directory (default: generate one)");
  app.add_option("--issues", issues, "issues to generate without --data");
  app.add_option("--flavor", flavors, "datacenter, cloud or both");
  app.add_option("--latency", latencies, "injected Jira latencies in ms")->delimiter(',');
  app.add_option("--odata-page", odata_page, "Prefer: odata.maxpagesize for the jtgw client");
  app.add_option("--rows-at-latency", rows_at_latency, "rows each client reads when latency > 0");
  app.add_option("--concurrency", concurrency, "jtgw [odata] completion_concurrency");
  CLI11_PARSE(app, argc, argv);

  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("bench-child-" + std::to_string(rd()));
  fs::create_directories(dir);
  try {
    const auto cat = jtgw::odata::load_catalog_file(catalog_file);
    const auto& table = *cat.find("Worklogs");
    const auto data = jtgw::bench::prepare_dataset(data_dir, dir, sample_bin, issues);
    const auto all = jtgw::bench::widest_user(data);  // the user who sees every project
    const auto [first_update, last_update] = jtgw::bench::worklog_updated_span(data);
    const auto no_feed_catalog = dir / "no-feed.json";
    std::ofstream(no_feed_catalog) << jtgw::bench::catalog_without_feed(catalog_file);
    const auto chosen = jtgw::bench::chosen_flavors(flavors);
    std::printf("%-10s %7s %8s %10s %10s %6s | %9s %9s %9s | %8s %9s\n", "flavor", "latency", "rows", "direct r/s",
                "jtgw r/s", "ratio", "direct/1k", "jtgw/1k", "(search)", "jtgw us", "jtgw RSS");
    std::printf("%-10s %7s %8s %10s %10s %6s | %9s %9s %9s | %8s %9s\n", "", "", "", "", "", "", "requests", "requests",
                "", "CPU/row", "peak KiB");
    for (const auto& flavor : chosen) {
      const bool cloud = flavor == "cloud";
      const auto jira = jtgw::bench::login_of(all, cloud);
      const auto f = cloud ? jtgw::odata::flavor::cloud : jtgw::odata::flavor::datacenter;
      const fs::path store = dir / (flavor + "-store");
      const std::string token = jtgw::bench::run_last_line(
          {mint_bin, "--store", store.string(), "--user", jira.login, "--jira-secret", jira.secret, "--seal-key",
           (dir / "seal.key").string()});
      // The walking jtgw needs a store of its own (RocksDB locks it): the same token.
      const fs::path walk_store = dir / (flavor + "-store-walk");
      fs::copy(store, walk_store, fs::copy_options::recursive);
      for (const long latency : latencies) {
        const auto tag = flavor + "-" + std::to_string(latency);
        jtgw::test_support::jira_sample_process sample(
            data, {"--latency-ms", std::to_string(latency), "--access-log"},
            jtgw::test_support::jira_sample_launch{sample_bin, std::chrono::minutes(10)});
        const auto sample_log = sample.proc().out();
        const auto sample_url = sample.url();
        const auto sample_port = std::to_string(sample.port());
        // A jtgw on this jira-sample (`name` tags its files; `odata` adds [odata] lines): its port.
        auto start_gateway = [&](const std::string& name, const fs::path& tokens, const std::string& odata) {
          const fs::path config = dir / (name + ".toml");
          std::ofstream(config) << "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\n[server]\nthreads = 2\n"
                                << "[store]\npath = \"" << tokens.string() << "\"\n[jira]\nurl = \"" << sample_url
                                << "\"\nflavor = \"" << flavor << "\"\nauth = \"user\"\n[auth]\nseal_key_file = \""
                                << (dir / "seal.key").string() << "\"\n[log]\nlevel = \"info\"\n[odata]\n"
                                << "completion_concurrency = " << concurrency << "\n" << odata;
          return std::make_unique<jtgw::bench::gateway_process>(jtgw_bin, config, dir / (name + "-jtgw.log"));
        };
        const auto gateway = start_gateway(tag, store, "");
        const auto& jtgw_port = gateway->port();
        const std::int64_t cap = latency > 0 ? rows_at_latency : 0;  // 0: every row

        const auto before_direct = jtgw::test_support::read_file(sample_log).size();
        const auto direct = direct_export(sample_port, table, f, jira.authorization, cap);
        const auto before_jtgw = jtgw::test_support::read_file(sample_log).size();
        const auto cpu_before = usage_of(gateway->pid()).cpu_seconds;
        const auto through = jtgw::bench::odata_export(jtgw_port, jtgw::test_support::basic_authorization(jira.login + ":" + token), odata_page, cap,
                                                 "/odata/Worklogs");
        const auto used = usage_of(gateway->pid());
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the access log's last lines
        const auto direct_requests = count_requests(sample_log, before_direct);
        const auto jtgw_requests = count_requests(sample_log, before_jtgw);
        const auto direct_only = request_count{direct_requests.search - jtgw_requests.search,
                                               direct_requests.per_issue - jtgw_requests.per_issue};
        const auto per_k = jtgw::bench::per_thousand;
        std::printf("%-10s %5ldms %8lld %10.0f %10.0f %6.2f | %9.1f %9.1f %9.1f | %8.1f %9ld\n", flavor.c_str(), latency,
                    static_cast<long long>(through.rows), direct.rate(), through.rate(), through.rate() / direct.rate(),
                    per_k(direct_only.total(), direct.rows), per_k(jtgw_requests.total(), through.rows),
                    per_k(jtgw_requests.search, through.rows),
                    through.rows ? 1e6 * (used.cpu_seconds - cpu_before) / double(through.rows) : 0.0, used.peak_kib);
        std::fflush(stdout);
        if (!cloud) continue;

        // Filtered by Updated: the feed (this jtgw) against the issue walk (a jtgw without it).
        const auto walker = start_gateway(tag + "-walk", walk_store, "catalog = \"" + no_feed_catalog.string() + "\"\n");
        const auto& walk_port = walker->port();
        const std::int64_t span = last_update - first_update;
        std::vector<std::pair<std::string, std::string>> cases = {
            {"last 1%", jtgw::bench::filtered_worklogs(last_update - span / 100, std::nullopt)}};
        // In the middle the walk cannot narrow from above: at latency that takes minutes.
        if (latency == 0)
          cases.push_back({"middle 1%", jtgw::bench::filtered_worklogs(first_update + span / 2,
                                                                       first_update + span / 2 + span / 100)});
        for (const auto& [label, target] : cases) {
          std::printf("%-10s %5ldms Worklogs, Updated in the %s:", flavor.c_str(), latency, label.c_str());
          std::int64_t rows[2] = {0, 0};
          double seconds[2] = {0, 0};
          for (int walk = 0; walk < 2; ++walk) {
            const pid_t pid = walk ? walker->pid() : gateway->pid();
            const auto log_at = jtgw::test_support::read_file(sample_log).size();
            const auto cpu_at = usage_of(pid).cpu_seconds;
            const auto got = jtgw::bench::odata_export(walk ? walk_port : jtgw_port,
                                                       jtgw::test_support::basic_authorization(jira.login + ":" + token),
                                                       odata_page, 0, target);
            const auto cpu = usage_of(pid).cpu_seconds - cpu_at;
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            const auto n = count_requests(sample_log, log_at);
            rows[walk] = got.rows;
            seconds[walk] = got.seconds;
            std::printf(" | %s %lld rows %.0f r/s, %lld Jira requests (%lld feed, %lld search, %lld per-issue), %.1f us CPU/row",
                        walk ? "walk" : "feed", static_cast<long long>(got.rows), got.rate(),
                        static_cast<long long>(n.total()), static_cast<long long>(n.feed),
                        static_cast<long long>(n.search), static_cast<long long>(n.per_issue),
                        got.rows ? 1e6 * cpu / double(got.rows) : 0.0);
          }
          std::printf(" | walk/feed time %.1fx%s\n", seconds[0] > 0 ? seconds[1] / seconds[0] : 0.0,
                      rows[0] == rows[1] ? "" : " (ROW COUNTS DIFFER)");
          std::fflush(stdout);
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_child_tables: %s (logs in %s)\n", e.what(), dir.c_str());
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
