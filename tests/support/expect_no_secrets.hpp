#pragma once
// The Boost.Test check over tests/support/secrets.hpp (header-only: only test
// executables, which link Boost.Test, include it).
#include <boost/test/unit_test.hpp>

#include "tests/support/secrets.hpp"

namespace jtgw::test_support {

// Checks every file under log_dir() for every remembered secret (at least one secret
// and one file must exist, or the check would prove nothing).
inline void expect_no_secrets_in_logs() {
  BOOST_TEST_REQUIRE(!remembered_secrets().empty());
  std::size_t files = 0;
  for (const auto& seen : secrets_in_logs(files))
    BOOST_TEST(false, "a secret (" << seen.secret_prefix << "…) appears in " << seen.file);
  BOOST_TEST(files > 0u);
}

}  // namespace jtgw::test_support
