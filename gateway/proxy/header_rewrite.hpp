#pragma once
// Header rewriting at the trust boundary between the client and Jira. Pure functions on
// Beast headers; the relay calls them once per message, before anything is written.
#include "gateway/proxy/upstream_credential.hpp"

#include <boost/beast/http/message.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace jtgw::proxy {

// What the gateway knows about the client side of one request.
struct forward_context {
  std::string_view client_address;  // "127.0.0.1" / "::1", appended to X-Forwarded-For
  bool client_tls = false;          // X-Forwarded-Proto: https or http
  std::string_view request_id;      // X-Request-Id, already checked or generated
  std::string_view upstream_host;   // Host towards Jira: "jira.example.com[:port]"
  const upstream_credential* credential = nullptr;  // required
  std::string_view forwarded_user;  // service mode: X-Forwarded-User; empty in user mode
};

// Rewrites a client's request header for Jira, in place:
// - removes Authorization, Cookie, every Proxy-* header, the hop-by-hop headers
//   (Connection, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Expect) and every
//   header the client named in Connection; removes any client X-Forwarded-User, which
//   only jtgw may assert;
// - sets Authorization from ctx.credential, Host = ctx.upstream_host,
//   X-Forwarded-Proto, X-Forwarded-Host (the client's Host, if it had one),
//   X-Request-Id, X-Forwarded-User when ctx.forwarded_user is non-empty; appends the
//   client address to X-Forwarded-For.
// Framing (Content-Length / chunked) is the caller's job: Transfer-Encoding is removed
// here because the relay re-frames the body itself.
void rewrite_request_header(boost::beast::http::request_header<>& header, const forward_context& ctx);

// Rewrites Jira's response header for the client, in place: removes Set-Cookie,
// Proxy-* and the hop-by-hop headers (and those named in Connection); when
// token_expires is set, adds X-Jtgw-Token-Expires as RFC 3339 UTC ("2025-12-31T23:59:59Z").
void rewrite_response_header(boost::beast::http::response_header<>& header,
                             std::optional<std::chrono::sys_seconds> token_expires);

// RFC 3339 UTC text of a time point, to the second: "2025-12-31T23:59:59Z".
std::string rfc3339_utc(std::chrono::sys_seconds when);

}  // namespace jtgw::proxy
