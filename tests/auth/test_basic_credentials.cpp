#include "auth/basic_credentials.hpp"
#include "tests/support/base64.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <set>
#include <vector>

using namespace jtgw::auth;
using jtgw::test_support::base64;
using jtgw::test_support::basic_authorization;

namespace {

struct malformed_case {
  std::string value;
  basic_error expected;
};

std::vector<malformed_case> malformed_cases() {
  using e = basic_error;
  return {
      {"", e::empty},
      {"   ", e::empty},
      {"\t", e::empty},
      {"Bearer abc.def.ghi", e::not_basic},
      {"Digest username=\"alice\"", e::not_basic},
      {"Basi", e::not_basic},
      {"Basically " + base64("a:b"), e::not_basic},
      {"Basic", e::missing_credentials},
      {"basic   ", e::missing_credentials},
      {"Basic\t" + base64("a:b"), e::bad_separator},
      {"Basic  \t" + base64("a:b"), e::bad_separator},
      {"Basic " + base64("a:b") + " " + base64("c:d"), e::trailing_data},
      {"Basic " + base64("a:b") + " extra", e::trailing_data},
      {"Basic " + base64("a:b") + "\tx", e::trailing_data},
      {"Basic " + base64("alice:" + std::string(1024, 'x')), e::too_long},
      {"Basic " + std::string(2000, 'A'), e::too_long},
      {"Basic " + base64("a:b").substr(0, 3) + "-", e::bad_base64_character},
      {"Basic YWxp_2U6eA==", e::bad_base64_character},
      {"Basic YWxpY2U6eA==\r\n", e::bad_base64_character},
      {"Basic YWxp\x01" "2U6eA==", e::bad_base64_character},
      {"Basic YWxpY2U6eA", e::bad_base64_length},          // padding omitted
      {"Basic YWxpY2U6eA=", e::bad_base64_length},         // one '=' short
      {"Basic YWxpY2U6e", e::bad_base64_length},
      {"Basic YW=pY2U6eA==", e::bad_base64_padding},       // '=' in the middle
      {"Basic YWxpY2U6====", e::bad_base64_padding},       // too many '='
      {"Basic YWxpY2U6eB==", e::noncanonical_base64},      // "alice:x" with stray bits
      {"Basic YWxpY2U6eHk=" "", e::ok},                    // sanity: canonical "alice:xy"
      {"Basic YWxpY2U6eHl=", e::noncanonical_base64},      // stray bits under one '='
      {basic_authorization("alice"), e::missing_colon},
      {basic_authorization("alice-no-colon-token"), e::missing_colon},
      {basic_authorization(":jtgw_secret"), e::empty_username},
      {basic_authorization(":"), e::empty_username},
      {basic_authorization("al\xffice:tok"), e::invalid_utf8},
      {basic_authorization("al\xc3" "ice:tok"), e::invalid_utf8},         // truncated sequence
      {basic_authorization("\xc0\xafx:tok"), e::invalid_utf8},           // overlong '/'
      {basic_authorization("\xed\xa0\x80x:tok"), e::invalid_utf8},       // UTF-16 surrogate
      {basic_authorization("\xf4\x90\x80\x80:tok"), e::invalid_utf8},    // above U+10FFFF
      {basic_authorization("alice:tok\xe2\x82"), e::invalid_utf8},       // truncated at the end
      {basic_authorization("ali\nce:tok"), e::control_character},
      {basic_authorization("alice:to\x7fk"), e::control_character},
      {basic_authorization(std::string("alice:t\0k", 9)), e::control_character},
      {basic_authorization("alice\xc2\x85:tok"), e::control_character},  // C1 NEL
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(basic_credentials_parser)

BOOST_AUTO_TEST_CASE(malformed_values_each_give_their_reason) {
  const auto cases = malformed_cases();
  std::size_t failing_cases = 0;
  for (const auto& c : cases) {
    basic_credentials out;
    BOOST_TEST_REQUIRE(static_cast<int>(parse_basic(basic_authorization("earlier:parse"), out)) == 0);
    const basic_error got = parse_basic(c.value, out);
    BOOST_TEST(static_cast<int>(got) == static_cast<int>(c.expected),
               "value '" << c.value.substr(0, 60) << "': got '" << message(got) << "', expected '"
                         << message(c.expected) << "'");
    if (c.expected != basic_error::ok) {
      ++failing_cases;
      // What an earlier parse held is gone, and nothing of this one is kept.
      BOOST_TEST(out.username().empty());
      BOOST_TEST(out.password().empty());
    }
  }
  BOOST_TEST(failing_cases >= 30u);
}

BOOST_AUTO_TEST_CASE(every_reason_has_its_own_message) {
  std::set<std::string_view> messages;
  for (int i = 0; i <= static_cast<int>(basic_error::control_character); ++i) {
    messages.insert(message(static_cast<basic_error>(i)));
  }
  BOOST_TEST(messages.size() == static_cast<std::size_t>(basic_error::control_character) + 1);
}

BOOST_AUTO_TEST_CASE(splits_at_the_first_colon) {
  basic_credentials out;
  BOOST_TEST(static_cast<int>(parse_basic(basic_authorization("alice@example.com:pa:ss:word"), out)) == 0);
  BOOST_TEST(out.username() == "alice@example.com");
  BOOST_TEST(out.password() == "pa:ss:word");
}

BOOST_AUTO_TEST_CASE(accepts_what_clients_send) {
  basic_credentials out;
  // curl -u alice:secret
  BOOST_TEST(static_cast<int>(parse_basic("Basic YWxpY2U6c2VjcmV0", out)) == 0);
  BOOST_TEST(out.username() == "alice");
  BOOST_TEST(out.password() == "secret");
  // Scheme in any case, several spaces, surrounding whitespace of the field value.
  BOOST_TEST(static_cast<int>(parse_basic("  bAsIc   YWxpY2U6c2VjcmV0 \t", out)) == 0);
  BOOST_TEST(out.username() == "alice");
  // Empty password is well-formed Basic (the token check rejects it later).
  BOOST_TEST(static_cast<int>(parse_basic(basic_authorization("bob:"), out)) == 0);
  BOOST_TEST(out.username() == "bob");
  BOOST_TEST(out.password().empty());
  // Non-ASCII user names (UTF-8, RFC 7617 charset="UTF-8").
  BOOST_TEST(static_cast<int>(parse_basic(basic_authorization("J\xc3\xbcrgen:tok"), out)) == 0);
  BOOST_TEST(out.username() == "J\xc3\xbcrgen");
  BOOST_TEST(static_cast<int>(parse_basic(basic_authorization("\xf0\x9f\x98\x80:x"), out)) == 0);
}

BOOST_AUTO_TEST_CASE(length_cap_is_exact) {
  basic_credentials out;
  const std::string at_cap = "u:" + std::string(1022, 'p');
  BOOST_TEST(static_cast<int>(parse_basic(basic_authorization(at_cap), out)) == 0);
  BOOST_TEST(out.password().size() == 1022u);
  BOOST_TEST(static_cast<int>(parse_basic(basic_authorization(at_cap + "p"), out)) ==
             static_cast<int>(basic_error::too_long));
}

BOOST_AUTO_TEST_SUITE_END()
