#pragma once
// Header rewriting at the trust boundary between the client and Jira. Each message's
// header is written once, as text, straight from the header it replaces: no copy of the
// fields, no per-field allocation, no serializer (on a small proxied request those cost
// more than the rest of the relay). The relay calls these before anything is written.
#include "gateway/proxy/response_head.hpp"
#include "gateway/proxy/upstream_credential.hpp"

#include <boost/beast/http/message.hpp>

#include <chrono>
#include <optional>
#include <string>
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

// Writes (replacing `out`'s content, keeping its capacity) the request header Jira gets
// for the client's `header`: "METHOD target_prefix+target HTTP/1.1", then
// - the client's fields except Authorization, Cookie, every Proxy-* header, the
//   hop-by-hop headers (Connection, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade,
//   Expect) and every header the client named in Connection, and except the ones jtgw
//   sets itself (Host, X-Forwarded-*, X-Request-Id) — only jtgw may assert those;
// - Host = ctx.upstream_host, Authorization from ctx.credential, X-Forwarded-For (the
//   client's list, several lines folded into one, plus ctx.client_address),
//   X-Forwarded-Proto, X-Forwarded-Host (the client's Host, if it had one),
//   X-Request-Id, X-Forwarded-User when ctx.forwarded_user is non-empty;
// - Transfer-Encoding: chunked when `chunked` (the relay re-frames a chunked body); a
//   client's Content-Length passes through unchanged.
// The header's values were validated by Beast's parser (no CR/LF inside).
void write_upstream_request_header(std::string& out, const boost::beast::http::request_header<>& header,
                                   std::string_view target_prefix, std::string_view target,
                                   const forward_context& ctx, bool chunked);

// How the client's response is framed and what jtgw adds to it.
struct response_context {
  unsigned version = 11;             // the client's HTTP version: 10 or 11
  bool keep_alive = true;            // Connection: close (1.1) / keep-alive (1.0) follows from it
  bool chunked = false;              // the relay re-chunks the body: Transfer-Encoding: chunked,
                                     // Jira's Content-Length dropped
  std::string_view request_id;       // X-Request-Id
  std::optional<std::chrono::sys_seconds> token_expires;  // → X-Jtgw-Token-Expires
};

// Writes (replacing `out`'s content, keeping its capacity) the response header the client
// gets for Jira's `header`: Jira's status and reason, and its fields except Set-Cookie,
// Proxy-*, the hop-by-hop headers (and those named in Connection), X-Request-Id and
// X-Jtgw-Token-Expires, which jtgw sets itself; then X-Request-Id, X-Jtgw-Token-Expires as
// RFC 3339 UTC ("2025-12-31T23:59:59Z") when the token expires, the framing and Connection.
// (A header Beast parsed comes as head_of(header).)
void write_client_response_header(std::string& out, const response_head& header, const response_context& ctx);

// RFC 3339 UTC text of a time point, to the second: "2025-12-31T23:59:59Z".
std::string rfc3339_utc(std::chrono::sys_seconds when);

}  // namespace jtgw::proxy
