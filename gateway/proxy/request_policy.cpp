#include "gateway/proxy/request_policy.hpp"

#include <boost/url/rfc/pchars.hpp>

#include <ostream>  // boost/url/rfc/pchars.hpp (1.81) streams string_views without including it

#include <algorithm>
#include <array>

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

// The byte "%XY" at text[i] stands for, or -1 when X or Y is missing or not a hex digit.
int escaped_byte(std::string_view text, std::size_t i) {
  if (i + 2 >= text.size()) return -1;
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const int high = hex(text[i + 1]);
  const int low = hex(text[i + 2]);
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

// Could this byte, arriving as %XX, change the path's shape once decoded: '/', '\',
// '%' (double decoding), ';' or a control byte? (An encoded space is harmless.)
bool dangerous_when_decoded(int c) {
  return c == '/' || c == '\\' || c == '%' || c == ';' || c < 0x20 || c == 0x7f;
}

// Appends the path as Jira will read it, in one canonical spelling: each byte decoded,
// then written as itself when it is a pchar and as %XX (upper-case hex, as Boost.URL's
// encode writes it) otherwise. Segment boundaries stay where they are, since an encoded
// '/' was refused before. Canonical segments equal a pchar literal ("rest", "..") exactly
// when their decoded text does, so the checks below compare plain strings.
// Precondition: every '%' in `path` starts a well-formed escape.
void append_canonical_path(std::string& out, std::string_view path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < path.size(); ++i) {
    unsigned char byte = static_cast<unsigned char>(path[i]);
    if (byte == '%') {
      byte = static_cast<unsigned char>(escaped_byte(path, i));
      i += 2;
    }
    if (byte == '/' || urls::pchars(static_cast<char>(byte))) {
      out += static_cast<char>(byte);
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    }
  }
}

// RFC 3986: query = *( pchar / "/" / "?" ), a '%' always starting %HH. Written out, not
// left to urls::parse_query: in Boost 1.81 that builds its result from the query's
// pointer alone (a C string), so it runs strlen past the end of the request target.
bool well_formed_query(std::string_view query) {
  for (std::size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (c == '%') {
      if (escaped_byte(query, i) < 0) return false;
      i += 2;
    } else if (c != '/' && c != '?' && !urls::pchars(c)) {
      return false;
    }
  }
  return true;
}

// Segments naming each allowed prefix, in allowed_prefixes order.
constexpr std::array<std::array<std::string_view, 3>, 3> prefix_segments = {{
    {"rest", "api", "2"},
    {"rest", "api", "3"},
    {"rest", "agile", "1.0"},
}};

// The path's first segments: enough for the prefix (3) and the endpoints after it (2).
using head_segments = std::array<std::string_view, 5>;

bool has_allowed_prefix(const head_segments& head) {
  return std::any_of(prefix_segments.begin(), prefix_segments.end(), [&](const auto& prefix) {
    return head[0] == prefix[0] && head[1] == prefix[1] && head[2] == prefix[2];
  });
}

// `rest_count` segments follow the prefix, a trailing empty one ("search/") not counted.
bool is_search_endpoint(const head_segments& head, std::size_t rest_count) {
  if (rest_count == 1) return head[3] == "search";
  if (rest_count == 2) return (head[3] == "search" && head[4] == "jql") ||
                              (head[3] == "worklog" && head[4] == "list");
  return false;
}

}  // namespace

request_decision decide_request(verb method, std::string_view target) {
  if (method == verb::connect) return bad("CONNECT is not supported");
  if (target.empty() || target.front() != '/')
    return bad("the request target must be an origin-form path");
  for (unsigned char c : target)
    if (forbidden_byte(c)) return bad("control bytes, spaces and backslashes are not allowed");

  // origin-form = absolute-path [ "?" query ]. The path's grammar (pchar, '/' and %HH)
  // is checked here, together with what the policy refuses in it, and so is the query's
  // (well_formed_query). A '#' fits neither: fragments are refused.
  const std::size_t query_start = target.find('?');
  const std::string_view path = target.substr(0, query_start);
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '%') {
      const int decoded = escaped_byte(path, i);
      if (decoded < 0) return bad("malformed request target");
      if (dangerous_when_decoded(decoded))
        return bad("encoded '/', '\\', '%', ';' or control bytes are not allowed in the path");
      i += 2;
    } else if (c == ';') {
      return bad("path parameters (';') are not allowed");
    } else if (c != '/' && !urls::pchars(c)) {
      return bad("malformed request target");
    }
  }
  if (query_start != std::string_view::npos && !well_formed_query(target.substr(query_start + 1)))
    return bad("malformed request target");

  // What Jira will see after its one decoding pass. Without escapes the path is
  // canonical already: every byte is '/' or a pchar (checked above), which is what
  // append_canonical_path writes as itself; the target is then forwarded as sent, and
  // needs no copy. Canonical spelling never lengthens the path (a byte outside pchar can
  // only have arrived as %XX), so the target's size is room enough: one allocation.
  std::string upstream_target;
  const bool canonical_as_sent = path.find('%') == std::string_view::npos;
  if (!canonical_as_sent) {
    upstream_target.reserve(target.size());
    append_canonical_path(upstream_target, path);
  }
  const std::string_view canonical_path = canonical_as_sent ? path : std::string_view(upstream_target);

  // Only the last segment may be empty (a trailing slash); any other empty one is "//".
  head_segments head;
  std::size_t segment_count = 0;
  bool trailing_slash = false;  // the last segment is empty
  std::string_view rest = canonical_path.substr(1);  // after the leading '/'
  for (;;) {
    const std::size_t slash = rest.find('/');
    const bool last = slash == std::string_view::npos;
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() && !last) return bad("empty path segments ('//') are not allowed");
    if (segment == "." || segment == "..") return bad("dot segments are not allowed");
    if (segment_count < head.size()) head[segment_count] = segment;
    ++segment_count;
    if (last) {
      trailing_slash = segment.empty();
      break;
    }
    rest.remove_prefix(slash + 1);
  }

  // A prefix, then at least one non-empty segment (a trailing slash leaves one empty).
  if (segment_count < 4 || !has_allowed_prefix(head) || head[3].empty())
    return bad("the path is outside /rest/api/2/, /rest/api/3/ and /rest/agile/1.0/");
  const std::size_t rest_count = segment_count - 3 - (trailing_slash ? 1 : 0);

  const bool search = is_search_endpoint(head, rest_count);
  const bool allowed = method == verb::get || method == verb::head || (method == verb::post && search);
  if (!allowed) {
    request_decision denied{verdict::method_not_allowed, {}, search ? "GET, HEAD, POST" : "GET, HEAD", {}};
    denied.reason = search ? "jtgw is read-only: only GET, HEAD and POST are allowed here"
                           : "jtgw is read-only: only GET and HEAD are allowed here";
    return denied;
  }

  if (!canonical_as_sent && query_start != std::string_view::npos)
    upstream_target += target.substr(query_start);  // as sent
  return {verdict::forward, std::move(upstream_target), {}, {}};
}

}  // namespace jtgw::proxy
