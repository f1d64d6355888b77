#pragma once
// Request-level defences the session applies before any handler sees a request:
// framing ambiguities that enable request smuggling, and request forms a read-only
// gateway never serves. Each returns the response to send; the session then closes.
#include "gateway/http/exchange.hpp"

#include <optional>
#include <string_view>

namespace jtgw::http {

struct request_rejection {
  beast::http::status status;
  std::string_view code;     // the JSON "error" value
  std::string_view message;  // the JSON "message" value
};

// True if the raw header block (request line to the blank line) folds a header line
// (obs-fold: a line starting with SP or HTAB). Beast unfolds such lines silently, and a
// front proxy may not, so the two would disagree on the headers: reject instead.
bool has_obs_fold(std::string_view header_block) noexcept;

// Checks a parsed header: CONNECT, any target that is not origin-form ("/…"), a
// Transfer-Encoding other than exactly "chunked", and a missing or repeated Host on
// HTTP/1.1 are rejected with 400. Nothing when the header is acceptable.
std::optional<request_rejection> check_request_header(const request_header& header);

// The answer to a header parse error from Beast: header_limit → 431, body_limit → 413,
// anything else (bad Content-Length, CL together with TE, two different Content-Lengths,
// bad syntax) → 400.
request_rejection rejection_for_parse_error(const error_code& ec) noexcept;

// The answer to an error while reading a request body: body_limit → 413, else 400
// (bad chunk framing, a body shorter than announced).
request_rejection rejection_for_body_error(const error_code& ec) noexcept;

}  // namespace jtgw::http
