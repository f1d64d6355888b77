#pragma once
// Parsing of an HTTP Basic Authorization value (RFC 7617 over RFC 7235/9110).

#include <array>
#include <cstddef>
#include <string_view>

namespace jtgw::auth {

/// Decoded credentials are capped at this many bytes (checked on the encoded length
/// before decoding, so an oversized header costs no work).
inline constexpr std::size_t max_decoded_credentials = 1024;

/// Why an Authorization value is not usable Basic credentials. One value per failure.
enum class basic_error {
  ok = 0,
  empty,                   // no value at all (the header is missing or blank)
  not_basic,               // another scheme (Bearer, Digest, ...) or no scheme separator
  missing_credentials,     // "Basic" with nothing after it
  bad_separator,           // scheme and credentials separated by something other than SP
  trailing_data,           // more than one token68 after the scheme (a space inside)
  too_long,                // more than max_decoded_credentials once decoded
  bad_base64_character,    // a character outside A-Z a-z 0-9 + / =
  bad_base64_length,       // length is not a multiple of 4 (padding omitted or cut)
  bad_base64_padding,      // '=' anywhere but at the end, or more than two
  noncanonical_base64,     // the unused bits of the last character are not zero
  missing_colon,           // decoded text has no ':' between user-id and password
  empty_username,          // nothing before the first ':'
  invalid_utf8,            // decoded text is not well-formed UTF-8
  control_character,       // a C0/C1 control character or DEL in user-id or password
};

/// A short English sentence for `e`, fit for an HTTP error body. Never contains input.
std::string_view message(basic_error e) noexcept;

/// User-id and password, split at the first colon (passwords may contain colons).
/// Both views point into this object's own buffer, so parsing allocates nothing; the
/// object is neither copyable nor movable and the views live as long as it does.
/// `password` is a secret: callers must not log it. The buffer is wiped on destruction.
class basic_credentials {
 public:
  basic_credentials() = default;
  basic_credentials(const basic_credentials&) = delete;
  basic_credentials& operator=(const basic_credentials&) = delete;
  ~basic_credentials();

  std::string_view username() const noexcept { return username_; }
  std::string_view password() const noexcept { return password_; }

 private:
  friend basic_error parse_basic(std::string_view authorization_value, basic_credentials& out) noexcept;
  void clear() noexcept;  // wipes what was decoded; both views empty
  // The decoded "username:password"; base64 decodes in whole 3-byte groups.
  std::array<char, (max_decoded_credentials + 2) / 3 * 3> text_;
  std::size_t written_ = 0;  // bytes of text_ the last parse wrote (to wipe)
  std::string_view username_;
  std::string_view password_;
};

/// Parses an Authorization field value. Leading and trailing SP/HTAB are ignored (they
/// are not part of a field value, RFC 9110 §5.5); then `Basic` (any case), one or more
/// SP, and exactly one canonical, padded base64 token68.
/// On success fills `out` and returns basic_error::ok; otherwise returns the first
/// basic_error found and leaves `out` empty (no username, no password, nothing of the
/// decoded bytes). Allocates nothing.
basic_error parse_basic(std::string_view authorization_value, basic_credentials& out) noexcept;

/// Checks that `text` is well-formed UTF-8 (no overlongs, no surrogates, at most
/// U+10FFFF) and holds no control character (C0, DEL, C1).
/// Returns basic_error::ok, invalid_utf8 or control_character.
basic_error check_utf8_text(std::string_view text) noexcept;

}  // namespace jtgw::auth
