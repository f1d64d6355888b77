#include "auth/authenticator.hpp"

#include "auth/expiry.hpp"
#include "auth/token_digest.hpp"
#include "storage/audit_log.hpp"
#include "storage/meta_codec.hpp"

#include <openssl/crypto.h>

namespace jtgw::auth {
namespace {

denial malformed(std::variant<std::monostate, basic_error, token_shape_error> detail,
                 std::string_view text) {
  denial d;
  d.reason = denial_reason::malformed;
  d.message = text;
  d.detail = detail;
  return d;
}

std::string_view default_message(denial_reason reason) noexcept {
  switch (reason) {
    case denial_reason::missing: return "no credentials were sent; use HTTP Basic with your username and access token";
    case denial_reason::malformed: return "the credentials are malformed";
    case denial_reason::unknown_or_revoked: return "the access token is unknown or has been revoked";
    case denial_reason::wrong_user: return "the access token does not belong to this username";
    case denial_reason::expired: return "the access token has expired";
    case denial_reason::locked_out: return "too many failed attempts for this username from this address";
    case denial_reason::store_error: return "the token store is unavailable; try again later";
  }
  return "access denied";
}

denial make_denial(denial_reason reason) {
  denial d;
  d.reason = reason;
  d.message = default_message(reason);
  return d;
}

denial store_failure(boost::system::error_code ec) {
  denial d = make_denial(denial_reason::store_error);
  d.store_code = ec;
  return d;
}

}  // namespace

std::string_view code(denial_reason reason) noexcept {
  switch (reason) {
    case denial_reason::missing: return "missing";
    case denial_reason::malformed: return "malformed";
    case denial_reason::unknown_or_revoked: return "unknown_or_revoked";
    case denial_reason::wrong_user: return "wrong_user";
    case denial_reason::expired: return "expired";
    case denial_reason::locked_out: return "locked_out";
    case denial_reason::store_error: return "store_error";
  }
  return "denied";
}

authenticator::authenticator(storage::token_store& store, lockout_config lockout)
    : store_(store), lockout_(lockout) {}

void authenticator::count_failure(std::string_view username, std::string_view client_address,
                                  storage::clock_time now) {
  if (!lockout_.record_failure(username, client_address, now)) return;
  storage::audit_event event;
  event.at = now;
  event.kind = storage::audit_kind::lockout;
  event.actor = username;
  event.user = username;
  event.detail = "address=" + std::string(client_address);
  // Best effort: the lock is in force whether or not the event could be stored.
  (void)storage::record_audit(store_, std::move(event));
}

denial authenticator::refuse(denial_reason reason, std::string_view username,
                             std::string_view client_address, storage::clock_time now) {
  count_failure(username, client_address, now);
  return make_denial(reason);
}

verdict authenticator::verify(std::string_view authorization_value, std::string_view client_address,
                              storage::clock_time now) {
  basic_credentials credentials;
  if (const basic_error e = parse_basic(authorization_value, credentials); e != basic_error::ok) {
    if (e == basic_error::empty) return make_denial(denial_reason::missing);
    return malformed(e, message(e));
  }
  // The password is a secret from here on: ~basic_credentials wipes it.
  const std::string_view username = credentials.username();

  if (const token_shape_error e = check_token_shape(credentials.password()); e != token_shape_error::ok) {
    count_failure(username, client_address, now);
    return malformed(e, message(e));
  }

  if (const auto wait = lockout_.locked_for(username, client_address, now)) {
    denial d = make_denial(denial_reason::locked_out);
    d.retry_after = std::chrono::ceil<std::chrono::seconds>(*wait);
    d.message = std::string(default_message(d.reason)) + "; try again in " +
                std::to_string(d.retry_after.count()) + " seconds";
    return d;
  }

  const storage::token_digest digest = digest_of(credentials.password());
  auto record = store_.find_by_digest(digest);
  if (!record) {
    if (record.error() == storage::store_error::not_found) {
      return refuse(denial_reason::unknown_or_revoked, username, client_address, now);
    }
    return store_failure(record.error());
  }
  // The lookup matched on the digest already; compare in constant time anyway so that
  // correctness never rests on the store's key comparison.
  if (CRYPTO_memcmp(record->digest.data(), digest.data(), digest.size()) != 0) {
    return refuse(denial_reason::unknown_or_revoked, username, client_address, now);
  }
  if (!storage::equal_folded(record->user, username)) {
    return refuse(denial_reason::wrong_user, username, client_address, now);
  }

  // Read per call so that a policy set by an admin applies to the very next request.
  const auto policy = store_.get_policy();
  if (!policy) return store_failure(policy.error());
  const auto expires_at = effective_expiry(*record, *policy);
  if (is_expired(expires_at, now)) {
    denial d = make_denial(denial_reason::expired);
    d.expired_at = expires_at;
    d.message = "the access token expired at " + to_rfc3339(*expires_at) + "; create a new one";
    return d;
  }

  // Best effort: a failed last-use write must not turn a valid request away.
  (void)store_.touch_last_used(*record, now);

  return principal{
      .user = std::move(record->user),
      .token_id = std::move(record->id),
      .expires_at = expires_at,
      .sealed_credential = std::move(record->sealed_credential),
  };
}

}  // namespace jtgw::auth
