#pragma once
// JSON error responses the server core sends itself (malformed requests, limits).
// Body shape matches the gateway's denials: {"error": CODE, "message": TEXT}.
#include "gateway/http/exchange.hpp"

#include <string_view>

namespace jtgw::http {

// A response with `status`, Content-Type application/json, and the JSON body
// {"error": code, "message": message}; HTTP version `version` (11 = 1.1).
// Keep-alive and Content-Length are left to the writer (exchange::write sets both).
string_response json_error_response(beast::http::status status, std::string_view code,
                                    std::string_view message, unsigned version = 11);

}  // namespace jtgw::http
