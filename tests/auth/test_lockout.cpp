#include "auth/lockout.hpp"
#include "tests/auth/auth_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <thread>
#include <vector>

using namespace jtgw::auth;
using namespace jtgw::auth::test;
using namespace std::chrono;

namespace {
const clock_time t0 = utc(2025y / June / 1);
}

BOOST_AUTO_TEST_SUITE(lockout)

BOOST_AUTO_TEST_CASE(memory_is_bounded_by_evicting_the_oldest_pair) {
  lockout_tracker tracker({.max_failures = 2, .max_tracked_pairs = 3});
  for (int i = 0; i < 2; ++i) tracker.record_failure("first", "10.0.0.1", t0);
  BOOST_TEST(tracker.locked_for("first", "10.0.0.1", t0).has_value());
  tracker.record_failure("b", "10.0.0.1", t0 + 1s);
  tracker.record_failure("c", "10.0.0.1", t0 + 2s);
  BOOST_TEST(tracker.tracked_pairs() == 3u);
  tracker.record_failure("d", "10.0.0.1", t0 + 3s);  // evicts "first", the oldest
  BOOST_TEST(tracker.tracked_pairs() == 3u);
  BOOST_TEST(!tracker.locked_for("first", "10.0.0.1", t0 + 4s).has_value());
  // Long names are keyed by digest; they still count per name.
  const std::string long_name(900, 'x');
  tracker.record_failure(long_name, "10.0.0.1", t0);
  tracker.record_failure(long_name, "10.0.0.1", t0);
  BOOST_TEST(tracker.locked_for(long_name, "10.0.0.1", t0).has_value());
  BOOST_TEST(!tracker.locked_for(long_name + "y", "10.0.0.1", t0).has_value());
}

BOOST_AUTO_TEST_CASE(failures_while_locked_do_not_extend_the_lock) {
  lockout_tracker tracker;
  for (int i = 0; i < 5; ++i) tracker.record_failure("Eve", "10.0.0.2", t0);
  for (int i = 0; i < 20; ++i) tracker.record_failure("eve", "10.0.0.2", t0 + 14min);
  BOOST_TEST(tracker.locked_for("EVE", "10.0.0.2", t0 + 14min + 59s).has_value());
  BOOST_TEST(!tracker.locked_for("eve", "10.0.0.2", t0 + 15min).has_value());
}

BOOST_AUTO_TEST_CASE(concurrent_failures_are_all_counted) {
  lockout_tracker tracker({.max_failures = 4 * 1000 + 1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) tracker.record_failure("mallory", "10.0.0.3", t0);
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(!tracker.locked_for("mallory", "10.0.0.3", t0).has_value());  // 4000 < 4001
  tracker.record_failure("mallory", "10.0.0.3", t0);
  BOOST_TEST(tracker.locked_for("mallory", "10.0.0.3", t0).has_value());
}

BOOST_AUTO_TEST_CASE(a_lock_is_seen_whatever_happened_to_other_locks) {
  // locked_for skips the table while no pair is locked: the count of locked pairs must
  // stay right when locks run out, are counted afresh and are evicted.
  lockout_tracker tracker({.max_failures = 2, .window = 1h, .lock_duration = 10min, .max_tracked_pairs = 3});
  auto lock = [&](std::string_view user, clock_time at) {
    tracker.record_failure(user, "10.0.0.4", at);
    return tracker.record_failure(user, "10.0.0.4", at);
  };
  BOOST_TEST(!tracker.locked_for("a", "10.0.0.4", t0).has_value());
  BOOST_TEST(lock("a", t0));
  BOOST_TEST(lock("b", t0));
  // a's lock runs out and a fails again (not locked yet): b stays locked.
  tracker.record_failure("a", "10.0.0.4", t0 + 11min);
  BOOST_TEST(!tracker.locked_for("a", "10.0.0.4", t0 + 11min).has_value());
  BOOST_TEST(tracker.locked_for("b", "10.0.0.4", t0 + 9min).has_value());
  // c and d evict b (locked) and then a: a new lock on e is still seen.
  tracker.record_failure("c", "10.0.0.4", t0 + 12min);
  tracker.record_failure("d", "10.0.0.4", t0 + 12min);
  BOOST_TEST(!tracker.locked_for("b", "10.0.0.4", t0 + 12min).has_value());
  BOOST_TEST(lock("e", t0 + 13min));
  BOOST_TEST(tracker.locked_for("e", "10.0.0.4", t0 + 14min).has_value());
  BOOST_TEST(!tracker.locked_for("e", "10.0.0.5", t0 + 14min).has_value());
  BOOST_TEST(!tracker.locked_for("e", "10.0.0.4", t0 + 23min).has_value());
  // Relocking a pair whose lock ran out counts it again.
  BOOST_TEST(lock("e", t0 + 24min));
  BOOST_TEST(tracker.locked_for("E", "10.0.0.4", t0 + 25min).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
