#pragma once
// Signed-in portal sessions, held in memory only (issue 6): a random id in an HttpOnly
// cookie names one; the server keeps the user, a CSRF token, a fixed expiry (8 hours
// from sign-in, not extended by use) and the user's Jira secret, which exists nowhere
// else in clear. Sessions are looked up by the SHA-256 of their id, so lookup time says
// nothing about a guessed id. Memory is bounded: at most max_sessions live sessions
// (expired ones are purged first) and max_per_user per user (the oldest is dropped).
// Thread-safe.
#include "auth/sealing.hpp"
#include "storage/token_store.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::portal {

struct session_limits {
  std::chrono::milliseconds lifetime = std::chrono::hours{8};
  std::size_t max_sessions = 10'000;
  std::size_t max_per_user = 16;
};

/// What a request may know of its session. Holds no secret.
struct session_view {
  std::string user;        // as typed at sign-in (trimmed); owns the tokens created
  std::string csrf_token;  // sent back by the page in X-CSRF-Token
  storage::clock_time expires_at{};
};

struct new_session {
  std::string id;  // the cookie value: 43 base64url characters (256 random bits)
  session_view view;
};

enum class session_error {
  full = 1,      // max_sessions live sessions already
  rng_failure,   // OpenSSL could not deliver random bytes
};

class session_store {
 public:
  explicit session_store(session_limits limits = {});

  /// Starts a session for `user` holding `secret` (moved in; wiped when the session
  /// ends). Purges expired sessions first. Errors: full, rng_failure.
  boost::system::result<new_session, session_error> create(std::string user, auth::secret_buffer secret,
                                                           storage::clock_time now);

  /// The live session named by cookie value `id`, or nullopt (unknown, malformed or
  /// expired; an expired one is removed and its secret wiped).
  std::optional<session_view> find(std::string_view id, storage::clock_time now);

  /// auth::seal(key, Jira secret, user) for the live session `id`, so the secret never
  /// leaves the store in clear. nullopt when the session ended meanwhile; otherwise
  /// seal's result (errors: plaintext_too_large, crypto_failure).
  std::optional<boost::system::result<std::string>> seal_secret(std::string_view id, const auth::seal_key& key,
                                                                storage::clock_time now);

  /// Ends the session (sign-out); unknown ids are ignored.
  void remove(std::string_view id);

  /// Live plus not yet purged sessions (tests, metrics).
  std::size_t size() const;

  const session_limits& limits() const noexcept { return limits_; }

 private:
  struct entry {
    session_view view;
    auth::secret_buffer secret;
    storage::clock_time created{};
  };
  using key_type = storage::token_digest;  // SHA-256 of the id

  static std::optional<key_type> key_of(std::string_view id) noexcept;
  void purge_expired(storage::clock_time now);  // mutex_ held

  session_limits limits_;
  mutable std::mutex mutex_;
  std::map<key_type, entry> sessions_;
};

/// CSRF check for `session`: `header` (X-CSRF-Token) equals its token, compared in
/// constant time. False for an empty header.
bool csrf_matches(const session_view& session, std::string_view header) noexcept;

}  // namespace jtgw::portal
