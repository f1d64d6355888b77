#pragma once
// Sealing of stored Jira credentials: AES-256-GCM (OpenSSL EVP) under a key kept in a
// file. A sealed blob is  version (1 byte) | nonce (12 random bytes) | ciphertext | tag (16).
// The associated data binds a blob to its owner: callers pass the token record's user
// exactly as stored, so a blob copied into another user's record does not unseal.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace jtgw::auth {

inline constexpr std::size_t seal_key_bytes = 32;
inline constexpr std::size_t max_seal_plaintext = 16 * 1024;

enum class seal_error {
  plaintext_too_large = 1,  // more than max_seal_plaintext bytes
  truncated,                // shorter than version + nonce + tag
  unknown_version,          // first byte is not a version this binary knows
  authentication_failed,    // wrong key, tampered bytes or other associated data
  crypto_failure,           // OpenSSL failed (out of memory, RNG failure)
};

const boost::system::error_category& seal_category() noexcept;

inline boost::system::error_code make_error_code(seal_error e) noexcept {
  return {static_cast<int>(e), seal_category()};
}

/// A 256-bit AES key. Wiped on destruction and when moved from; not copyable.
class seal_key {
 public:
  /// Takes the first seal_key_bytes of `bytes`; throws std::invalid_argument on another size.
  static seal_key from_bytes(std::string_view bytes);

  seal_key(seal_key&& other) noexcept;
  seal_key& operator=(seal_key&& other) noexcept;
  seal_key(const seal_key&) = delete;
  seal_key& operator=(const seal_key&) = delete;
  ~seal_key();

  const unsigned char* data() const noexcept { return bytes_.data(); }
  /// Unique per key object and process (never 0), kept when moved: equal serials mean
  /// equal bytes, so unseal's per-thread context can keep a key schedule across calls.
  std::uint64_t serial() const noexcept { return serial_; }

 private:
  seal_key() = default;
  static std::uint64_t next_serial() noexcept;
  std::array<unsigned char, seal_key_bytes> bytes_{};
  std::uint64_t serial_ = next_serial();
};

/// Unsealed plaintext. Wiped on destruction; moving transfers the buffer (no copy is
/// left behind). Never log view().
class secret_buffer {
 public:
  secret_buffer() = default;
  explicit secret_buffer(std::size_t size) : bytes_(size) {}
  secret_buffer(secret_buffer&&) noexcept = default;
  secret_buffer& operator=(secret_buffer&& other) noexcept;
  secret_buffer(const secret_buffer&) = delete;
  secret_buffer& operator=(const secret_buffer&) = delete;
  ~secret_buffer();

  std::string_view view() const noexcept { return {bytes_.data(), bytes_.size()}; }
  char* data() noexcept { return bytes_.data(); }
  std::size_t size() const noexcept { return bytes_.size(); }
  void resize_down(std::size_t n) noexcept;  // shrinks without reallocating

 private:
  std::vector<char> bytes_;
};

/// Encrypts and authenticates `plaintext`, binding `associated_data` (not stored).
/// A fresh random nonce per call (safe for far more than 2^20 seals under one key).
/// Errors: plaintext_too_large, crypto_failure.
boost::system::result<std::string> seal(const seal_key& key, std::string_view plaintext,
                                        std::string_view associated_data);

/// Reverses seal(). Errors: truncated, unknown_version, authentication_failed (wrong
/// key, any altered byte, or different associated data), crypto_failure.
boost::system::result<secret_buffer> unseal(const seal_key& key, std::string_view sealed,
                                            std::string_view associated_data);

}  // namespace jtgw::auth

template <>
struct boost::system::is_error_code_enum<jtgw::auth::seal_error> : std::true_type {};
