#pragma once
// The small HTTP pieces of the portal: its security headers, JSON answers and errors,
// the session cookie, same-origin and content-type checks, and a strict JSON body parser.
//
// Error bodies are {"error": CODE, "message": TEXT} like every jtgw error, plus
// "field": NAME when one field of the request is at fault (the page shows the message
// next to that field).
#include "gateway/http/exchange.hpp"

#include <boost/json/object.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace jtgw::portal {

/// The session cookie's name: on TLS listeners the __Host- prefix makes browsers insist
/// on Secure, Path=/ and no Domain, so a sibling host cannot plant or shadow it.
std::string_view session_cookie_name(bool tls) noexcept;

/// Set-Cookie value: NAME=VALUE; Path=/; Max-Age=N; HttpOnly; SameSite=Strict[; Secure].
/// An empty value with max_age 0 deletes the cookie.
std::string session_cookie(bool tls, std::string_view value, std::chrono::seconds max_age);

/// The value of cookie `name` in the request's Cookie header(s) (the first one), or nullopt.
std::optional<std::string_view> cookie_value(const http::request_header& request, std::string_view name);

/// Headers on every API answer: Cache-Control: no-store, nosniff, a deny-all CSP with
/// frame-ancestors 'none', no Referer.
void add_api_headers(http::string_response& response);
/// Headers on the page and its assets: the page's CSP (only 'self' scripts and styles,
/// no unsafe-inline, frame-ancestors 'none'), nosniff, Referrer-Policy no-referrer.
void add_page_headers(http::string_response& response);

/// A JSON answer with the API headers.
http::string_response json_answer(beast::http::status status, const boost::json::value& body, unsigned version);
/// A JSON error with the API headers; `field` names the request field at fault, if any.
http::string_response api_error(beast::http::status status, std::string_view code, std::string_view message,
                                unsigned version, std::string_view field = {});

/// False when the request carries an Origin (or, without one, Sec-Fetch-Site:
/// cross-site) that is not this host: state-changing calls from other sites are refused
/// even before SameSite=Strict and the CSRF token are considered.
bool same_origin(const http::request_header& request);

/// True when Content-Type is application/json (parameters such as charset allowed).
bool is_json_content_type(const http::request_header& request);

/// Parses `text` as one JSON object (depth ≤ 4) into storage `sp`, with `scratch` (may
/// be empty) as the parser's temporary buffer: a caller parsing a secret passes buffers
/// it wipes afterwards. Errors: a sentence naming the problem and its byte offset ("the
/// body is not valid JSON: syntax error at byte 12"), or "the body must be a JSON object".
boost::system::result<boost::json::object, std::string> parse_json_object(std::string_view text,
                                                                          boost::json::storage_ptr sp,
                                                                          std::span<unsigned char> scratch = {});

/// The first key of `body` not in `allowed`, if any (unknown fields are refused, so a
/// typo such as "expiry" is not silently ignored).
std::optional<std::string> unknown_field(const boost::json::object& body, std::initializer_list<std::string_view> allowed);

}  // namespace jtgw::portal
