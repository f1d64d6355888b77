#pragma once
// Which client requests the relay forwards to Jira, and in what normalized form.
//
// Pure: no sockets, no state. jtgw is read-only towards Jira, so the policy is an
// allow-list (GET/HEAD anywhere under the REST prefixes, POST only to the three search-like
// endpoints that take their query in a body) and the target is rebuilt from its decoded
// segments, so what Jira sees is exactly what was checked here.
#include <boost/beast/http/verb.hpp>

#include <string>
#include <string_view>

namespace jtgw::proxy {

enum class verdict {
  forward,             // upstream_target holds the normalized origin-form target
  bad_request,         // 400; reason says why
  method_not_allowed,  // 405; allow holds the Allow header value, reason says why
};

struct request_decision {
  verdict kind = verdict::bad_request;
  // forward: the target with its path re-encoded ("/rest/api/3/myself?x=1"), only when
  // that changed it; empty when the target as sent is canonical already, the usual case
  // (no copy of it is made). Read it through forward_target().
  std::string upstream_target;
  std::string allow;            // method_not_allowed: e.g. "GET, HEAD"
  std::string reason;           // bad_request / method_not_allowed: safe to show the client

  // forward: the origin-form target Jira gets, given the target decide_request was given
  // (the view is into one or the other).
  std::string_view forward_target(std::string_view sent) const noexcept {
    return upstream_target.empty() ? sent : std::string_view(upstream_target);
  }
};

// The REST prefixes the relay serves; everything else is another route's business.
inline constexpr std::string_view allowed_prefixes[] = {"/rest/api/2/", "/rest/api/3/",
                                                        "/rest/agile/1.0/"};

// Decides one request from its method and raw request-target (as read off the wire).
//
// forward: GET and HEAD to any path under an allowed prefix; POST only to
//   <prefix>search, <prefix>search/jql and <prefix>worklog/list. The upstream target is
//   the path rebuilt from its decoded segments (unreserved characters decoded, everything
//   else percent-encoded) plus the query exactly as sent.
// bad_request: CONNECT; anything not in origin-form (absolute-form, authority-form, "*");
//   control bytes, NUL, spaces or backslashes anywhere; a path with an empty segment
//   ("//"), a dot segment ("." / ".." in any encoding), an encoded '/', '\', '%' or control
//   byte, or a ';' (Tomcat path parameters: "..;/" is a known traversal); a path outside
//   the allowed prefixes or naming only the prefix itself.
// method_not_allowed: any other method (or POST elsewhere) on an otherwise valid path;
//   allow is "GET, HEAD" or, on the search endpoints, "GET, HEAD, POST".
request_decision decide_request(boost::beast::http::verb method, std::string_view target);

}  // namespace jtgw::proxy
