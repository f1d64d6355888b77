#pragma once
// The self-service token portal (issue 6): the page, its assets and its JSON API.
//
//   GET  /                    the page (index.html)
//   GET  /assets/NAME         its script and stylesheet
//   GET  /api/session         who is signed in: {"username","csrf_token","expires_at",
//                             "today","max_expires","max_days"} or 401
//   POST /api/session         {"username","secret"} → Jira /myself → 200 + cookie +
//                             {"csrf_token",…}; 401 wrong credentials; 429 locked out;
//                             502 Jira unreachable
//   DELETE /api/session       sign out (X-CSRF-Token) → 204
//   GET  /api/tokens          the user's tokens [{"id","label","created","expires",
//                             "last_used","expires_at"}]; created/last_used/expires_at
//                             RFC 3339 UTC or null, expires "YYYY-MM-DD" or null
//   POST /api/tokens          {"label","expires"} (X-CSRF-Token) → 201 with "token" once
//   DELETE /api/tokens/ID     (X-CSRF-Token) → 204; not the user's → 404
//   GET  /api/tableau.tds     the Tableau data source for this gateway and user
// The user always comes from the session. Every /api answer is Cache-Control: no-store.
#include "auth/lockout.hpp"
#include "auth/sealing.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/exchange.hpp"
#include "gateway/portal/jira_sign_in.hpp"
#include "gateway/portal/session_store.hpp"
#include "storage/token_store.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::proxy {
class upstream_pool;
}

namespace jtgw::portal {

/// Request bodies of the API are small: a label and a date, or a username and a token.
inline constexpr std::size_t max_api_body = 8 * 1024;
inline constexpr std::size_t max_username_bytes = 256;
inline constexpr std::size_t max_secret_bytes = 4 * 1024;

struct portal_parts {
  storage::token_store& store;
  /// The Authenticator's lockout: failed sign-ins count toward the same (user, address).
  auth::lockout_tracker& lockout;
  proxy::upstream_pool& pool;
  config::jira_flavor flavor = config::jira_flavor::cloud;
  /// User mode: the Jira secret is sealed into every token with this key. nullptr in
  /// service mode: the secret is checked at sign-in, then not kept at all.
  std::shared_ptr<const auth::seal_key> seal_key;
  session_limits sessions = {};
};

/// True for the paths the portal answers: "/", "/assets/…", "/api/…".
bool is_portal_path(std::string_view path) noexcept;

class portal_service {
 public:
  explicit portal_service(portal_parts parts);

  /// Answers one request whose path is_portal_path(). Writes exactly one response.
  net::awaitable<void> handle(http::exchange& ex);

  session_store& sessions() noexcept { return sessions_; }

 private:
  struct signed_in {
    std::string id;  // the cookie value
    session_view view;
  };

  net::awaitable<void> handle_api(http::exchange& ex, std::string_view path);
  http::string_response serve_asset(const http::exchange& ex, std::string_view path) const;

  // Sign-in and sign-out (session_api.cpp).
  net::awaitable<http::string_response> sign_in(http::exchange& ex);
  http::string_response session_status(const http::exchange& ex, const signed_in& who) const;
  http::string_response sign_out(const http::exchange& ex, const std::optional<signed_in>& who);

  // Tokens (tokens_api.cpp).
  http::string_response list_tokens(const http::exchange& ex, const signed_in& who) const;
  http::string_response create_token(http::exchange& ex, const signed_in& who, std::string_view body);
  http::string_response revoke_token(http::exchange& ex, const signed_in& who, std::string_view id);
  http::string_response tableau_source(const http::exchange& ex, const signed_in& who) const;

  std::optional<signed_in> session_of(const http::exchange& ex, storage::clock_time now);
  // Records an audit event and logs it (never a secret); a failed audit write is logged.
  void audit(std::string_view kind, std::string_view user, std::string_view token_id, std::string_view detail);

  portal_parts parts_;
  session_store sessions_;
  jira_sign_in jira_;
};

/// The current time as the store keeps it.
storage::clock_time now_ms() noexcept;

}  // namespace jtgw::portal
