#include "auth/token_format.hpp"
#include "auth/token_digest.hpp"

#include <boost/crc.hpp>
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

using namespace jtgw::auth;

BOOST_AUTO_TEST_SUITE(token_format)

BOOST_AUTO_TEST_CASE(generated_tokens_pass_the_shape_check) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = generate_token();
    BOOST_TEST(token.size() == token_length);
    BOOST_TEST(token.starts_with("jtgw_"));
    BOOST_TEST(message(check_token_shape(token)) == message(token_shape_error::ok));
    seen.insert(token);
  }
  BOOST_TEST(seen.size() == 1000u);  // 256 random bits: a repeat means a broken RNG path
}

// Tokens already issued carry the CRC-32 that Boost's crc_32_type computed; whichever
// library computes it now must agree, or every stored token would fail its shape check.
BOOST_AUTO_TEST_CASE(checksum_is_the_crc32_tokens_were_issued_with) {
  constexpr std::string_view alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  for (int i = 0; i < 200; ++i) {
    const std::string token = generate_token();
    const std::string_view body = std::string_view(token).substr(token_prefix.size(), token_body_length);
    boost::crc_32_type crc;
    crc.process_bytes(body.data(), body.size());
    std::string checksum(token_checksum_length, '0');
    std::uint32_t rest = crc.checksum();
    for (std::size_t pos = checksum.size(); pos-- > 0; rest /= 62) checksum[pos] = alphabet[rest % 62];
    BOOST_TEST(token.substr(token.size() - token_checksum_length) == checksum);
  }
}

BOOST_AUTO_TEST_CASE(one_flipped_character_fails_the_checksum) {
  const std::string token = generate_token();
  // Every position of body and checksum, replaced by another alphabet character.
  for (std::size_t pos = token_prefix.size(); pos < token.size(); ++pos) {
    std::string bad = token;
    bad[pos] = bad[pos] == 'a' ? 'b' : 'a';
    const auto e = check_token_shape(bad);
    // A body change may also push the number past 2^256 - 1; either way it is rejected.
    BOOST_TEST((e == token_shape_error::bad_checksum || e == token_shape_error::out_of_range),
               "position " << pos);
  }
  std::string bad = token;
  bad.back() = bad.back() == 'Z' ? 'Y' : 'Z';
  BOOST_TEST(static_cast<int>(check_token_shape(bad)) == static_cast<int>(token_shape_error::bad_checksum));
}

BOOST_AUTO_TEST_CASE(shape_errors_in_order) {
  const std::string token = generate_token();
  auto check = [](std::string_view t) { return static_cast<int>(check_token_shape(t)); };
  BOOST_TEST(check("") == static_cast<int>(token_shape_error::bad_prefix));
  BOOST_TEST(check("JTGW_" + token.substr(5)) == static_cast<int>(token_shape_error::bad_prefix));
  BOOST_TEST(check("ghp_abc") == static_cast<int>(token_shape_error::bad_prefix));
  BOOST_TEST(check(token.substr(0, token.size() - 1)) == static_cast<int>(token_shape_error::bad_length));
  BOOST_TEST(check(token + "0") == static_cast<int>(token_shape_error::bad_length));
  std::string with_dash = token;
  with_dash[10] = '-';
  BOOST_TEST(check(with_dash) == static_cast<int>(token_shape_error::bad_alphabet));
  std::string with_high = token;
  with_high[20] = '\xc3';
  BOOST_TEST(check(with_high) == static_cast<int>(token_shape_error::bad_alphabet));
  // "zzz…" is above 2^256 - 1, whatever its checksum.
  const std::string too_big = "jtgw_" + std::string(token_body_length, 'z') + "000000";
  BOOST_TEST(check(too_big) == static_cast<int>(token_shape_error::out_of_range));
}

BOOST_AUTO_TEST_CASE(digest_is_sha256_of_the_whole_token) {
  // FIPS 180-2 test vector for "abc".
  const auto d = digest_of("abc");
  BOOST_TEST(d[0] == 0xba);
  BOOST_TEST(d[1] == 0x78);
  BOOST_TEST(d[31] == 0xad);
  BOOST_TEST((digest_of("jtgw_a") != digest_of("jtgw_b")));
}

BOOST_AUTO_TEST_SUITE_END()
