// bench_odata — an Issues export through jtgw's /odata/Issues against paging jira-sample's
// REST directly with the same Jira page size, in the same run: rows/s of each and their
// ratio, at 0 ms and at --latency-ms injected Jira latency; Jira requests per 1,000 rows
// of each path (jira-sample's access log); and jtgw's peak RSS. Prints
// figures, asserts nothing about time (tests/bench rule).
//
//   bench_odata --jtgw BIN [--jtgw BIN2 ...] --jira-sample BIN --mint-token BIN --catalog tables.json
//               [--data DIR | --issues N] [--flavor datacenter|cloud|both]
//               [--latency 0,100] [--odata-page 1000] [--rows-at-latency 20000]
//               [--sample-url URL]   (a jira-sample already serving --data: for profiling)
//
// Both clients are sequential and parse every response body with Boost.JSON, as an
// extract does; jtgw's data layer pages Jira with the catalog's page size (100) and all
// catalog columns, and the direct client asks Jira for the same page size and fields.
//
// The dataset is generated once, and jira-sample (which pre-renders every issue for both
// API flavors: the slow part, minutes for 100k issues) starts once per latency and serves
// both flavors; only the exports are timed. At a non-zero latency both clients are
// latency-bound (1,000 sequential pages at 100 ms take 100 s), so there both stop after
// --rows-at-latency rows (0: the whole table), which keeps a full run to a few minutes.
// CPU figures (user+system microseconds per row of each path: direct = the client and
// jira-sample, via = the client, jtgw and jira-sample) depend far less on the machine's
// load than rows/s. "cpu r" is direct/via: what the rows/s ratio tends to when every core
// is busy anyway (a loaded machine), so that the processes of a path gain nothing from
// running side by side. jira-sample's share is only counted when the bench started it.
// Each --jtgw binary (numbered in the output from 1) is measured against the same direct
// run, so builds compare in one invocation, on one jira-sample and one load.
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/dynamic_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gateway/jira/page_plan.hpp"
#include "gateway/odata/catalog.hpp"
#include "tests/bench/bench_access_log.hpp"
#include "tests/bench/bench_children.hpp"
#include "tests/bench/bench_export.hpp"
#include "tests/bench/bench_http_client.hpp"
#include "tests/support/base64.hpp"
#include "tests/support/jira_sample_process.hpp"

namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace json = boost::json;
using jtgw::bench::run_result;
using jtgw::bench::thread_cpu_seconds;
using clock_type = jtgw::bench::export_clock;

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// Pages jira-sample's Issues search directly, as a sequential REST client would.
run_result direct_export(const std::string& port, const jtgw::odata::table& issues, jtgw::odata::flavor f,
                         const std::string& authorization, std::int64_t row_limit) {
  jtgw::bench::http_client http("127.0.0.1", port);
  const auto& source = issues.source[std::size_t(f)];
  const auto fields = jtgw::jira::search_fields(issues, f);
  run_result r;
  const auto start = clock_type::now();
  const double cpu_start = thread_cpu_seconds();
  std::optional<jtgw::jira::page_key> key = jtgw::jira::page_key{};
  while (key && (row_limit == 0 || r.rows < row_limit)) {
    const auto body = json::parse(http.get(*jtgw::jira::page_target(source, fields, *key, nullptr), authorization));
    const auto read = jtgw::jira::read_envelope(source, *key, body);
    if (!read.problem.empty()) throw std::runtime_error(read.problem);
    r.rows += std::int64_t(read.value.items->size());
    key = read.value.next;
  }
  r.seconds = std::chrono::duration<double>(clock_type::now() - start).count();
  r.client_cpu = thread_cpu_seconds() - cpu_start;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Issues export: jtgw /odata vs jira-sample REST directly"};
  std::vector<std::string> jtgw_bins;
  std::string sample_bin, mint_bin, data_dir, flavors = "both", catalog_file;
  std::vector<long> latencies{0, 100};
  std::int64_t issues = 100'000;
  int odata_page = 1000;
  std::int64_t rows_at_latency = 20'000;
  std::string running_sample;
  app.add_option("--jtgw", jtgw_bins, "jtgw binary; repeat it to compare builds (e.g. before/after) in one run")
      ->required();
  app.add_option("--jira-sample", sample_bin)->required();
  app.add_option("--mint-token", mint_bin)->required();
  app.add_option("--catalog", catalog_file)->required();
  app.add_option("--data", data_dir, "dataset directory (default: generate one)");
  app.add_option("--issues", issues, "issues to generate without --data");
  app.add_option("--flavor", flavors, "datacenter, cloud or both");
  app.add_option("--latency", latencies, "injected Jira latencies in ms")->delimiter(',');
  app.add_option("--odata-page", odata_page, "Prefer: odata.maxpagesize for the jtgw client");
  app.add_option("--sample-url", running_sample,
                 "a running jira-sample serving --data (http://127.0.0.1:PORT, started with the one --latency given)");
  app.add_option("--rows-at-latency", rows_at_latency, "rows each client exports at a non-zero latency (0: all)");
  CLI11_PARSE(app, argc, argv);

  std::random_device rd;
  const fs::path dir = fs::temp_directory_path() / ("bench-odata-" + std::to_string(rd()));
  fs::create_directories(dir);
  try {
    const auto cat = jtgw::odata::load_catalog_file(catalog_file);
    const auto& table = *cat.find("Issues");
    const auto data = jtgw::bench::prepare_dataset(data_dir, dir, sample_bin, issues);
    const auto all = jtgw::bench::widest_user(data);  // the user who sees every project
    const auto chosen = jtgw::bench::chosen_flavors(flavors);
    std::vector<std::string> tokens;
    for (const auto& flavor : chosen) {
      const auto jira = jtgw::bench::login_of(all, flavor == "cloud");
      tokens.push_back(jtgw::bench::run_last_line({mint_bin, "--store", (dir / (flavor + "-store")).string(), "--user",
                                                   jira.login, "--jira-secret", jira.secret, "--seal-key",
                                                   (dir / "seal.key").string()}));
    }

    // cpu us/row (user+system, all processes of the path, so load does not skew it):
    // direct = client + jira-sample; via = client + jtgw + jira-sample; jtgw = jtgw alone.
    // req/1k: Jira requests per 1,000 rows, from jira-sample's access log (when the bench
    // started it).
    std::printf("%-10s %8s %4s %9s %10s %10s %6s %10s %10s %9s %6s %8s %8s %14s  %s\n", "flavor", "latency", "jtgw",
                "rows", "direct r/s", "jtgw r/s", "ratio", "cpu direct", "cpu via", "cpu jtgw", "cpu r", "req/1k d",
                "req/1k j", "jtgw peak RSS", "load 1/5/15");
    for (const long latency : latencies) {
      if (running_sample.empty())
        std::printf("(starting jira-sample at %ld ms: it pre-renders every issue for both flavors)\n", latency);
      std::fflush(stdout);
      std::unique_ptr<jtgw::test_support::jira_sample_process> sample;
      std::string sample_url = running_sample;
      if (sample_url.empty()) {
        sample = std::make_unique<jtgw::test_support::jira_sample_process>(
            data, std::vector<std::string>{"--latency-ms", std::to_string(latency), "--access-log"},
            jtgw::test_support::jira_sample_launch{sample_bin, std::chrono::minutes(30)});
        sample_url = sample->url();
      }
      const auto sample_port = sample_url.substr(sample_url.rfind(':') + 1);
      const std::int64_t row_limit = latency > 0 ? rows_at_latency : 0;
      for (std::size_t k = 0; k < chosen.size(); ++k) {
        const auto& flavor = chosen[k];
        const bool cloud = flavor == "cloud";
        const auto jira = jtgw::bench::login_of(all, cloud);
        const auto f = cloud ? jtgw::odata::flavor::cloud : jtgw::odata::flavor::datacenter;
        // jira-sample's CPU is known when this run started it (not with --sample-url).
        auto sample_cpu = [&] { return sample ? jtgw::bench::usage_of(sample->pid()).cpu_seconds : 0.0; };
        const fs::path sample_log = sample ? sample->proc().out() : fs::path();
        // Requests since `from` (bytes of the log), once the log has its last lines.
        auto requests_since = [&](std::size_t from) -> std::int64_t {
          if (!sample) return 0;
          std::this_thread::sleep_for(std::chrono::milliseconds(300));
          return jtgw::bench::count_requests(sample_log, from).total();
        };
        auto log_size = [&] { return sample ? std::size_t(fs::file_size(sample_log)) : std::size_t(0); };
        double sample_before = sample_cpu();
        const auto direct_from = log_size();
        const auto direct = direct_export(sample_port, table, f, jira.authorization, row_limit);
        const double direct_sample_cpu = sample_cpu() - sample_before;
        const double direct_cpu_row = (direct.client_cpu + direct_sample_cpu) * 1e6 / double(std::max<std::int64_t>(direct.rows, 1));
        const double direct_per_k = jtgw::bench::per_thousand(requests_since(direct_from), direct.rows);
        for (std::size_t b = 0; b < jtgw_bins.size(); ++b) {
          const auto run_tag = flavor + "-" + std::to_string(latency) + "-" + std::to_string(b + 1);
          const fs::path config = dir / (run_tag + ".toml");
          std::ofstream(config) << "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\n[server]\nthreads = 2\n"
                                << "[store]\npath = \"" << (dir / (flavor + "-store")).string()
                                << "\"\n[jira]\nurl = \"" << sample_url << "\"\nflavor = \"" << flavor
                                << "\"\nauth = \"user\"\n[auth]\nseal_key_file = \"" << (dir / "seal.key").string()
                                << "\"\n[log]\nlevel = \"info\"\n";
          const jtgw::bench::gateway_process gateway(jtgw_bins[b], config, dir / (run_tag + "-jtgw.log"));
          const auto& jtgw_port = gateway.port();
          const double cpu_before = jtgw::bench::usage_of(gateway.pid()).cpu_seconds;
          sample_before = sample_cpu();
          const auto through_from = log_size();
          const auto through = jtgw::bench::odata_export(jtgw_port, jtgw::test_support::basic_authorization(jira.login + ":" + tokens[k]), odata_page, row_limit, "/odata/Issues");
          const double jtgw_cpu = jtgw::bench::usage_of(gateway.pid()).cpu_seconds - cpu_before;
          const double rows = double(std::max<std::int64_t>(through.rows, 1));
          const double via_cpu_row = (through.client_cpu + jtgw_cpu + sample_cpu() - sample_before) * 1e6 / rows;
          const double through_per_k = jtgw::bench::per_thousand(requests_since(through_from), through.rows);
          if (through.rows != direct.rows)
            std::printf("WARNING: jtgw sent %lld rows, Jira %lld\n", static_cast<long long>(through.rows),
                        static_cast<long long>(direct.rows));
          std::printf("%-10s %6ldms %4zu %9lld %10.0f %10.0f %6.2f %10.1f %10.1f %9.1f %6.2f %8.1f %8.1f %10ld KiB  %s\n",
                      flavor.c_str(), latency, b + 1, static_cast<long long>(direct.rows), direct.rate(), through.rate(),
                      through.rate() / direct.rate(), direct_cpu_row, via_cpu_row, jtgw_cpu * 1e6 / rows,
                      direct_cpu_row / via_cpu_row, direct_per_k, through_per_k, jtgw::bench::usage_of(gateway.pid()).peak_kib,
                      load_average().c_str());
          std::fflush(stdout);
        }
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_odata: %s (logs in %s)\n", e.what(), dir.c_str());
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
