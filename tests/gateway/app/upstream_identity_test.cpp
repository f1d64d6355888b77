// Who jtgw is towards Jira: the user's unsealed credential in the flavor's scheme, or
// the service credential with X-Forwarded-User.
#include "gateway/app/upstream_identity.hpp"
#include "tests/support/base64.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

namespace app = jtgw::app;
namespace auth = jtgw::auth;
namespace config = jtgw::config;

namespace {

auth::seal_key key_of(char fill) { return auth::seal_key::from_bytes(std::string(32, fill)); }

using jtgw::test_support::base64;

auth::principal principal_of(const std::string& user, const std::string& token_id) {
  auth::principal who;
  who.user = user;
  who.token_id = token_id;
  return who;
}

auth::principal sealed_principal(const std::string& user, const std::string& secret, char key_fill) {
  auth::principal who = principal_of(user, "t1");
  who.sealed_credential = auth::seal(key_of(key_fill), secret, user).value();
  return who;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(upstream_identity)

BOOST_AUTO_TEST_CASE(cloud_user_is_basic_email_and_api_token) {
  const auto builder = app::identity_builder::user(config::jira_flavor::cloud, key_of('k'));
  const auto identity = builder.for_principal(sealed_principal("alice@example.com", "api-token-1", 'k'));
  BOOST_TEST_REQUIRE(identity.has_value());
  BOOST_TEST(identity->credential.authorization() == "Basic " + base64("alice@example.com:api-token-1"));
  BOOST_TEST(!identity->acts_for_user);
}

BOOST_AUTO_TEST_CASE(datacenter_user_is_bearer_pat) {
  const auto builder = app::identity_builder::user(config::jira_flavor::datacenter, key_of('k'));
  const auto identity = builder.for_principal(sealed_principal("bob", "pat-2", 'k'));
  BOOST_TEST_REQUIRE(identity.has_value());
  BOOST_TEST(identity->credential.authorization() == "Bearer pat-2");
}

BOOST_AUTO_TEST_CASE(user_mode_failures) {
  const auto builder = app::identity_builder::user(config::jira_flavor::cloud, key_of('k'));
  const auth::principal bare = principal_of("alice@example.com", "t2");
  BOOST_TEST((builder.for_principal(bare).error() == app::identity_error::no_credential));
  // Sealed under another key (the key file was replaced): does not unseal.
  BOOST_TEST((builder.for_principal(sealed_principal("alice@example.com", "s", 'x')).error() ==
              app::identity_error::unseal_failed));
  // Sealed for another user (a blob copied between records): does not unseal.
  auto moved = sealed_principal("mallory@example.com", "s", 'k');
  moved.user = "alice@example.com";
  BOOST_TEST((builder.for_principal(moved).error() == app::identity_error::unseal_failed));
}

BOOST_AUTO_TEST_CASE(service_mode_acts_for_the_user) {
  config::jira_config jira;
  jira.auth = config::upstream_auth::service;
  jira.service_username = "svc";
  jira.service_secret = "svc-secret";
  const auto builder = app::identity_builder::service(jira);
  const auth::principal who = principal_of("carol@example.com", "t3");
  const auto identity = builder.for_principal(who);
  BOOST_TEST_REQUIRE(identity.has_value());
  BOOST_TEST(identity->credential.authorization() == "Basic " + base64("svc:svc-secret"));
  // The router names carol in X-Forwarded-User (tests/gateway/e2e/test_service_mode.cpp).
  BOOST_TEST(identity->acts_for_user);
}

BOOST_AUTO_TEST_SUITE_END()
