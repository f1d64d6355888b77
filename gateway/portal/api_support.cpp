#include "gateway/portal/api_support.hpp"

#include "gateway/http/error_response.hpp"

#include <boost/json/error.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace jtgw::portal {

namespace bh = beast::http;

namespace {

constexpr std::string_view api_csp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
// The page loads its own script and stylesheet only; fetch() goes to the same origin;
// the token dialog's copy uses the Clipboard API (no permission needed from 'self').
constexpr std::string_view page_csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void add_common_headers(http::string_response& response) {
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  response.set("X-Frame-Options", "DENY");
  response.set("Cross-Origin-Opener-Policy", "same-origin");
  response.set("Cross-Origin-Resource-Policy", "same-origin");
}

}  // namespace

std::string_view session_cookie_name(bool tls) noexcept { return tls ? "__Host-jtgw_session" : "jtgw_session"; }

std::string session_cookie(bool tls, std::string_view value, std::chrono::seconds max_age) {
  std::string cookie(session_cookie_name(tls));
  cookie += '=';
  cookie += value;
  cookie += "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Strict";
  if (tls) cookie += "; Secure";
  return cookie;
}

std::optional<std::string_view> cookie_value(const http::request_header& request, std::string_view name) {
  const auto [first, last] = request.equal_range(bh::field::cookie);
  for (auto field = first; field != last; ++field) {
    std::string_view rest = field->value();
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      const std::string_view pair = trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view{} : rest.substr(semicolon + 1);
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && pair.substr(0, equals) == name) return pair.substr(equals + 1);
    }
  }
  return std::nullopt;
}

void add_api_headers(http::string_response& response) {
  response.set(bh::field::cache_control, "no-store");
  response.set("Content-Security-Policy", api_csp);
  add_common_headers(response);
}

void add_page_headers(http::string_response& response) {
  response.set(bh::field::cache_control, "no-cache");
  response.set("Content-Security-Policy", page_csp);
  add_common_headers(response);
}

http::string_response json_answer(bh::status status, const boost::json::value& body, unsigned version) {
  auto response = http::json_response(status, body, version);
  add_api_headers(response);
  return response;
}

http::string_response api_error(bh::status status, std::string_view code, std::string_view message, unsigned version,
                                std::string_view field) {
  auto body = http::error_body(code, message);
  if (!field.empty()) body["field"] = field;
  return json_answer(status, body, version);
}

bool same_origin(const http::request_header& request) {
  const auto origin = request.find(bh::field::origin);
  if (origin == request.end()) {
    const auto site = request.find("Sec-Fetch-Site");
    return site == request.end() || site->value() != "cross-site";
  }
  // Compare the authority only: behind a TLS-terminating proxy the scheme the browser
  // used is not the listener's.
  const auto url = boost::urls::parse_absolute_uri(origin->value());
  if (!url || !url->has_authority()) return false;
  return iequals(url->encoded_host_and_port(), request[bh::field::host]);
}

bool is_json_content_type(const http::request_header& request) {
  const std::string_view type = request[bh::field::content_type];
  return iequals(trim(type.substr(0, type.find(';'))), "application/json");
}

boost::system::result<boost::json::object, std::string> parse_json_object(std::string_view text,
                                                                          boost::json::storage_ptr sp,
                                                                          std::span<unsigned char> scratch) {
  boost::json::parse_options options;
  options.max_depth = 4;
  auto parser = scratch.empty() ? boost::json::stream_parser(sp, options)
                                : boost::json::stream_parser(sp, options, scratch.data(), scratch.size());
  error_code ec;
  const std::size_t used = parser.write_some(text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = boost::json::error::extra_data;
  if (!ec) parser.finish(ec);
  if (ec) return "the body is not valid JSON: " + ec.message() + " at byte " + std::to_string(used);
  boost::json::value value = parser.release();
  if (!value.is_object()) return std::string("the body must be a JSON object");
  return std::move(value.get_object());
}

std::optional<std::string> unknown_field(const boost::json::object& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& item : body) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) return std::string(item.key());
  }
  return std::nullopt;
}

}  // namespace jtgw::portal
