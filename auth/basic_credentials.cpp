#include "auth/basic_credentials.hpp"

#include "storage/meta_codec.hpp"

#include <openssl/crypto.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace jtgw::auth {
namespace {

constexpr std::string_view scheme = "basic";

// -1: not in the base64 alphabet; -2: the padding character.
constexpr std::array<std::int8_t, 256> make_base64_table() {
  std::array<std::int8_t, 256> table{};
  table.fill(-1);
  constexpr std::string_view chars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (std::size_t i = 0; i < chars.size(); ++i) {
    table[static_cast<unsigned char>(chars[i])] = static_cast<std::int8_t>(i);
  }
  table['='] = -2;
  return table;
}
constexpr auto base64_value = make_base64_table();

bool is_ows(char c) noexcept { return c == ' ' || c == '\t'; }


std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Decodes `text`, which must be canonical padded base64, into `out` (room for
// text.size() / 4 * 3 bytes) and sets `decoded_length`. On an error `out` may hold part
// of the decoding; the caller wipes it. A space or tab means a second token after the
// credentials (trailing_data). Errors are those of the first offending character, in
// text order, then of the whole (too much padding, length, stray bits).
basic_error decode_base64(std::string_view text, char* out, std::size_t& decoded_length) noexcept {
  const auto value = [&](std::size_t i) noexcept { return base64_value[static_cast<unsigned char>(text[i])]; };
  const auto put_group = [&](std::uint32_t group) noexcept {
    *out++ = static_cast<char>(group >> 16);
    *out++ = static_cast<char>(group >> 8);
    *out++ = static_cast<char>(group);
  };
  // Groups of four data characters, the bulk of any credentials: every table value of
  // a data character is >= 0, so one test per group finds the group to decode slowly.
  std::size_t i = 0;
  for (; i + 4 <= text.size(); i += 4) {
    const int a = value(i), b = value(i + 1), c = value(i + 2), d = value(i + 3);
    if ((a | b | c | d) < 0) break;
    put_group(static_cast<std::uint32_t>(a << 18 | b << 12 | c << 6 | d));
  }
  // The rest, one character at a time: the last group with its padding, or an error.
  std::size_t padding = 0;
  std::uint32_t group = 0;
  for (; i < text.size(); ++i) {
    int v = value(i);
    if (v == -1) return is_ows(text[i]) ? basic_error::trailing_data : basic_error::bad_base64_character;
    if (v == -2) {
      ++padding;
      v = 0;  // padding decodes as zero bits, dropped from decoded_length below
    } else if (padding > 0) {
      return basic_error::bad_base64_padding;  // data after '='
    }
    group = group << 6 | static_cast<std::uint32_t>(v);
    if (i % 4 == 3) put_group(group);
  }
  if (padding > 2) return basic_error::bad_base64_padding;
  if (text.size() % 4 != 0) return basic_error::bad_base64_length;
  if (padding > 0) {
    // The last data character carries 4 (one '=' → 2) bits beyond the data; they must
    // be zero, or two different encodings would decode to the same credentials.
    const int unused_mask = padding == 2 ? 0x0f : 0x03;
    if ((value(text.size() - padding - 1) & unused_mask) != 0) return basic_error::noncanonical_base64;
  }
  decoded_length = text.size() / 4 * 3 - padding;
  return basic_error::ok;
}

// True if all eight bytes of `word` are printable ASCII (0x20..0x7e), the whole of
// most credentials. With every high bit clear no byte sum below carries into the next
// byte: adding 0x60 sets a byte's high bit exactly when the byte is >= 0x20, adding
// 0x01 exactly when it is 0x7f (DEL).
bool printable_ascii(std::uint64_t word) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101;
  constexpr std::uint64_t high_bits = ones * 0x80;
  if ((word & high_bits) != 0) return false;
  return ((word + ones * 0x60) & high_bits) == high_bits && ((word + ones) & high_bits) == 0;
}

// Length of the UTF-8 sequence starting with `lead` and the bounds of its second byte
// (which is where overlongs, surrogates and > U+10FFFF are excluded), per RFC 3629.
struct utf8_lead {
  int length;
  unsigned char second_min;
  unsigned char second_max;
};

utf8_lead classify_lead(unsigned char lead) noexcept {
  if (lead >= 0xc2 && lead <= 0xdf) return {2, 0x80, 0xbf};
  if (lead == 0xe0) return {3, 0xa0, 0xbf};
  if (lead == 0xed) return {3, 0x80, 0x9f};
  if (lead >= 0xe1 && lead <= 0xef) return {3, 0x80, 0xbf};
  if (lead == 0xf0) return {4, 0x90, 0xbf};
  if (lead >= 0xf1 && lead <= 0xf3) return {4, 0x80, 0xbf};
  if (lead == 0xf4) return {4, 0x80, 0x8f};
  return {0, 0, 0};
}

}  // namespace

std::string_view message(basic_error e) noexcept {
  switch (e) {
    case basic_error::ok: return "the credentials are well formed";
    case basic_error::empty: return "no credentials were sent; use HTTP Basic with your username and access token";
    case basic_error::not_basic: return "only the HTTP Basic authentication scheme is accepted";
    case basic_error::missing_credentials: return "the Basic authorization has no credentials after the scheme";
    case basic_error::bad_separator: return "the Basic scheme must be followed by a space and the credentials";
    case basic_error::trailing_data: return "the Basic authorization has extra data after the credentials";
    case basic_error::too_long: return "the Basic credentials are too long (at most 1024 bytes decoded)";
    case basic_error::bad_base64_character: return "the Basic credentials contain a character that is not base64";
    case basic_error::bad_base64_length: return "the Basic credentials are not correctly padded base64 (length is not a multiple of 4)";
    case basic_error::bad_base64_padding: return "the Basic credentials have misplaced base64 padding";
    case basic_error::noncanonical_base64: return "the Basic credentials are not canonical base64";
    case basic_error::missing_colon: return "the Basic credentials must be username:token (no colon found)";
    case basic_error::empty_username: return "the Basic credentials have an empty username";
    case basic_error::invalid_utf8: return "the Basic credentials are not valid UTF-8";
    case basic_error::control_character: return "the Basic credentials contain a control character";
  }
  return "the Basic credentials are malformed";
}

basic_error check_utf8_text(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);  // any alignment; byte order does not matter here
      if (printable_ascii(word)) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return basic_error::control_character;
      ++p;
      continue;
    }
    const utf8_lead lead = classify_lead(c);
    if (lead.length == 0 || end - p < lead.length) return basic_error::invalid_utf8;
    if (p[1] < lead.second_min || p[1] > lead.second_max) return basic_error::invalid_utf8;
    for (int i = 2; i < lead.length; ++i) {
      if ((p[i] & 0xc0) != 0x80) return basic_error::invalid_utf8;
    }
    // C1 controls U+0080..U+009F are the two-byte sequences C2 80..C2 9F.
    if (c == 0xc2 && p[1] <= 0x9f) return basic_error::control_character;
    p += lead.length;
  }
  return basic_error::ok;
}

basic_credentials::~basic_credentials() { clear(); }

void basic_credentials::clear() noexcept {
  OPENSSL_cleanse(text_.data(), written_);
  written_ = 0;
  username_ = password_ = {};
}

basic_error parse_basic(std::string_view authorization_value, basic_credentials& out) noexcept {
  out.clear();
  const std::string_view value = trim_ows(authorization_value);
  if (value.empty()) return basic_error::empty;

  // auth-scheme is a token; compare case-insensitively (RFC 9110 §11.1).
  if (value.size() < scheme.size()) return basic_error::not_basic;
  for (std::size_t i = 0; i < scheme.size(); ++i) {
    if (storage::fold_ascii(value[i]) != scheme[i]) return basic_error::not_basic;
  }
  std::string_view rest = value.substr(scheme.size());
  if (rest.empty()) return basic_error::missing_credentials;
  if (rest.front() == '\t') return basic_error::bad_separator;  // grammar says 1*SP
  if (rest.front() != ' ') return basic_error::not_basic;        // e.g. "Basically"
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!rest.empty() && is_ows(rest.front())) return basic_error::bad_separator;
  if (rest.empty()) return basic_error::missing_credentials;

  // Cap before decoding: 1024 bytes need at most 1368 base64 characters.
  if (rest.size() > (max_decoded_credentials + 2) / 3 * 4) return basic_error::too_long;
  // decode_base64 writes whole 3-byte groups, at most this many bytes (to wipe).
  out.written_ = rest.size() / 4 * 3;
  std::size_t decoded_length = 0;
  basic_error decoded = decode_base64(rest, out.text_.data(), decoded_length);
  if (decoded == basic_error::ok && decoded_length > max_decoded_credentials) decoded = basic_error::too_long;
  if (decoded != basic_error::ok) {
    out.clear();
    return decoded;
  }
  const std::string_view text(out.text_.data(), decoded_length);

  basic_error result = basic_error::ok;
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    result = basic_error::missing_colon;
  } else if (colon == 0) {
    result = basic_error::empty_username;
  } else {
    result = check_utf8_text(text);
  }
  if (result != basic_error::ok) {
    out.clear();  // the decoded bytes may hold a password
    return result;
  }
  out.username_ = text.substr(0, colon);
  out.password_ = text.substr(colon + 1);
  return basic_error::ok;
}

}  // namespace jtgw::auth
