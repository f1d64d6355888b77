#pragma once
// The streaming relay: one client request forwarded to Jira, one response streamed back.
//
// Headers are written as text by header_rewrite; bodies flow through at most one bounded
// buffer in each direction (body_pump: bytes of a known length as they are, anything else
// through a Beast buffer_body parser, re-chunked), so memory per request does not grow
// with body size.
#include "gateway/http/exchange.hpp"
#include "gateway/proxy/upstream_credential.hpp"
#include "gateway/proxy/upstream_pool.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::proxy {

enum class upstream_auth_mode {
  user,     // the user's own Jira credential: Jira rejecting it means the token is stale
  service,  // a service credential acting for X-Forwarded-User: Jira's answer passes through
};

// What the route decided for this request (after authentication and decide_request).
struct relay_request {
  std::string_view upstream_target;  // request_decision::forward_target (outlives relay())
  upstream_credential credential;
  upstream_auth_mode mode = upstream_auth_mode::user;
  std::string_view forwarded_user;  // service mode: the authenticated user (outlives relay())
  std::optional<std::chrono::sys_seconds> token_expires;  // → X-Jtgw-Token-Expires
};

enum class relay_status {
  relayed,              // Jira's response (any status) reached the client whole
  credential_rejected,  // user mode, Jira refused the stored credential: 401 sent
  upstream_unreachable, // DNS, connect, TLS or a broken upstream exchange: 502 sent
  upstream_timeout,     // connect or response timeout: 504 sent
  client_body_rejected, // request body too large (413) or malformed (400): sent, closing
  client_failed,        // the client's connection failed; nothing more can be sent
  broken_mid_response,  // failure after response bytes were sent: connection closing
};

// A fixed label for logs and metrics: "relayed", "credential_rejected", …
std::string_view to_string(relay_status status) noexcept;

struct relay_outcome {
  relay_status status = relay_status::relayed;
  error_code error;  // the failure behind a non-relayed status, if any
};

// Size of the relay's body buffer in each direction.
inline constexpr std::size_t relay_chunk_size = 64 * 1024;

// Relays ex's request to the pool's upstream as planned and writes exactly one response
// (or closes the connection). Never throws on I/O; the outcome says what happened, and
// ex.record() gets status, bytes in (request body) / out (response incl. header) and the
// upstream time (request sent → response header received).
//
// Contract with the server: when the request has a body, the relay takes over
// ex.parser() by moving it into a buffer_body parser (Beast's documented way to stream a
// body after reading the header); afterwards ex.parser() and ex.request() are moved-from,
// so anything the server logs about the request must be captured before handle(). If the
// body is not consumed completely, the relay calls ex.close_after().
//
// Errors answered here: upstream unreachable (DNS, refused, TLS chain or host name) → 502
// {"error":"upstream_unreachable"}; connect or response timeout → 504
// {"error":"upstream_timeout"}; in user mode, Jira's 401 (or a 403 whose
// X-Seraph-LoginReason says authentication failed) → 401 {"error":"jira_credential_rejected"}
// with WWW-Authenticate. Once response bytes are out, a failure only closes the connection.
net::awaitable<relay_outcome> relay(http::exchange& ex, const relay_request& plan, upstream_pool& pool);

}  // namespace jtgw::proxy
