#pragma once
// Test support for auth: a real RocksDB store in a temp dir, tokens minted into it, and
// short ways to call verify() and read its verdict.

#include "auth/authenticator.hpp"
#include "auth/expiry.hpp"
#include "auth/token_digest.hpp"
#include "auth/token_format.hpp"
#include "tests/storage/temp_store.hpp"
#include "tests/support/base64.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace jtgw::auth::test {

using namespace std::chrono_literals;
using storage::clock_time;
using test_support::base64;
using test_support::basic_authorization;

/// A UTC calendar instant, e.g. utc(2025y / 3 / 1, 23h + 59min + 59s + 999ms).
inline clock_time utc(std::chrono::year_month_day day, std::chrono::milliseconds since_midnight = 0ms) {
  return clock_time(std::chrono::sys_days(day)) + since_midnight;
}

struct store_fixture {
  storage::testing::temp_dir dir;
  std::unique_ptr<storage::token_store> store = storage::testing::open_store(dir.store_path());

  /// Creates a v2 token for `user` and returns the token (the secret).
  std::string mint(const std::string& user, const std::string& label, clock_time created,
                   std::optional<std::chrono::sys_days> expires = std::nullopt,
                   std::string sealed_credential = {}) {
    const std::string token = generate_token();
    storage::token_record record;
    record.id = generate_token_id();
    record.user = user;
    record.label = label;
    record.digest = digest_of(token);
    record.created = created;
    record.expires = expires;
    record.sealed_credential = std::move(sealed_credential);
    const auto created_ok = store->create(record);
    BOOST_REQUIRE_MESSAGE(created_ok.has_value(), "create failed: " << created_ok.error().message());
    return token;
  }
};

inline const principal* granted(const verdict& v) { return std::get_if<principal>(&v); }

/// The denial reason's code, or "granted".
inline std::string outcome(const verdict& v) {
  if (const auto* d = std::get_if<denial>(&v)) return std::string(code(d->reason));
  return "granted";
}

}  // namespace jtgw::auth::test
