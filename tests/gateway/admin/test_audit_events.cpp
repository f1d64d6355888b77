// Audit events recorded outside the admin API: the Authenticator's lockout (through
// storage::record_audit), once per lock and without a secret.
#include "auth/authenticator.hpp"
#include "auth/token_format.hpp"
#include "storage/audit_log.hpp"
#include "tests/support/base64.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw;
using namespace jtgw::storage::testing;

BOOST_AUTO_TEST_CASE(a_lockout_is_audited_once_without_the_password) {
  temp_dir dir;
  auto store = open_store(dir.store_path());
  auth::authenticator authenticator(*store, {.max_failures = 3});
  const std::string guess = auth::generate_token();  // well-formed, in no store
  const std::string header = "Basic " + test_support::base64("mallory:" + guess);
  const storage::clock_time now{std::chrono::sys_days{std::chrono::year{2030} / 1 / 1}};
  for (int i = 0; i < 6; ++i) authenticator.verify(header, "198.51.100.7", now + std::chrono::seconds{i});

  storage::audit_query query;
  query.kind = std::string(storage::audit_kind::lockout);
  const auto events = store->query_audit(query).value();
  BOOST_TEST_REQUIRE(events.size() == 1u);  // failures while locked do not lock again
  BOOST_TEST(events[0].user == "mallory");
  BOOST_TEST(events[0].detail == "address=198.51.100.7");
  BOOST_TEST((events[0].at == now + std::chrono::seconds{2}));
  for (const auto& field : {events[0].kind, events[0].actor, events[0].user, events[0].token_id, events[0].detail})
    BOOST_TEST(field.find(guess) == std::string::npos);
  // Below the threshold nothing is recorded.
  auth::authenticator other(*store, {.max_failures = 3});
  other.verify("Basic " + test_support::base64("trudy:" + guess), "198.51.100.8", now);
  BOOST_TEST(store->query_audit(query).value().size() == 1u);
}
