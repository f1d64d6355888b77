#include "auth/basic_credentials.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <cstdint>

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

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Validates `text` as canonical padded base64 and returns the decoded length. A space
// or tab means a second token after the credentials (trailing_data).
basic_error check_base64(std::string_view text, std::size_t& decoded_length) noexcept {
  std::size_t padding = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto v = base64_value[static_cast<unsigned char>(text[i])];
    if (v == -1) return is_ows(text[i]) ? basic_error::trailing_data : basic_error::bad_base64_character;
    if (v == -2) {
      ++padding;
    } else if (padding > 0) {
      return basic_error::bad_base64_padding;  // data after '='
    }
  }
  if (padding > 2) return basic_error::bad_base64_padding;
  if (text.size() % 4 != 0) return basic_error::bad_base64_length;
  if (padding > 0) {
    // The last data character carries 4 (one '=' → 2) bits beyond the data; they must
    // be zero, or two different encodings would decode to the same credentials.
    const auto last = base64_value[static_cast<unsigned char>(text[text.size() - padding - 1])];
    const int unused_mask = padding == 2 ? 0x0f : 0x03;
    if ((last & unused_mask) != 0) return basic_error::noncanonical_base64;
  }
  decoded_length = text.size() / 4 * 3 - padding;
  return basic_error::ok;
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
    if (ascii_lower(value[i]) != scheme[i]) return basic_error::not_basic;
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
  std::size_t decoded_length = 0;
  if (auto e = check_base64(rest, decoded_length); e != basic_error::ok) return e;
  if (decoded_length > max_decoded_credentials) return basic_error::too_long;

  // EVP_DecodeBlock writes whole 3-byte groups (padding decodes as zero bytes).
  out.written_ = rest.size() / 4 * 3;
  if (EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.text_.data()),
                      reinterpret_cast<const unsigned char*>(rest.data()), static_cast<int>(rest.size())) < 0) {
    out.clear();
    return basic_error::bad_base64_character;  // unreachable after check_base64
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
