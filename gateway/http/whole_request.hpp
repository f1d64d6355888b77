#pragma once
// The simple way to serve: a function from a whole request (body read into a string,
// bounded by server_limits::body_limit) to a whole response. For small JSON APIs such as
// jira-sample, /healthz and /metrics; streaming handlers implement request_handler.
#include "gateway/http/exchange.hpp"

#include <functional>
#include <memory>

namespace jtgw::http {

using whole_request_function =
    std::function<net::awaitable<string_response>(string_request, peer_info)>;

// A handler that reads the body via exchange::read_body(), calls `fn`, and writes its
// response with exchange::write() (which sets keep-alive, Content-Length and
// X-Request-Id). A body that is too large gets 413, a malformed one 400 (JSON bodies,
// connection closed); a timeout closes the connection. Metrics and the access log see
// the route "whole" (handlers that need their own route labels implement request_handler).
std::shared_ptr<request_handler> make_whole_request_handler(whole_request_function fn);

}  // namespace jtgw::http
