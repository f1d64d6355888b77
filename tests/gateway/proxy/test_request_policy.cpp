// The relay's allow-list: a table of targets and methods with the verdict each must get.
#include "gateway/proxy/request_policy.hpp"

#include <boost/test/unit_test.hpp>

#include <string>

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
          BOOST_TEST(decision.upstream_target == r.upstream);
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

BOOST_AUTO_TEST_CASE(a_forwarded_target_is_a_fixed_point) {
  // Normalizing twice changes nothing: what Jira sees is what the policy checked.
  for (const auto& r : table) {
    if (r.expected != verdict::forward) continue;
    const auto once = decide_request(r.method, r.target);
    const auto twice = decide_request(r.method, once.upstream_target);
    BOOST_TEST(static_cast<int>(twice.kind) == static_cast<int>(verdict::forward));
    BOOST_TEST(twice.upstream_target == once.upstream_target);
  }
}

}  // namespace
