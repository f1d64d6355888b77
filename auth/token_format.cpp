#include "auth/token_format.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <algorithm>
#include <span>
#include <stdexcept>

namespace jtgw::auth {
namespace {

// Digits, then upper, then lower case: numerical order equals ASCII order, so two
// fixed-length base62 strings compare as numbers when compared as strings.
constexpr std::string_view alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

constexpr std::array<bool, 256> make_alphabet_table() {
  std::array<bool, 256> table{};
  for (char c : alphabet) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr auto in_alphabet = make_alphabet_table();

// Base62 of a big-endian number, left-padded with '0' to out.size() digits.
// Repeated division of the byte string by 62: fine for 32 bytes, only used to generate.
template <std::size_t N>
void encode_base62(std::array<unsigned char, N> number, std::span<char> out) {
  for (std::size_t pos = out.size(); pos-- > 0;) {
    unsigned remainder = 0;
    for (auto& byte : number) {
      unsigned acc = (remainder << 8) | byte;
      byte = static_cast<unsigned char>(acc / 62);
      remainder = acc % 62;
    }
    out[pos] = alphabet[remainder];
  }
}

void encode_checksum(std::uint32_t crc, std::span<char> out) {
  for (std::size_t pos = out.size(); pos-- > 0;) {
    out[pos] = alphabet[crc % 62];
    crc /= 62;
  }
}

// zlib's CRC-32 (the same ISO-HDLC CRC as Boost's crc_32_type) is table-driven with
// unrolled loops: on every request's token it costs a third of Boost's byte-wise loop.
std::uint32_t crc32_of(std::string_view text) noexcept {
  const auto crc = crc32_z(crc32_z(0, nullptr, 0), reinterpret_cast<const Bytef*>(text.data()), text.size());
  return static_cast<std::uint32_t>(crc);
}

// The body of 2^256 - 1: anything greater was not produced by generate_token().
const std::string max_body = [] {
  std::array<unsigned char, 32> all_ones;
  all_ones.fill(0xff);
  std::string body(token_body_length, '0');
  encode_base62(all_ones, body);
  return body;
}();

}  // namespace

std::string_view message(token_shape_error e) noexcept {
  switch (e) {
    case token_shape_error::ok: return "the token is well formed";
    case token_shape_error::bad_prefix: return "the password is not a jtgw access token (it must start with \"jtgw_\")";
    case token_shape_error::bad_length: return "the access token has the wrong length; copy the whole token";
    case token_shape_error::bad_alphabet: return "the access token contains characters that no token has";
    case token_shape_error::out_of_range: return "the access token is not one jtgw issued";
    case token_shape_error::bad_checksum: return "the access token's checksum does not match; it was mistyped or truncated";
  }
  return "the access token is malformed";
}

std::string generate_token() {
  std::array<unsigned char, 32> random;
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: cannot generate an access token");
  }
  std::string token(token_length, '0');
  std::copy(token_prefix.begin(), token_prefix.end(), token.begin());
  std::span<char> body(token.data() + token_prefix.size(), token_body_length);
  encode_base62(random, body);
  OPENSSL_cleanse(random.data(), random.size());
  encode_checksum(crc32_of(std::string_view(body.data(), body.size())),
                  std::span<char>(token.data() + token_prefix.size() + token_body_length,
                                  token_checksum_length));
  return token;
}

std::string generate_token_id() {
  std::array<unsigned char, 16> random;
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: cannot generate a token id");
  }
  constexpr std::string_view hex = "0123456789abcdef";
  std::string id;
  id.reserve(2 * random.size());
  for (unsigned char b : random) {
    id.push_back(hex[b >> 4]);
    id.push_back(hex[b & 0xf]);
  }
  return id;
}

token_shape_error check_token_shape(std::string_view token) noexcept {
  if (!token.starts_with(token_prefix)) return token_shape_error::bad_prefix;
  if (token.size() != token_length) return token_shape_error::bad_length;
  // One branch after the loop rather than one per character: tokens that reach this
  // point are nearly always well formed.
  bool all_in_alphabet = true;
  for (char c : token.substr(token_prefix.size())) all_in_alphabet &= in_alphabet[static_cast<unsigned char>(c)];
  if (!all_in_alphabet) return token_shape_error::bad_alphabet;
  const std::string_view body = token.substr(token_prefix.size(), token_body_length);
  if (body > std::string_view(max_body)) return token_shape_error::out_of_range;
  std::array<char, token_checksum_length> expected;
  encode_checksum(crc32_of(body), expected);
  // Not a secret, but a constant-time compare costs nothing here and leaks nothing.
  if (CRYPTO_memcmp(expected.data(), token.data() + token_prefix.size() + token_body_length,
                    expected.size()) != 0) {
    return token_shape_error::bad_checksum;
  }
  return token_shape_error::ok;
}

}  // namespace jtgw::auth
