#include "auth/basic_credentials.hpp"
#include "tests/support/base64.hpp"

#include <boost/test/unit_test.hpp>
#include <openssl/evp.h>

#include <array>
#include <map>
#include <random>
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

constexpr std::string_view base64_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// The decoder parse_basic used before decoding became one pass (validate the whole
// text, then EVP_DecodeBlock): the reference the one-pass decoder must agree with.
basic_error reference_decode(std::string_view text, std::string& decoded) {
  auto value = [](char c) -> int {
    if (c == '=') return -2;
    const auto at = base64_alphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
  };
  std::size_t padding = 0;
  for (char c : text) {
    const int v = value(c);
    if (v == -1) return (c == ' ' || c == '\t') ? basic_error::trailing_data : basic_error::bad_base64_character;
    if (v == -2) {
      ++padding;
    } else if (padding > 0) {
      return basic_error::bad_base64_padding;
    }
  }
  if (padding > 2) return basic_error::bad_base64_padding;
  if (text.size() % 4 != 0) return basic_error::bad_base64_length;
  if (padding > 0 && (value(text[text.size() - padding - 1]) & (padding == 2 ? 0x0f : 0x03)) != 0) {
    return basic_error::noncanonical_base64;
  }
  decoded.assign(text.size() / 4 * 3, '\0');
  EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                  reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  decoded.resize(decoded.size() - padding);
  return basic_error::ok;
}

// What parse_basic must answer for "Basic <text>" (text short enough to pass the cap).
basic_error expected_parse(std::string_view text, std::string& decoded) {
  if (const auto e = reference_decode(text, decoded); e != basic_error::ok) return e;
  const auto colon = decoded.find(':');
  if (colon == std::string::npos) return basic_error::missing_colon;
  if (colon == 0) return basic_error::empty_username;
  return check_utf8_text(decoded);
}

std::size_t pick(std::mt19937& rng, std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }

// `text` with one change that may break it in any of the ways the decoder distinguishes.
std::string mutated_base64(std::string text, std::mt19937& rng) {
  auto pick = [&](std::size_t n) { return ::pick(rng, n); };
  const std::size_t at = pick(text.size());
  constexpr std::string_view intruders = "= \t-_.\x01\x80\xff";
  switch (pick(6)) {
    case 0: text[at] = intruders[pick(intruders.size())]; break;
    case 1: text[at] = base64_alphabet[pick(base64_alphabet.size())]; break;
    case 2: text.erase(at, 1); break;
    case 3: text.insert(at, 1, intruders[pick(intruders.size())]); break;
    case 4: text.append(pick(3) + 1, '='); break;
    default: {
      // Set low bits of the last data character: stray bits under the padding.
      const auto last = text.find_last_not_of('=');
      text[last] = base64_alphabet[base64_alphabet.find(text[last]) | (1 + pick(3))];
    }
  }
  return text;
}

// Canonical base64 of random credentials, then (mostly) one mutation.
std::string generated_base64(std::mt19937& rng) {
  auto pick = [&](std::size_t n) { return ::pick(rng, n); };
  std::string raw;
  const std::size_t length = 1 + pick(80);  // "Basic " alone is a framing error
  for (std::size_t i = 0; i < length; ++i) {
    raw.push_back(pick(8) == 0 ? ':' : static_cast<char>(pick(4) == 0 ? pick(256) : 0x20 + pick(0x5f)));
  }
  const std::string text = base64(raw);
  if (pick(5) == 0) return text;
  std::string mutated = mutated_base64(text, rng);
  // Whitespace at either end belongs to the framing of the field, tested above.
  const auto is_ows = [](char c) { return c == ' ' || c == '\t'; };
  if (!mutated.empty() && (is_ows(mutated.front()) || is_ows(mutated.back()))) return text;
  return mutated;
}

// `printable` with `piece` put in place of the byte at `at`.
std::string with_piece_at(std::string printable, std::size_t at, std::string_view piece) {
  return printable.replace(at, 1, piece);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(basic_credentials_parser)

BOOST_AUTO_TEST_CASE(one_pass_decoder_agrees_with_the_reference_decoder) {
  std::mt19937 rng(20261129);
  std::map<basic_error, int> seen;
  for (int i = 0; i < 20000; ++i) {
    const std::string text = generated_base64(rng);
    std::string decoded;
    const basic_error expected = expected_parse(text, decoded);
    basic_credentials out;
    const basic_error got = parse_basic("Basic " + text, out);
    ++seen[expected];
    BOOST_TEST_REQUIRE(static_cast<int>(got) == static_cast<int>(expected),
                       "'" << text << "': got '" << message(got) << "', expected '" << message(expected) << "'");
    if (expected == basic_error::ok) {
      BOOST_TEST_REQUIRE(std::string(out.username()) + ":" + std::string(out.password()) == decoded);
    } else {
      BOOST_TEST_REQUIRE(out.password().empty());
    }
  }
  // Every outcome of decoding, and the checks after it, came up more than once.
  for (basic_error e : {basic_error::ok, basic_error::trailing_data, basic_error::bad_base64_character,
                        basic_error::bad_base64_length, basic_error::bad_base64_padding,
                        basic_error::noncanonical_base64, basic_error::missing_colon,
                        basic_error::empty_username, basic_error::invalid_utf8, basic_error::control_character}) {
    BOOST_TEST(seen[e] > 10, message(e) << ": " << seen[e] << " inputs");
  }
}

// check_utf8_text takes 8 printable ASCII bytes at a time: each kind of byte the fast
// path must hand to the careful one, at every position of a block and of the tail.
BOOST_AUTO_TEST_CASE(utf8_check_finds_every_byte_kind_at_every_position) {
  struct piece {
    std::string bytes;
    basic_error expected;
  };
  using e = basic_error;
  const std::vector<piece> pieces = {
      {std::string(1, '\0'), e::control_character}, {"\x01", e::control_character},
      {"\x1f", e::control_character},               {"\x7f", e::control_character},
      {"\xc2\x80", e::control_character},           {"\xc2\x9f", e::control_character},
      {" ", e::ok},                                 {"~", e::ok},
      {"\xc2\xa0", e::ok},                          {"\xc3\xbc", e::ok},
      {"\xe2\x82\xac", e::ok},                      {"\xf0\x9f\x98\x80", e::ok},
      {"\x80", e::invalid_utf8},                    {"\xff", e::invalid_utf8},
      {"\xc3", e::invalid_utf8},                    {"\xe2\x82", e::invalid_utf8},
  };
  for (std::size_t length = 1; length <= 27; ++length) {
    std::string printable;
    for (std::size_t i = 0; i < length; ++i) printable.push_back(static_cast<char>(0x20 + (i * 7) % 0x5f));
    BOOST_TEST_REQUIRE(static_cast<int>(check_utf8_text(printable)) == static_cast<int>(e::ok));
    for (std::size_t at = 0; at < length; ++at) {
      for (const auto& p : pieces) {
        const std::string text = with_piece_at(printable, at, p.bytes);
        BOOST_TEST_REQUIRE(static_cast<int>(check_utf8_text(text)) == static_cast<int>(p.expected),
                           "length " << length << ", byte " << at << ", piece of " << p.bytes.size());
        // After a multi-byte character the fast path resumes at an odd offset: a control
        // character further on must still be found.
        for (std::size_t later = at + p.bytes.size(); p.expected == e::ok && later < text.size(); ++later) {
          BOOST_TEST_REQUIRE(static_cast<int>(check_utf8_text(with_piece_at(text, later, "\x7f"))) ==
                             static_cast<int>(e::control_character));
        }
      }
    }
  }
}


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
