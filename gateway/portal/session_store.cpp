#include "gateway/portal/session_store.hpp"

#include "auth/token_digest.hpp"
#include "storage/meta_codec.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstring>

namespace jtgw::portal {

namespace {

constexpr std::size_t random_bytes = 32;
constexpr std::size_t encoded_length = 43;  // base64url of 32 bytes, unpadded

// base64url without padding (RFC 4648 §5): safe in cookies and headers as is.
std::optional<std::string> random_base64url() {
  std::array<unsigned char, random_bytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return std::nullopt;
  std::array<unsigned char, 4 * ((random_bytes + 2) / 3) + 1> encoded{};
  const int n = EVP_EncodeBlock(encoded.data(), bytes.data(), static_cast<int>(bytes.size()));
  OPENSSL_cleanse(bytes.data(), bytes.size());
  std::string text(reinterpret_cast<const char*>(encoded.data()), static_cast<std::size_t>(n));
  OPENSSL_cleanse(encoded.data(), encoded.size());
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return text;
}

bool is_base64url(std::string_view text) noexcept {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

session_store::session_store(session_limits limits) : limits_(limits) {}

std::optional<session_store::key_type> session_store::key_of(std::string_view id) noexcept {
  if (id.size() != encoded_length || !is_base64url(id)) return std::nullopt;
  return auth::digest_of(id);
}

void session_store::purge_expired(storage::clock_time now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = now >= it->second.view.expires_at ? sessions_.erase(it) : std::next(it);
  }
}

boost::system::result<new_session, session_error> session_store::create(std::string user, auth::secret_buffer secret,
                                                                        storage::clock_time now) {
  auto id = random_base64url();
  auto csrf = random_base64url();
  if (!id || !csrf) return session_error::rng_failure;
  const auto key = *key_of(*id);

  std::lock_guard lock(mutex_);
  purge_expired(now);
  // Per user: drop the oldest beyond the cap (a user signing in again and again from
  // scripts must not fill the table); globally: refuse, so nobody is signed out by others.
  std::size_t mine = 0;
  auto oldest = sessions_.end();
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (storage::equal_folded(it->second.view.user, user)) {
      ++mine;
      if (oldest == sessions_.end() || it->second.created < oldest->second.created) oldest = it;
    }
  }
  if (mine >= limits_.max_per_user && oldest != sessions_.end()) sessions_.erase(oldest);
  if (sessions_.size() >= limits_.max_sessions) return session_error::full;

  session_view view{std::move(user), std::move(*csrf), now + limits_.lifetime};
  sessions_.emplace(key, entry{view, std::move(secret), now});
  return new_session{std::move(*id), std::move(view)};
}

std::optional<session_view> session_store::find(std::string_view id, storage::clock_time now) {
  const auto key = key_of(id);
  if (!key) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(*key);
  if (it == sessions_.end()) return std::nullopt;
  if (now >= it->second.view.expires_at) {
    sessions_.erase(it);  // wipes the secret (secret_buffer's destructor)
    return std::nullopt;
  }
  return it->second.view;
}

std::optional<boost::system::result<std::string>> session_store::seal_secret(std::string_view id,
                                                                             const auth::seal_key& key,
                                                                             storage::clock_time now) {
  const auto session_key = key_of(id);
  if (!session_key) return std::nullopt;
  std::lock_guard lock(mutex_);
  const auto it = sessions_.find(*session_key);
  if (it == sessions_.end() || now >= it->second.view.expires_at) return std::nullopt;
  // Bound to the user exactly as the token record stores it (the session's user).
  return auth::seal(key, it->second.secret.view(), it->second.view.user);
}

void session_store::remove(std::string_view id) {
  const auto key = key_of(id);
  if (!key) return;
  std::lock_guard lock(mutex_);
  sessions_.erase(*key);
}

std::size_t session_store::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

bool csrf_matches(const session_view& session, std::string_view header) noexcept {
  const std::string_view expected = session.csrf_token;
  return !header.empty() && header.size() == expected.size() &&
         CRYPTO_memcmp(header.data(), expected.data(), expected.size()) == 0;
}

}  // namespace jtgw::portal
