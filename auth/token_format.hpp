#pragma once
// Access-token format: "jtgw_" + 43 base62 characters (32 random bytes) + 6 base62
// characters of the CRC32 of those 43 characters. The checksum lets us reject typos and
// junk before any store lookup; it is not a security measure (the 256 random bits are).

#include <cstddef>
#include <string>
#include <string_view>

namespace jtgw::auth {

inline constexpr std::string_view token_prefix = "jtgw_";
inline constexpr std::size_t token_body_length = 43;     // ceil(256 / log2(62))
inline constexpr std::size_t token_checksum_length = 6;  // 62^6 > 2^32
inline constexpr std::size_t token_length =
    token_prefix.size() + token_body_length + token_checksum_length;  // 54

/// Why a string is not a well-formed token.
enum class token_shape_error {
  ok = 0,
  bad_prefix,    // does not start with "jtgw_"
  bad_length,    // not exactly token_length characters
  bad_alphabet,  // a character outside [0-9A-Za-z] after the prefix
  out_of_range,  // body encodes a number of more than 256 bits: never generated
  bad_checksum,  // the last 6 characters are not the CRC32 of the body
};

/// A short English sentence for `e`, fit for an HTTP error body. Never contains input.
std::string_view message(token_shape_error e) noexcept;

/// A fresh token from 32 bytes of OpenSSL RAND_bytes.
/// Throws std::runtime_error if the RNG cannot deliver (unseeded or failed DRBG):
/// token creation is not on the request path, and a weak token must never be issued.
std::string generate_token();

/// A fresh token id: 32 lowercase hex characters from 16 RAND_bytes. Random but not
/// secret (it names a token in lists, logs and audit). Throws std::runtime_error like
/// generate_token().
std::string generate_token_id();

/// Checks prefix, length, alphabet, range and checksum, in that order, without
/// allocating. Returns token_shape_error::ok for a well-formed token.
token_shape_error check_token_shape(std::string_view token) noexcept;

}  // namespace jtgw::auth
