// 256 MiB through the relay: the client gets every byte and the process's peak resident
// memory grows by less than 32 MiB (bodies stream through fixed buffers).
#include "tests/gateway/proxy/relay_support.hpp"

#include <boost/test/unit_test.hpp>

namespace {

using namespace jtgw;
using namespace jtgw::proxy;
using namespace jtgw::proxy::test;

constexpr std::uint64_t body_bytes = 256ull * 1024 * 1024;
constexpr std::size_t max_growth_kib = 32 * 1024;

BOOST_AUTO_TEST_CASE(a_256_mib_body_streams_in_bounded_memory) {
  relay_setup setup;
  // Warm up: first connections, allocator arenas, TLS-free code paths all touched once.
  BOOST_REQUIRE_EQUAL(curl("", setup.gateway->url("/rest/api/3/myself")).status, 200u);
  const std::size_t before = peak_rss_kib();
  for (const std::string framing : {"chunked", "length"}) {
    const auto run = run_command(curl_base() + "--max-time 300 -o /dev/null -w '%{http_code} %{size_download}' '" +
                                 setup.gateway->url("/rest/api/3/stream?bytes=" + std::to_string(body_bytes) +
                                                    "&framing=" + framing) +
                                 "'");
    BOOST_TEST(run.exit_code == 0);
    BOOST_TEST(run.output == "200 " + std::to_string(body_bytes), framing << ": " << run.output);
  }
  const std::size_t after = peak_rss_kib();
  BOOST_TEST_MESSAGE("peak RSS before " << before << " KiB, after " << after << " KiB");
  BOOST_TEST(after - before < max_growth_kib);
}

}  // namespace
