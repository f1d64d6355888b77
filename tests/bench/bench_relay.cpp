// bench_relay — 256 MiB through the relay vs straight from the upstream, same run.
// Prints MB/s for each path (median of --runs), the ratio relay/direct, and the process's
// peak RSS growth. Client: real curl to /dev/null; upstream: the test peer on the server
// core. Both the relay and the peer live in this process (the peer's cost is in both runs).
// Run by hand: ./bench_relay [-- --runs N --mib M]
#include "tests/gateway/proxy/relay_support.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <vector>

namespace {

using namespace jtgw;
using namespace jtgw::proxy;
using namespace jtgw::proxy::test;

int option(const char* name, int fallback) {
  auto& master = boost::unit_test::framework::master_test_suite();
  for (int i = 1; i + 1 < master.argc; ++i)
    if (std::string(master.argv[i]) == name) return std::atoi(master.argv[i + 1]);
  return fallback;
}

// Seconds curl needed to download `url` to /dev/null; checks the size.
double fetch_seconds(const std::string& url, std::uint64_t bytes) {
  const auto run = run_command("curl -sS --max-time 600 -o /dev/null -w '%{size_download} %{time_total}' '" + url + "'");
  unsigned long long got = 0;
  double seconds = 0;
  std::sscanf(run.output.c_str(), "%llu %lf", &got, &seconds);
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0 && got == bytes, "download failed: " << run.output);
  return seconds;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

BOOST_AUTO_TEST_CASE(bench_relay_256_mib) {
  const int runs = option("--runs", 5);
  const std::uint64_t bytes = static_cast<std::uint64_t>(option("--mib", 256)) * 1024 * 1024;
  relay_setup setup;
  const std::string query = "/rest/api/3/stream?bytes=" + std::to_string(bytes) + "&framing=chunked";
  const std::string direct_url = url_of(setup.peer_endpoint, false, "/jira" + query);
  const std::string relay_url = setup.gateway->url(query);

  fetch_seconds(relay_url, bytes);  // warm-up: connections, pages, caches
  const std::size_t rss_before = peak_rss_kib();
  std::vector<double> direct, relayed;
  for (int i = 0; i < runs; ++i) {  // interleaved, so machine noise hits both alike
    direct.push_back(fetch_seconds(direct_url, bytes));
    relayed.push_back(fetch_seconds(relay_url, bytes));
  }
  const std::size_t rss_after = peak_rss_kib();
  const double mib = static_cast<double>(bytes) / (1024.0 * 1024.0);
  const double direct_rate = mib / median(direct);
  const double relay_rate = mib / median(relayed);
  std::cout << "bench_relay: " << mib << " MiB chunked, " << runs << " runs each, median\n"
            << "  direct  " << direct_rate << " MiB/s\n"
            << "  relay   " << relay_rate << " MiB/s\n"
            << "  ratio   " << relay_rate / direct_rate << " (relay / direct)\n"
            << "  peak RSS " << rss_before / 1024.0 << " MiB before, " << rss_after / 1024.0
            << " MiB after (growth " << (rss_after - rss_before) / 1024.0 << " MiB)\n";
}

}  // namespace
