// The store's policy cache (storage/policy_cache.hpp): what a read sees while, after and
// before writes. The store-level behaviour is in policy_audit_test.cpp.
#include "storage/policy_cache.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

using namespace jtgw::storage;
using jtgw::storage::detail::policy_cache;
using jtgw::storage::testing::at_ms;

BOOST_AUTO_TEST_SUITE(storage_policy_cache)

BOOST_AUTO_TEST_CASE(holds_nothing_a_policy_or_none) {
  policy_cache cache;
  BOOST_TEST(!cache.load().has_value());  // never read: the caller asks the store
  cache.store(std::nullopt);
  BOOST_TEST_REQUIRE(cache.load().has_value());
  BOOST_TEST(!cache.load()->has_value());  // read: no policy is set
  cache.store(lifetime_policy{30, at_ms(1234)});
  const auto policy = cache.load().value();
  BOOST_TEST_REQUIRE(policy.has_value());
  BOOST_TEST(policy->max_days == 30u);
  BOOST_TEST((policy->set_at == at_ms(1234)));
  cache.forget();
  BOOST_TEST(!cache.load().has_value());
}

// Reads race writes on another thread: each sees a whole policy (before or after a
// write; every policy written has set_at = max_days ms) or nothing, never half of each.
BOOST_AUTO_TEST_CASE(reads_racing_writes_never_see_half_a_policy) {
  policy_cache cache;
  cache.store(lifetime_policy{1, at_ms(1)});
  constexpr std::uint64_t reads = 20'000'000;
  std::atomic<bool> reading{true};
  std::atomic<std::uint32_t> written{0};
  std::thread writer([&] {
    for (std::uint32_t days = 1; reading.load(std::memory_order_relaxed); ++days) {
      written.store(days, std::memory_order_relaxed);
      if (days % 1000 == 0) cache.store(std::nullopt);
      cache.store(lifetime_policy{days, at_ms(days)});
    }
  });
  std::uint64_t whole = 0;
  std::uint64_t torn = 0;
  // Reads start once the writer runs, or they could all be over before it starts.
  while (written.load(std::memory_order_relaxed) == 0) std::this_thread::yield();
  for (std::uint64_t n = 0; n < reads; ++n) {
    const auto cached = cache.load();
    if (!cached || !*cached) continue;
    if ((*cached)->set_at == at_ms((*cached)->max_days))
      ++whole;
    else
      ++torn;
  }
  reading = false;
  writer.join();
  BOOST_TEST(torn == 0u, torn << " torn reads, " << whole << " whole ones");
}

BOOST_AUTO_TEST_SUITE_END()
