#pragma once
// The responses jtgw builds whole (not streamed): the JSON errors of the server core and
// of every room (body shape {"error": CODE, "message": TEXT}, as the gateway's denials),
// JSON answers, and plain documents. All carry Cache-Control: no-store: they describe
// one user's state or the service's state at this instant. Keep-alive and
// Content-Length are left to the writer (exchange::write sets both).
#include "gateway/http/exchange.hpp"

#include <boost/json/fwd.hpp>

#include <string>
#include <string_view>

namespace jtgw::http {

// `status`, Content-Type `content_type`, Cache-Control: no-store, and `body`; HTTP
// version `version` (11 = 1.1).
string_response text_response(beast::http::status status, std::string_view content_type, std::string body,
                              unsigned version = 11);

// `body` serialized, as application/json (otherwise as text_response).
string_response json_response(beast::http::status status, const boost::json::value& body, unsigned version = 11);

// {"error": code, "message": message}: the start of every JSON error body; a caller may
// add members (the portal names the request field at fault).
boost::json::object error_body(std::string_view code, std::string_view message);

// json_response of error_body(code, message), with a final newline (curl users read it).
string_response json_error_response(beast::http::status status, std::string_view code,
                                    std::string_view message, unsigned version = 11);

}  // namespace jtgw::http
