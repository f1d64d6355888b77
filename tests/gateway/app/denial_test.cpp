// The one denial function: every Authenticator reason maps to its status, code and
// headers, and each answer is counted by reason.
#include "gateway/app/denial.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

namespace app = jtgw::app;
namespace auth = jtgw::auth;
namespace bh = boost::beast::http;

namespace {

struct expectation {
  auth::denial_reason reason;
  unsigned status;
  std::string code;
};

std::string json_member(const std::string& body, const char* key) {
  return std::string(boost::json::parse(body).as_object().at(key).as_string());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(denial)

BOOST_AUTO_TEST_CASE(every_reason_has_its_status_code_and_headers) {
  const expectation table[] = {
      {auth::denial_reason::missing, 401, "missing_credentials"},
      {auth::denial_reason::malformed, 401, "malformed_credentials"},
      {auth::denial_reason::unknown_or_revoked, 401, "unknown_or_revoked"},
      {auth::denial_reason::wrong_user, 401, "wrong_user"},
      {auth::denial_reason::expired, 401, "expired"},
      {auth::denial_reason::locked_out, 429, "locked_out"},
      {auth::denial_reason::store_error, 503, "store_error"},
  };
  jtgw::http::metrics_registry registry;
  auto& outcomes = registry.counter("test_auth_outcomes_total", "test");
  for (const auto& row : table) {
    BOOST_TEST_CONTEXT(row.code) {
      auth::denial d;
      d.reason = row.reason;
      d.message = "a sentence from auth";
      if (row.reason == auth::denial_reason::locked_out) d.retry_after = std::chrono::seconds(17);
      const auto response = app::denial_response(app::refusal_of(d), 11, outcomes);
      BOOST_TEST(response.result_int() == row.status);
      BOOST_TEST(json_member(response.body(), "error") == row.code);
      BOOST_TEST(!json_member(response.body(), "message").empty());
      BOOST_TEST(response[bh::field::content_type] == "application/json");
      BOOST_TEST(response[bh::field::cache_control] == "no-store");
      if (row.status == 401) {
        BOOST_TEST(response[bh::field::www_authenticate] == R"(Basic realm="jtgw", charset="UTF-8")");
        BOOST_TEST(json_member(response.body(), "message") == "a sentence from auth");
      } else {
        BOOST_TEST(response.count(bh::field::www_authenticate) == 0u);
      }
      if (row.status == 429) {
        BOOST_TEST(response[bh::field::retry_after] == "17");
      } else {
        BOOST_TEST(response.count(bh::field::retry_after) == 0u);
      }
      BOOST_TEST(outcomes.value({{"reason", row.code}}) == 1u);
    }
  }
}

BOOST_AUTO_TEST_CASE(store_errors_do_not_leak_details) {
  jtgw::http::metrics_registry registry;
  auth::denial d;
  d.reason = auth::denial_reason::store_error;
  d.message = "IO error: /var/lib/jtgw/store/000123.sst";
  const auto response = app::denial_response(app::refusal_of(d), 11, registry.counter("c_total", "c"));
  BOOST_TEST(response.body().find("/var/lib") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(retry_after_is_at_least_one_second) {
  jtgw::http::metrics_registry registry;
  const app::refusal r{app::code_locked_out, "locked", std::chrono::seconds(0)};
  const auto response = app::denial_response(r, 11, registry.counter("c_total", "c"));
  BOOST_TEST(response[bh::field::retry_after] == "1");
}

BOOST_AUTO_TEST_CASE(jira_credential_refusal_is_a_401_with_the_challenge) {
  jtgw::http::metrics_registry registry;
  auto& outcomes = registry.counter("c_total", "c");
  const app::refusal r{app::code_jira_credential, "sign in again"};
  const auto response = app::denial_response(r, 10, outcomes);
  BOOST_TEST(response.result_int() == 401u);
  BOOST_TEST(response.version() == 10u);
  BOOST_TEST(response[bh::field::www_authenticate] == app::www_authenticate_value);
  BOOST_TEST(outcomes.value({{"reason", "jira_credential_rejected"}}) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
