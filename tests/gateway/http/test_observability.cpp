// What the server logs and counts per exchange, the metrics registry and its text format,
// error-level choice, and request ids. The access log's line format: test_access_log.cpp.
#include "gateway/http/access_log.hpp"
#include "gateway/http/io_errors.hpp"
#include "gateway/http/metrics.hpp"
#include "gateway/http/request_id.hpp"
#include "gateway/http/whole_request.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>
#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

using namespace jtgw;
using namespace jtgw::http;
using namespace jtgw::http::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

// Checks every line against the Prometheus text format (0.0.4): HELP/TYPE comments, and
// samples `name{label="value",…} number` whose name belongs to the family last TYPE'd.
void check_exposition_format(const std::string& text) {
  static const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
  static const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^"\\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^"\\\n])*")*\})? (-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN))");
  BOOST_TEST(!text.empty());
  BOOST_TEST(text.back() == '\n');
  std::string family, kind;
  for (const auto& line : lines_of(text)) {
    BOOST_TEST_INFO("line: " << line);
    std::smatch m;
    if (std::regex_match(line, m, type)) {
      family = m[1];
      kind = m[2];
      continue;
    }
    if (std::regex_match(line, help)) continue;
    BOOST_REQUIRE(std::regex_match(line, m, sample));
    const std::string name = m[1];
    if (kind == "histogram")
      BOOST_TEST(bool(name == family + "_bucket" || name == family + "_sum" || name == family + "_count"));
    else
      BOOST_TEST(name == family);
  }
}

}  // namespace

// The server logs an exchange (then counts it) after its response went out, so a client
// may see the response first: the test reads the log under the sink's lock and waits
// (bounded) for the lines it expects instead of racing the server's threads.
class locked_lines_sink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::string text() {
    std::lock_guard lock(mutex_);
    return text_;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    text_.append(formatted.data(), formatted.size());
  }
  void flush_() override {}

 private:
  std::string text_;
};

BOOST_AUTO_TEST_CASE(server_writes_access_lines_without_secrets_and_counts_metrics) {
  auto sink = std::make_shared<locked_lines_sink>();
  auto logger = std::make_shared<spdlog::logger>("access-test", sink);
  logger->set_pattern("%v");
  server_options options;
  options.access_log = logger;
  options.metrics = std::make_shared<metrics_registry>();
  test_server srv(target_handler(), {}, options);
  const auto ep = srv.listen();
  for (int i = 0; i < 3; ++i) {
    auto got = run_command(curl_base() + "-H 'Authorization: Basic c2VjcmV0LXRva2Vu' -H 'Cookie: sid=cookie-value' " +
                           url_of(ep, false, "/rest/api/3/search?jql=query-secret"));
    BOOST_TEST(got.output == "GET /rest/api/3/search?jql=query-secret");
  }
  auto bad = run_command(curl_base() + "-o /dev/null -X CONNECT " + url_of(ep, false, "/x"));
  const std::string rejected = "jtgw_http_requests_total{route=\"rejected\",status=\"400\"} 1\n";
  for (int i = 0; i < 1000; ++i) {  // a hang guard of 10 s, not a timing assertion
    if (lines_of(sink->text()).size() >= 4 && srv.get().metrics().render().find(rejected) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto lines = lines_of(sink->text());
  BOOST_REQUIRE_EQUAL(lines.size(), 4u);
  for (const auto& line : lines) {
    const auto json = boost::json::parse(line).as_object();
    for (const char* key : {"time", "request_id", "client", "user", "token_id", "method", "path", "status",
                            "bytes_in", "bytes_out", "upstream_ms", "total_ms"})
      BOOST_TEST(json.contains(key), key);
    BOOST_TEST(line.find("query-secret") == std::string::npos);
    BOOST_TEST(line.find("c2VjcmV0LXRva2Vu") == std::string::npos);
    BOOST_TEST(line.find("cookie-value") == std::string::npos);
  }
  BOOST_TEST(boost::json::parse(lines[0]).as_object().at("path").as_string() == "/rest/api/3/search");
  BOOST_TEST(boost::json::parse(lines[3]).as_object().at("status").as_int64() == 400);

  const std::string text = srv.get().metrics().render();
  check_exposition_format(text);
  BOOST_TEST(text.find("jtgw_http_requests_total{route=\"test\",status=\"200\"} 3\n") != std::string::npos);
  BOOST_TEST(text.find(rejected) != std::string::npos);
  BOOST_TEST(text.find("jtgw_http_request_duration_seconds_count{route=\"test\"} 3\n") != std::string::npos);
  BOOST_TEST(srv.get().metrics().counter("jtgw_http_connections_total", "").value({{"tls", "false"}}) == 4u);
  BOOST_TEST(srv.get().metrics().counter("jtgw_http_response_bytes_total", "").value({}) > 0u);
}

BOOST_AUTO_TEST_CASE(metrics_render_counters_gauges_histograms_in_text_format) {
  metrics_registry registry;
  auto& outcomes = registry.counter("jtgw_auth_outcomes_total", "Auth outcomes by reason.");
  outcomes.add({{"reason", "ok"}});
  outcomes.add({{"reason", "ok"}}, 2);
  outcomes.add({{"reason", "we\"ird\\va\nlue"}});
  auto& open = registry.gauge("jtgw_open", "Open things.\nSecond line");
  open.add({}, 5);
  open.add({}, -2);
  auto& latency = registry.histogram("jtgw_upstream_seconds", "Upstream latency.", {0.1, 1});
  latency.observe({{"route", "rest"}}, 0.05);
  latency.observe({{"route", "rest"}}, 0.5);
  latency.observe({{"route", "rest"}}, 7);

  const std::string text = registry.render();
  check_exposition_format(text);
  BOOST_TEST(text.find("# TYPE jtgw_auth_outcomes_total counter\n") != std::string::npos);
  BOOST_TEST(text.find("jtgw_auth_outcomes_total{reason=\"ok\"} 3\n") != std::string::npos);
  BOOST_TEST(text.find("jtgw_auth_outcomes_total{reason=\"we\\\"ird\\\\va\\nlue\"} 1\n") != std::string::npos);
  BOOST_TEST(text.find("# HELP jtgw_open Open things.\\nSecond line\n") != std::string::npos);
  BOOST_TEST(text.find("jtgw_open 3\n") != std::string::npos);
  BOOST_TEST(text.find("jtgw_upstream_seconds_bucket{route=\"rest\",le=\"0.1\"} 1\n") != std::string::npos);
  BOOST_TEST(text.find("jtgw_upstream_seconds_bucket{route=\"rest\",le=\"1\"} 2\n") != std::string::npos);
  BOOST_TEST(text.find("jtgw_upstream_seconds_bucket{route=\"rest\",le=\"+Inf\"} 3\n") != std::string::npos);
  BOOST_TEST(text.find("jtgw_upstream_seconds_sum{route=\"rest\"} 7.55") != std::string::npos);
  BOOST_TEST(text.find("jtgw_upstream_seconds_count{route=\"rest\"} 3\n") != std::string::npos);

  // Same name, same kind: the same family. Other kind, bad names: refused at start-up.
  BOOST_TEST(&registry.counter("jtgw_auth_outcomes_total", "x") == &outcomes);
  BOOST_CHECK_THROW(registry.gauge("jtgw_auth_outcomes_total", "x"), std::invalid_argument);
  BOOST_CHECK_THROW(registry.counter("bad-name", "x"), std::invalid_argument);
  BOOST_CHECK_THROW(outcomes.add({{"bad label", "x"}}), std::invalid_argument);
  BOOST_CHECK_THROW(registry.histogram("h", "x", {1, 1}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(metrics_are_safe_under_concurrent_updates) {
  metrics_registry registry;
  auto& counter = registry.counter("c_total", "c");
  auto& histogram = registry.histogram("h_seconds", "h");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10'000; ++i) {
        counter.add({{"thread", std::to_string(t % 2)}});
        histogram.observe({}, 0.001 * (i % 7));
        if (i % 1000 == 0) (void)registry.render();
      }
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(counter.value({{"thread", "0"}}) + counter.value({{"thread", "1"}}) == 40'000u);
  BOOST_TEST(histogram.count({}) == 40'000u);
}

// Families remember recently used label sets in a few slots: more sets than slots, sets
// whose values run together the same ("ab","c" / "a","bc"), and several threads must
// still count every update into its own series.
BOOST_AUTO_TEST_CASE(label_sets_that_share_a_remembered_slot_count_apart) {
  metrics_registry registry;
  auto& requests = registry.counter("requests_total", "r");
  auto& latency = registry.histogram("latency_seconds", "l");
  std::vector<std::string> routes;
  for (int i = 0; i < 40; ++i) routes.push_back("route" + std::to_string(i));
  const std::vector<std::string> statuses = {"200", "401", "502"};
  constexpr int threads_count = 4, rounds = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < threads_count; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < rounds; ++round)
        for (const auto& route : routes) {
          for (const auto& status : statuses) requests.add({{"route", route}, {"status", status}});
          latency.observe({{"route", route}}, 0.001);
          requests.add({{"a", "ab"}, {"b", "c"}});
          requests.add({{"a", "a"}, {"b", "bc"}}, 2);
        }
    });
  for (auto& t : threads) t.join();
  for (const auto& route : routes) {
    for (const auto& status : statuses)
      BOOST_TEST(requests.value({{"route", route}, {"status", status}}) == std::uint64_t(threads_count * rounds));
    BOOST_TEST(latency.count({{"route", route}}) == std::uint64_t(threads_count * rounds));
  }
  const auto per_pair = std::uint64_t(threads_count * rounds) * routes.size();
  BOOST_TEST(requests.value({{"a", "ab"}, {"b", "c"}}) == per_pair);
  BOOST_TEST(requests.value({{"a", "a"}, {"b", "bc"}}) == 2 * per_pair);
  BOOST_TEST(requests.value({{"route", "route1"}}) == 0u);  // a prefix of stored sets is another set
  check_exposition_format(registry.render());
}

BOOST_AUTO_TEST_CASE(series_handles_update_the_series_their_labels_name) {
  metrics_registry registry;
  auto& bytes = registry.counter("bytes_total", "b");
  auto& latency = registry.histogram("latency_seconds", "l", {0.1, 1});
  // A handle's series exists from the moment it is taken, at 0.
  const auto up = bytes.at({{"direction", "up"}});
  const auto down = bytes.at({{"direction", "down"}});
  const auto rest = latency.at({{"route", "rest"}});
  std::string text = registry.render();
  check_exposition_format(text);
  BOOST_TEST(text.find("bytes_total{direction=\"up\"} 0\n") != std::string::npos);
  BOOST_TEST(text.find("latency_seconds_count{route=\"rest\"} 0\n") != std::string::npos);
  // Handles and label lookups count into the same series, from any thread.
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        up.add(2);
        bytes.add({{"direction", "up"}});
        rest.observe(i % 2 == 0 ? 0.0625 : 4);  // exact in binary: the sum is exact
      }
    });
  for (auto& t : threads) t.join();
  down.add(7);
  BOOST_TEST(bytes.value({{"direction", "up"}}) == 120'000u);
  BOOST_TEST(bytes.value({{"direction", "down"}}) == 7u);
  BOOST_TEST(latency.count({{"route", "rest"}}) == 40'000u);
  text = registry.render();
  check_exposition_format(text);
  BOOST_TEST(text.find("latency_seconds_bucket{route=\"rest\",le=\"0.1\"} 20000\n") != std::string::npos);
  BOOST_TEST(text.find("latency_seconds_bucket{route=\"rest\",le=\"1\"} 20000\n") != std::string::npos);
  BOOST_TEST(text.find("latency_seconds_bucket{route=\"rest\",le=\"+Inf\"} 40000\n") != std::string::npos);
  BOOST_TEST(text.find("latency_seconds_sum{route=\"rest\"} 81250\n") != std::string::npos);
  BOOST_TEST(text.find("latency_seconds_count{route=\"rest\"} 40000\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(io_error_levels_follow_the_kind_of_failure) {
  using spdlog::level::level_enum;
  BOOST_TEST(io_error_level(net::error::operation_aborted) == level_enum::off);
  BOOST_TEST(io_error_level(beast::http::error::end_of_stream) == level_enum::off);
  BOOST_TEST(io_error_level(net::ssl::error::stream_truncated) == level_enum::off);
  BOOST_TEST(io_error_level(net::error::eof) == level_enum::off);
  BOOST_TEST(io_error_level(net::error::connection_reset) == level_enum::info);
  BOOST_TEST(io_error_level(beast::error::timeout) == level_enum::info);
  BOOST_TEST(io_error_level(net::error::no_descriptors) == level_enum::err);
  BOOST_TEST(io_error_level(net::error::host_unreachable) == level_enum::warn);
}

BOOST_AUTO_TEST_CASE(request_ids) {
  BOOST_TEST(sane_request_id("abc-DEF_1.2"));
  BOOST_TEST(sane_request_id(std::string(64, 'a')));
  BOOST_TEST(!sane_request_id(std::string(65, 'a')));
  BOOST_TEST(!sane_request_id(""));
  BOOST_TEST(!sane_request_id("a b"));
  BOOST_TEST(!sane_request_id("a\nb"));
  // One string serves a connection's requests: each id replaces the one before.
  std::string id = "left over from the previous request";
  choose_request_id("keep.me", id);
  BOOST_TEST(id == "keep.me");
  choose_request_id("not sane!", id);
  BOOST_TEST(id.size() == 32u);
  // 32 lowercase hex digits: the process's random half, then a counter.
  std::string first, second;
  generate_request_id(first);
  generate_request_id(second);
  BOOST_TEST(first != second);
  BOOST_TEST(std::regex_match(first, std::regex("[0-9a-f]{32}")));
  BOOST_TEST(first.substr(0, 16) == second.substr(0, 16));
  BOOST_TEST(std::stoull(second.substr(16), nullptr, 16) == std::stoull(first.substr(16), nullptr, 16) + 1);
}
