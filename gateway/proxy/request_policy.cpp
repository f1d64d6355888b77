#include "gateway/proxy/request_policy.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>

#include <array>
#include <vector>

namespace jtgw::proxy {
namespace {

namespace urls = boost::urls;
using boost::beast::http::verb;

request_decision bad(std::string reason) {
  return {verdict::bad_request, {}, {}, std::move(reason)};
}

// Bytes that never belong in a request-target, raw or decoded: controls, DEL, space,
// backslash (some servers treat it as '/').
bool forbidden_byte(unsigned char c) { return c < 0x20 || c == 0x7f || c == ' ' || c == '\\'; }

// Is "%XY" at text[i] one of the escapes that could change the path's shape once decoded:
// '/', '\', '%' (double decoding), ';' or a control byte? (An encoded space is harmless.)
// Precondition: i + 2 < text.size().
bool dangerous_escape(std::string_view text, std::size_t i) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const int high = hex(text[i + 1]);
  const int low = hex(text[i + 2]);
  if (high < 0 || low < 0) return true;  // malformed escapes are refused, not guessed at
  const auto c = static_cast<unsigned char>(high * 16 + low);
  return c == '/' || c == '\\' || c == '%' || c == ';' || c < 0x20 || c == 0x7f;
}

// Segments (decoded) naming each allowed prefix, in allowed_prefixes order.
const std::array<std::array<std::string_view, 3>, 3> prefix_segments = {{
    {"rest", "api", "2"},
    {"rest", "api", "3"},
    {"rest", "agile", "1.0"},
}};

bool is_search_endpoint(const std::vector<std::string>& rest) {
  if (rest.size() == 1) return rest[0] == "search";
  if (rest.size() == 2) return (rest[0] == "search" && rest[1] == "jql") ||
                               (rest[0] == "worklog" && rest[1] == "list");
  return false;
}

}  // namespace

request_decision decide_request(verb method, std::string_view target) {
  if (method == verb::connect) return bad("CONNECT is not supported");
  if (target.empty() || target.front() != '/')
    return bad("the request target must be an origin-form path");
  for (unsigned char c : target)
    if (forbidden_byte(c)) return bad("control bytes, spaces and backslashes are not allowed");

  auto parsed = urls::parse_origin_form(target);
  if (!parsed) return bad("malformed request target");
  const urls::url_view& url = *parsed;

  const std::string_view encoded_path = url.encoded_path();
  for (std::size_t i = 0; i < encoded_path.size(); ++i) {
    if (encoded_path[i] == ';') return bad("path parameters (';') are not allowed");
    if (encoded_path[i] == '%') {
      if (i + 2 >= encoded_path.size() || dangerous_escape(encoded_path, i))
        return bad("encoded '/', '\\', '%', ';' or control bytes are not allowed in the path");
    }
  }

  // Decoded segments: what Jira will see after its one decoding pass.
  // Only the last segment may be empty (a trailing slash); any other empty one is "//".
  std::vector<std::string> segments;
  const std::size_t segment_count = url.encoded_segments().size();
  for (auto encoded : url.encoded_segments()) {
    std::string segment = encoded.decode();
    if (segment.empty() && segments.size() + 1 < segment_count)
      return bad("empty path segments ('//') are not allowed");
    if (segment == "." || segment == "..") return bad("dot segments are not allowed");
    segments.push_back(std::move(segment));
  }

  // Which prefix, and what follows it (a trailing slash leaves one empty segment).
  std::vector<std::string> rest;
  bool matched = false;
  for (const auto& prefix : prefix_segments) {
    if (segments.size() < prefix.size() + 1) continue;
    if (segments[0] != prefix[0] || segments[1] != prefix[1] || segments[2] != prefix[2]) continue;
    rest.assign(segments.begin() + 3, segments.end());
    matched = true;
    break;
  }
  if (!matched || rest.front().empty())
    return bad("the path is outside /rest/api/2/, /rest/api/3/ and /rest/agile/1.0/");
  if (rest.back().empty()) rest.pop_back();  // "search/" is the search endpoint too

  const bool search = is_search_endpoint(rest);
  const bool allowed = method == verb::get || method == verb::head || (method == verb::post && search);
  if (!allowed) {
    request_decision denied{verdict::method_not_allowed, {}, search ? "GET, HEAD, POST" : "GET, HEAD", {}};
    denied.reason = search ? "jtgw is read-only: only GET, HEAD and POST are allowed here"
                           : "jtgw is read-only: only GET and HEAD are allowed here";
    return denied;
  }

  request_decision decision{verdict::forward, {}, {}, {}};
  for (const auto& segment : segments) {
    decision.upstream_target += '/';
    decision.upstream_target += urls::encode(segment, urls::pchars);
  }
  if (url.has_query()) {
    decision.upstream_target += '?';
    decision.upstream_target += url.encoded_query();
  }
  return decision;
}

}  // namespace jtgw::proxy
