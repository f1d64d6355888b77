#include "auth/sealing.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>

namespace jtgw::auth {
namespace {

constexpr unsigned char seal_version = 1;
constexpr std::size_t nonce_bytes = 12;  // GCM's native IV size
constexpr std::size_t tag_bytes = 16;
constexpr std::size_t overhead = 1 + nonce_bytes + tag_bytes;

struct ctx_deleter {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
  void operator()(EVP_CIPHER* cipher) const noexcept { EVP_CIPHER_free(cipher); }
};
using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter>;

// OpenSSL 3 looks EVP_aes_256_gcm() up in its provider store on every use: fetch once.
const EVP_CIPHER* aes_256_gcm() noexcept {
  static const std::unique_ptr<EVP_CIPHER, ctx_deleter> cipher(EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr));
  return cipher.get();
}

// unseal runs on every request in auth = "user": one decryption context per thread, set
// up for AES-256-GCM once and keyed once per key. The key schedule costs as much as the
// decryption itself, so a call with the key the context already holds only sets the
// nonce, which resets every piece of GCM state (a failed verification leaves nothing
// behind either). Keys are told apart by seal_key::serial(): comparing
// addresses would mistake a new key allocated where a destroyed one lived for the old.
struct decryption_context {
  cipher_ctx ctx;
  std::uint64_t key_serial = 0;  // 0: no key set
};

// The thread's context, keyed with `key`; nullptr if OpenSSL failed.
EVP_CIPHER_CTX* decryption_context_for(const seal_key& key) noexcept {
  thread_local decryption_context context = [] {
    decryption_context fresh{cipher_ctx(EVP_CIPHER_CTX_new())};
    if (fresh.ctx && (!aes_256_gcm() ||
                      EVP_DecryptInit_ex2(fresh.ctx.get(), aes_256_gcm(), nullptr, nullptr, nullptr) != 1))
      fresh.ctx.reset();
    return fresh;
  }();
  if (!context.ctx) return nullptr;
  if (context.key_serial != key.serial()) {
    context.key_serial = 0;  // stays unset if keying fails
    if (EVP_DecryptInit_ex2(context.ctx.get(), nullptr, key.data(), nullptr, nullptr) != 1) return nullptr;
    context.key_serial = key.serial();
  }
  return context.ctx.get();
}

class seal_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "jtgw.seal"; }
  std::string message(int ev) const override {
    switch (static_cast<seal_error>(ev)) {
      case seal_error::plaintext_too_large: return "the credential to seal is too large";
      case seal_error::truncated: return "the sealed credential is truncated";
      case seal_error::unknown_version: return "the sealed credential has an unknown format version";
      case seal_error::authentication_failed:
        return "the sealed credential does not authenticate (wrong key, altered, or another owner's)";
      case seal_error::crypto_failure: return "OpenSSL failed while sealing or unsealing";
    }
    return "unknown sealing error";
  }
};

const unsigned char* bytes(std::string_view s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// The version byte is authenticated along with the caller's data, so it cannot be
// swapped for another format's.
bool add_associated_data(EVP_CIPHER_CTX* ctx, std::string_view associated_data, bool encrypt) {
  auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
  int len = 0;
  return update(ctx, nullptr, &len, &seal_version, 1) == 1 &&
         update(ctx, nullptr, &len, bytes(associated_data), static_cast<int>(associated_data.size())) == 1;
}

}  // namespace

const boost::system::error_category& seal_category() noexcept {
  static const seal_category_impl category;
  return category;
}

seal_key seal_key::from_bytes(std::string_view raw) {
  if (raw.size() != seal_key_bytes) {
    throw std::invalid_argument("a seal key must be exactly 32 bytes");
  }
  seal_key key;
  std::copy(raw.begin(), raw.end(), key.bytes_.begin());
  return key;
}

std::uint64_t seal_key::next_serial() noexcept {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

// The moved-from key now holds other bytes (zeros): it gets a serial of its own.
seal_key::seal_key(seal_key&& other) noexcept
    : bytes_(other.bytes_), serial_(std::exchange(other.serial_, next_serial())) {
  OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
}

seal_key& seal_key::operator=(seal_key&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    serial_ = std::exchange(other.serial_, next_serial());
    OPENSSL_cleanse(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

seal_key::~seal_key() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

secret_buffer& secret_buffer::operator=(secret_buffer&& other) noexcept {
  if (this != &other) {
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
    bytes_ = std::move(other.bytes_);
  }
  return *this;
}

secret_buffer::~secret_buffer() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

void secret_buffer::resize_down(std::size_t n) noexcept {
  if (n >= bytes_.size()) return;
  OPENSSL_cleanse(bytes_.data() + n, bytes_.size() - n);
  bytes_.resize(n);  // shrinking never reallocates
}

boost::system::result<std::string> seal(const seal_key& key, std::string_view plaintext,
                                        std::string_view associated_data) {
  if (plaintext.size() > max_seal_plaintext) return seal_error::plaintext_too_large;
  std::string out(overhead + plaintext.size(), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = seal_version;
  unsigned char* nonce = p + 1;
  unsigned char* ciphertext = nonce + nonce_bytes;
  unsigned char* tag = ciphertext + plaintext.size();
  if (RAND_bytes(nonce, static_cast<int>(nonce_bytes)) != 1) return seal_error::crypto_failure;

  cipher_ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || !aes_256_gcm() || EVP_EncryptInit_ex2(ctx.get(), aes_256_gcm(), key.data(), nonce, nullptr) != 1 ||
      !add_associated_data(ctx.get(), associated_data, true) ||
      EVP_EncryptUpdate(ctx.get(), ciphertext, &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ciphertext + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(tag_bytes), tag) != 1) {
    return seal_error::crypto_failure;
  }
  return out;
}

boost::system::result<secret_buffer> unseal(const seal_key& key, std::string_view sealed,
                                            std::string_view associated_data) {
  if (sealed.size() < overhead) return seal_error::truncated;
  if (static_cast<unsigned char>(sealed[0]) != seal_version) return seal_error::unknown_version;
  const unsigned char* nonce = bytes(sealed) + 1;
  const unsigned char* ciphertext = nonce + nonce_bytes;
  const std::size_t ciphertext_size = sealed.size() - overhead;
  // SET_TAG takes a non-const pointer but only reads; copy to stay honest about constness.
  std::array<unsigned char, tag_bytes> tag;
  std::copy_n(ciphertext + ciphertext_size, tag_bytes, tag.begin());

  secret_buffer plaintext(ciphertext_size);
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  EVP_CIPHER_CTX* ctx = decryption_context_for(key);
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex2(ctx, nullptr, nullptr, nonce, nullptr) != 1 ||
      !add_associated_data(ctx, associated_data, false) ||
      EVP_DecryptUpdate(ctx, out, &len, ciphertext, static_cast<int>(ciphertext_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag_bytes), tag.data()) != 1) {
    return seal_error::crypto_failure;
  }
  // Final verifies the tag; on failure the decrypted bytes are wiped by ~secret_buffer.
  if (EVP_DecryptFinal_ex(ctx, out + len, &len) != 1) return seal_error::authentication_failed;
  return plaintext;
}

}  // namespace jtgw::auth
