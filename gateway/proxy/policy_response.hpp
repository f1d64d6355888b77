#pragma once
// The answer to a request the relay policy refuses (400, or 405 with Allow).
#include "gateway/http/exchange.hpp"
#include "gateway/proxy/request_policy.hpp"

namespace jtgw::proxy {

// For decision.kind bad_request: 400 {"error":"bad_request","message":reason}.
// For method_not_allowed: 405 {"error":"method_not_allowed","message":reason} + Allow.
// Precondition: decision.kind != verdict::forward. HTTP version `version` (11 = 1.1).
http::string_response policy_denial_response(const request_decision& decision, unsigned version = 11);

}  // namespace jtgw::proxy
