// The relay's allow-list: a table of targets and methods with the verdict each must get.
#include "gateway/proxy/request_policy.hpp"

#include <boost/test/unit_test.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace {

using jtgw::proxy::decide_request;
using jtgw::proxy::verdict;
using boost::beast::http::verb;

struct row {
  verb method;
  std::string target;
  verdict expected;
  std::string upstream;  // forward: the normalized target; 405: the Allow value
};

const row table[] = {
    // Forwarded, normalized.
    {verb::get, "/rest/api/3/myself", verdict::forward, "/rest/api/3/myself"},
    {verb::get, "/rest/api/2/search?jql=project%3DABC&maxResults=50", verdict::forward,
     "/rest/api/2/search?jql=project%3DABC&maxResults=50"},
    {verb::head, "/rest/agile/1.0/board/7/sprint", verdict::forward, "/rest/agile/1.0/board/7/sprint"},
    {verb::get, "/rest/api/2/%69ssue/ABC-1", verdict::forward, "/rest/api/2/issue/ABC-1"},
    {verb::get, "/rest/api/3/user/search?query=a%20b", verdict::forward, "/rest/api/3/user/search?query=a%20b"},
    {verb::get, "/rest/api/3/project/", verdict::forward, "/rest/api/3/project/"},
    {verb::get, "/rest/api/3/issue/A%20B", verdict::forward, "/rest/api/3/issue/A%20B"},
    {verb::get, "/rest/api/3/field?", verdict::forward, "/rest/api/3/field?"},
    {verb::post, "/rest/api/3/search", verdict::forward, "/rest/api/3/search"},
    {verb::post, "/rest/api/3/search/jql", verdict::forward, "/rest/api/3/search/jql"},
    {verb::post, "/rest/api/2/worklog/list", verdict::forward, "/rest/api/2/worklog/list"},
    {verb::post, "/rest/api/2/%73earch", verdict::forward, "/rest/api/2/search"},
    // Methods a read-only gateway refuses.
    {verb::post, "/rest/api/3/issue", verdict::method_not_allowed, "GET, HEAD"},
    {verb::put, "/rest/api/3/issue/ABC-1", verdict::method_not_allowed, "GET, HEAD"},
    {verb::delete_, "/rest/api/3/search", verdict::method_not_allowed, "GET, HEAD, POST"},
    {verb::options, "/rest/api/2/myself", verdict::method_not_allowed, "GET, HEAD"},
    {verb::patch, "/rest/agile/1.0/board", verdict::method_not_allowed, "GET, HEAD"},
    {verb::post, "/rest/api/3/search/other", verdict::method_not_allowed, "GET, HEAD"},
    // Targets refused outright.
    {verb::connect, "jira.example.com:443", verdict::bad_request, ""},
    {verb::connect, "/rest/api/3/myself", verdict::bad_request, ""},
    {verb::get, "http://evil.example/rest/api/3/myself", verdict::bad_request, ""},
    {verb::get, "*", verdict::bad_request, ""},
    {verb::get, "", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/../../secure/admin", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/issue/../myself", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/%2e%2e/%2E%2E/admin", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/%2E./x", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/./myself", verdict::bad_request, ""},
    {verb::get, "//rest/api/3/myself", verdict::bad_request, ""},
    {verb::get, "/rest/api//3/myself", verdict::bad_request, ""},
    {verb::get, "/rest/api/3//myself", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/issue%2f..%2f..%2fadmin", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/issue%2F1", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/issue%5c1", verdict::bad_request, ""},
    {verb::get, "/rest/api/3\\..\\admin", verdict::bad_request, ""},
    {verb::get, std::string("/rest/api/3/my\0self", 19), verdict::bad_request, ""},
    {verb::get, "/rest/api/3/my%00self", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/my\rself", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/my%0d%0aX-Injected:%201", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/..;/..;/admin", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/myself;jsessionid=1", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/my%3bself", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/%252e%252e/admin", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/bad%zzescape", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/trailing%2", verdict::bad_request, ""},
    {verb::get, "/rest/api/3", verdict::bad_request, ""},
    {verb::get, "/rest/api/3/", verdict::bad_request, ""},
    {verb::get, "/rest/api/4/myself", verdict::bad_request, ""},
    {verb::get, "/REST/api/3/myself", verdict::bad_request, ""},
    {verb::get, "/secure/Dashboard.jspa", verdict::bad_request, ""},
    {verb::get, "/rest/auth/1/session", verdict::bad_request, ""},
    {verb::get, "/rest/api/3 /myself", verdict::bad_request, ""},
    {verb::post, "/rest/api/3/search/../issue", verdict::bad_request, ""},
};

BOOST_AUTO_TEST_CASE(every_row_of_the_table_gets_its_verdict) {
  for (const auto& r : table) {
    BOOST_TEST_CONTEXT("method " << boost::beast::http::to_string(r.method) << " target [" << r.target << "]") {
      const auto decision = decide_request(r.method, r.target);
      BOOST_TEST(static_cast<int>(decision.kind) == static_cast<int>(r.expected));
      switch (r.expected) {
        case verdict::forward:
          BOOST_TEST(decision.forward_target(r.target) == r.upstream);
          break;
        case verdict::method_not_allowed:
          BOOST_TEST(decision.allow == r.upstream);
          BOOST_TEST(!decision.reason.empty());
          break;
        case verdict::bad_request:
          BOOST_TEST(!decision.reason.empty());
          BOOST_TEST(decision.upstream_target.empty());
          break;
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_canonical_target_is_forwarded_as_sent_without_a_copy) {
  const std::string sent = "/rest/api/3/search?jql=project%3DABC&x=..";
  const auto as_sent = decide_request(verb::get, sent);
  BOOST_TEST_REQUIRE(static_cast<int>(as_sent.kind) == static_cast<int>(verdict::forward));
  BOOST_TEST(as_sent.upstream_target.empty());
  BOOST_TEST(as_sent.forward_target(sent).data() == sent.data());  // a view of the request's own
  // An escape in the path is re-spelled: Jira gets the decision's own copy.
  const std::string escaped = "/rest/api/3/issue/%41BC-1?x=1";
  const auto respelled = decide_request(verb::get, escaped);
  BOOST_TEST(respelled.forward_target(escaped) == "/rest/api/3/issue/ABC-1?x=1");
  BOOST_TEST(respelled.forward_target(escaped).data() == respelled.upstream_target.data());
}

// decide_request reads nothing past the target it is given (a request target lies inside
// the parser's buffer, with more bytes and no NUL after it): each target of the table is
// placed at the very end of a readable page with an unreadable one after it, so that any
// read beyond it faults and fails the test.
BOOST_AUTO_TEST_CASE(nothing_past_the_end_of_the_target_is_read) {
  const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  void* area = ::mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  BOOST_REQUIRE(area != MAP_FAILED);
  char* const end = static_cast<char*>(area) + page;
  BOOST_REQUIRE(::mprotect(end, page, PROT_NONE) == 0);
  for (const auto& r : table) {
    char* const start = end - r.target.size();
    std::memcpy(start, r.target.data(), r.target.size());
    BOOST_TEST_CONTEXT("target [" << r.target << "]") {
      const auto got = decide_request(r.method, std::string_view(start, r.target.size()));
      BOOST_TEST(static_cast<int>(got.kind) == static_cast<int>(r.expected));
    }
  }
  ::munmap(area, 2 * page);
}

BOOST_AUTO_TEST_CASE(a_forwarded_target_is_a_fixed_point) {
  // Normalizing twice changes nothing: what Jira sees is what the policy checked.
  for (const auto& r : table) {
    if (r.expected != verdict::forward) continue;
    const auto once = decide_request(r.method, r.target);
    const std::string_view once_target = once.forward_target(r.target);
    const auto twice = decide_request(r.method, once_target);
    BOOST_TEST(static_cast<int>(twice.kind) == static_cast<int>(verdict::forward));
    BOOST_TEST(twice.forward_target(once_target) == once_target);
  }
}

// The policy as first written: Boost.URL parses the whole origin-form target and the
// checks run on decoded copies of its segments (a vector of strings per request).
// decide_request now checks the path's grammar itself and compares canonical segments
// without copies; this reference says what it must still answer, for every target below.
jtgw::proxy::request_decision reference_decision(verb method, std::string_view target) {
  namespace urls = boost::urls;
  using jtgw::proxy::request_decision;
  const request_decision bad{verdict::bad_request, {}, {}, "bad"};
  auto parsed = urls::parse_origin_form(target);
  if (method == verb::connect || !target.starts_with('/') || !parsed) return bad;
  for (unsigned char c : target)
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '\\') return bad;
  const std::string_view path = parsed->encoded_path();
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == ';') return bad;
    if (path[i] != '%') continue;
    if (i + 2 >= path.size()) return bad;
    const std::string pair(path.substr(i + 1, 2));
    if (pair.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return bad;
    const auto c = static_cast<unsigned char>(std::stoi(pair, nullptr, 16));
    if (c == '/' || c == '\\' || c == '%' || c == ';' || c < 0x20 || c == 0x7f) return bad;
  }
  std::vector<std::string> segments;
  const std::size_t count = parsed->encoded_segments().size();
  for (auto encoded : parsed->encoded_segments()) {
    std::string segment = encoded.decode();
    if ((segment.empty() && segments.size() + 1 < count) || segment == "." || segment == "..") return bad;
    segments.push_back(std::move(segment));
  }
  const std::vector<std::vector<std::string>> prefixes = {{"rest", "api", "2"}, {"rest", "api", "3"}, {"rest", "agile", "1.0"}};
  if (segments.size() < 4 ||
      std::find(prefixes.begin(), prefixes.end(), std::vector<std::string>(segments.begin(), segments.begin() + 3)) == prefixes.end())
    return bad;
  std::vector<std::string> rest(segments.begin() + 3, segments.end());
  if (rest.front().empty()) return bad;
  if (rest.back().empty()) rest.pop_back();
  const bool search = rest == std::vector<std::string>{"search"} || rest == std::vector<std::string>{"search", "jql"} ||
                      rest == std::vector<std::string>{"worklog", "list"};
  if (!(method == verb::get || method == verb::head || (method == verb::post && search)))
    return {verdict::method_not_allowed, {}, search ? "GET, HEAD, POST" : "GET, HEAD", "read-only"};
  request_decision forward{verdict::forward, {}, {}, {}};
  for (const auto& segment : segments) forward.upstream_target += '/' + urls::encode(segment, urls::pchars);
  if (parsed->has_query()) forward.upstream_target += '?' + std::string(parsed->encoded_query());
  return forward;
}

BOOST_AUTO_TEST_CASE(generated_targets_get_the_reference_verdict) {
  // Targets stitched from pieces that sit at the policy's edges: encoded and plain
  // prefixes, dots in every spelling, dangerous and harmless escapes, malformed escapes,
  // empty segments, path parameters, sub-delims, queries, fragments and forbidden bytes.
  const std::vector<std::string> pieces = {
      "/", "/", "/", "rest", "api", "agile", "1.0", "2", "3", "4", "search", "jql", "worklog", "list",
      "%72est", "%61pi", "%33", "%2e", "%2E", ".", "..", "%2e%2E", "%2f", "%5C", "%25", "%3b", "%00", "%7f",
      "%20", "%41", "%7e", "%7E", "~", "%C3%A9", "%", "%z1", "%4", ";", "?", "?q=%2f&x=..", "#frag", "@", ":",
      "!$&'()*+,=", "-._", "=", "&", "]", "{", "%5B", "?a[0]=1", "\\", " ", "\x01", "\xc3\xa9", "[", "|", "X"};
  const verb methods[] = {verb::get, verb::head, verb::post, verb::put, verb::delete_};
  std::mt19937 random(20261129);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1), length(0, 7), start(0, 4);
  const std::string starts[] = {"", "/rest/api/3/", "/rest/agile/1.0/", "/rest/api/2/search", "/rest/api/3/worklog/"};
  std::array<int, 3> seen{};  // by verdict: every kind must be well exercised
  for (int i = 0; i < 20000; ++i) {
    std::string target = starts[start(random)];
    for (std::size_t n = length(random); n > 0; --n) target += pieces[piece(random)];
    const verb method = methods[i % std::size(methods)];
    BOOST_TEST_CONTEXT("method " << boost::beast::http::to_string(method) << " target [" << target << "]") {
      const auto got = decide_request(method, target);
      const auto expected = reference_decision(method, target);
      BOOST_TEST(static_cast<int>(got.kind) == static_cast<int>(expected.kind));
      if (got.kind == verdict::forward)
        BOOST_TEST(got.forward_target(target) == expected.upstream_target);
      else
        BOOST_TEST(got.upstream_target.empty());
      BOOST_TEST(got.allow == expected.allow);
      BOOST_TEST(got.reason.empty() == expected.reason.empty());
      ++seen[static_cast<std::size_t>(expected.kind)];
    }
  }
  for (int count : seen) BOOST_TEST(count > 1000);
}

}  // namespace

