#pragma once
// The Authenticator: one request's Authorization value, client address and time in;
// a principal or a denial out. It knows nothing of sockets or HTTP responses.

#include "auth/basic_credentials.hpp"
#include "auth/lockout.hpp"
#include "auth/token_format.hpp"
#include "storage/token_store.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace jtgw::auth {

/// Who a request acts for. Never holds the token itself.
struct principal {
  std::string user;       // as stored in the token record (the username's case may differ)
  std::string token_id;   // not secret; for logs and audit
  /// The first instant the token is no longer valid (own expiry capped by policy);
  /// nullopt: it never expires.
  std::optional<storage::clock_time> expires_at;
  std::string sealed_credential;  // the user's sealed Jira credential; empty = none
};

enum class denial_reason {
  missing,             // no Authorization value
  malformed,           // not Basic, bad base64/UTF-8, or the password is not a token's shape
  unknown_or_revoked,  // no such token (never issued, or revoked)
  wrong_user,          // the token belongs to another user
  expired,             // past its effective expiry
  locked_out,          // too many failures for (user, address); see retry_after
  store_error,         // the store failed: the gateway answers 5xx, not 401
};

/// A stable machine-readable code for JSON error bodies and metrics labels, e.g.
/// "unknown_or_revoked".
std::string_view code(denial_reason reason) noexcept;

struct denial {
  denial_reason reason = denial_reason::malformed;
  /// One English sentence for the client. Never contains the token or password.
  std::string message;
  /// locked_out only: time until the pair unlocks, rounded up to whole seconds (>= 1).
  std::chrono::seconds retry_after{0};
  /// malformed only: which check failed.
  std::variant<std::monostate, basic_error, token_shape_error> detail;
  /// expired only: the instant it expired.
  std::optional<storage::clock_time> expired_at;
  /// store_error only: what the store reported (for the server log, not the client).
  boost::system::error_code store_code;
};

using verdict = std::variant<principal, denial>;

/// Thread-safe: verify() may be called from many threads at once (the store is
/// thread-safe, the lockout table has its own mutex). Holds a reference to the store,
/// which must outlive it.
class authenticator {
 public:
  explicit authenticator(storage::token_store& store, lockout_config lockout = {});

  /// Decides one request. `authorization_value` is the Authorization field value (empty
  /// if absent); `client_address` the peer's IP address as text; `now` the request time.
  /// Steps, first failure wins: parse Basic → token shape → lockout → digest lookup →
  /// owner equals username (ASCII case-insensitive) → effective expiry (policy read from
  /// the store on every call) → record last use (best effort: its failure does not deny).
  /// Failures counted towards lockout: token shape, unknown_or_revoked and wrong_user for
  /// a parsed username. Not counted: expired (the caller proved it holds a real token; a
  /// lockout would only hide the helpful "expired" answer) and store errors.
  /// Nothing is cached between calls: a revoked token fails on the next call.
  /// The failure that locks a pair appends an audit event (kind auth.lockout, user,
  /// detail "address=…") through storage::record_audit.
  /// Never throws except std::bad_alloc.
  verdict verify(std::string_view authorization_value, std::string_view client_address,
                 storage::clock_time now);

  /// The (user, address) lockout this Authenticator counts into. The portal's sign-in
  /// shares it, so failed Jira sign-ins and bad tokens lock the same pair.
  lockout_tracker& lockout() noexcept { return lockout_; }

 private:
  // Counts a failure towards the lockout; a failure that locks the pair is audited.
  void count_failure(std::string_view username, std::string_view client_address, storage::clock_time now);
  denial refuse(denial_reason reason, std::string_view username, std::string_view client_address,
                storage::clock_time now);

  storage::token_store& store_;
  lockout_tracker lockout_;
};

}  // namespace jtgw::auth
