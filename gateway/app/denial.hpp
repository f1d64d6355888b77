#pragma once
// The one function that answers every authentication failure (DESIGN.md, data path 4):
// status, WWW-Authenticate, a JSON body {"error": CODE, "message": TEXT}, and the
// auth-outcome counter. The relay's "Jira rejected the stored credential" answer goes
// through it too, so a client sees one shape for "your credentials are not good".
#include "auth/authenticator.hpp"
#include "gateway/http/exchange.hpp"
#include "gateway/http/metrics.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace jtgw::app {

inline constexpr std::string_view www_authenticate_value = R"(Basic realm="jtgw", charset="UTF-8")";

// What to tell the client. `code` is one of the stable codes below; status follows it.
struct refusal {
  std::string_view code;
  std::string message;                     // one sentence; never a token or credential
  std::chrono::seconds retry_after{0};     // locked_out only
};

// Stable codes (JSON "error" and the auth_outcomes{reason} label).
inline constexpr std::string_view code_missing = "missing_credentials";
inline constexpr std::string_view code_malformed = "malformed_credentials";
inline constexpr std::string_view code_unknown = "unknown_or_revoked";
inline constexpr std::string_view code_wrong_user = "wrong_user";
inline constexpr std::string_view code_expired = "expired";
inline constexpr std::string_view code_locked_out = "locked_out";
inline constexpr std::string_view code_store_error = "store_error";
// The token is good but jtgw cannot act as the user in Jira: no sealed credential, it
// no longer unseals (key changed), or Jira refused it. The user must sign in again.
inline constexpr std::string_view code_jira_credential = "jira_credential_rejected";

// The refusal for an Authenticator denial (reason → code; the message is auth's, which
// for expired tokens names the date).
refusal refusal_of(const auth::denial& denial);

// The status a code answers with: 429 locked_out, 503 store_error, else 401.
beast::http::status refusal_status(std::string_view code) noexcept;

// Builds the response for `r` (HTTP version `version`), counting it in
// `auth_outcomes{reason=code}`: 401/429/503 as above; 401 carries WWW-Authenticate, 429
// Retry-After (whole seconds, at least 1), and no answer is ever cacheable.
http::string_response denial_response(const refusal& r, unsigned version,
                                      http::counter_family& auth_outcomes);

}  // namespace jtgw::app
