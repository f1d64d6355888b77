// The access log's line format and its stdout logger (gateway/http/access_log.cpp); what
// the server logs per exchange is in test_observability.cpp.
#include "gateway/http/access_log.hpp"
#include "tests/gateway/http/support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

using namespace jtgw;
using namespace jtgw::http;
using namespace jtgw::http::test;

namespace {

// An entry for `rec`, its header arriving `epoch_ms` after the epoch.
access_entry entry_for(const exchange_record& rec, std::int64_t epoch_ms, std::string_view request_id,
                       std::string_view client, std::string_view method, std::string_view target,
                       std::chrono::microseconds total) {
  return {std::chrono::system_clock::time_point(std::chrono::milliseconds(epoch_ms)),
          request_id, client, method, target, &rec, total};
}

}  // namespace

BOOST_AUTO_TEST_CASE(access_log_line_has_every_field_and_no_query) {
  exchange_record rec;
  rec.route = "rest";
  rec.user = "alice@example.com";
  rec.token_id = "tok_123";
  rec.status = 200;
  rec.bytes_in = 12;
  rec.bytes_out = 3456;
  rec.upstream_time = std::chrono::microseconds(12345);
  access_entry entry = entry_for(rec, 1'700'000'000'123, "rid-1", "10.1.2.3", "GET",
                                 "/rest/api/3/search?jql=secret%20stuff&token=abc", std::chrono::microseconds(20'001));
  const std::string line(access_log_line(entry));
  const auto json = boost::json::parse(line).as_object();
  BOOST_TEST(json.at("time").as_string() == "2023-11-14T22:13:20.123Z");
  BOOST_TEST(json.at("request_id").as_string() == "rid-1");
  BOOST_TEST(json.at("client").as_string() == "10.1.2.3");
  BOOST_TEST(json.at("user").as_string() == "alice@example.com");
  BOOST_TEST(json.at("token_id").as_string() == "tok_123");
  BOOST_TEST(json.at("method").as_string() == "GET");
  BOOST_TEST(json.at("path").as_string() == "/rest/api/3/search");
  BOOST_TEST(json.at("status").as_int64() == 200);
  BOOST_TEST(json.at("bytes_in").as_int64() == 12);
  BOOST_TEST(json.at("bytes_out").as_int64() == 3456);
  BOOST_TEST(json.at("upstream_ms").to_number<double>() == 12.345);
  BOOST_TEST(json.at("total_ms").to_number<double>() == 20.001);
  BOOST_TEST(line.find("secret") == std::string::npos);
  BOOST_TEST(line.find("abc") == std::string::npos);
  // Hostile text stays one valid JSON line.
  rec.user = "eve\"\n{\"user\":\"x";
  entry.target = "/a\r\nb?c";
  const std::string hostile(access_log_line(entry));
  BOOST_TEST(hostile.find('\n') == std::string::npos);
  BOOST_TEST(boost::json::parse(hostile).as_object().at("user").as_string() == rec.user);
}

// The whole line, byte for byte: key order, punctuation, number formats, no newline.
BOOST_AUTO_TEST_CASE(access_log_line_is_exactly_the_documented_format) {
  exchange_record rec;
  rec.user = "bob";
  rec.token_id = "t1";
  rec.status = 404;
  rec.bytes_out = 18'446'744'073'709'551'615u;  // the longest number
  rec.upstream_time = std::chrono::microseconds(-5);  // a clock step: printed as 0
  access_entry entry =
      entry_for(rec, 1'700'000'000'042, "r", "::1", "HEAD", "/x#frag", std::chrono::microseconds(123'456'789));
  BOOST_TEST(access_log_line(entry) ==
             R"({"time":"2023-11-14T22:13:20.042Z","request_id":"r","client":"::1","user":"bob","token_id":"t1",)"
             R"("method":"HEAD","path":"/x","status":404,"bytes_in":0,"bytes_out":18446744073709551615,)"
             R"("upstream_ms":0.000,"total_ms":123456.789})");
  for (const char* target : {"/a?b#c", "/a#b?c", "/a?", "/a#", "/a"}) BOOST_TEST(path_without_query(target) == "/a");
  BOOST_TEST(path_without_query("?q") == "");
  // No record: empty strings and zeros.
  entry.record = nullptr;
  const std::string bare(access_log_line(entry));
  BOOST_TEST(bare.find(R"("user":"","token_id":"")") != std::string::npos);
  BOOST_TEST(bare.find(R"("status":0,"bytes_in":0,"bytes_out":0,"upstream_ms":0.000,)") != std::string::npos);
}

// Strings are checked for escapes several bytes at a time: a byte that needs one must be
// found at every position of every length, whatever its neighbours (bytes just above the
// escaped ones, or high bit set); the field must read exactly as Boost.JSON escapes it.
BOOST_AUTO_TEST_CASE(access_log_strings_are_escaped_at_every_position) {
  exchange_record rec;
  access_entry entry;
  entry.record = &rec;
  const auto expect_user_field = [&](const std::string& user) {
    rec.user = user;
    const std::string line(access_log_line(entry));
    const std::string field = R"("user":)" + boost::json::serialize(boost::json::string(user)) + R"(,"token_id")";
    BOOST_TEST_INFO("user bytes: " << boost::json::serialize(boost::json::string(user)));
    BOOST_TEST(line.find(field) != std::string::npos);
  };
  for (const char filler : {'a', '\x20', '\x21', '\x23', '\x5b', '\x5d', '\x7f', '\x80', '\xff'}) {
    for (std::size_t length = 0; length <= 20; ++length) {
      const std::string plain(length, filler);
      expect_user_field(plain);
      for (std::size_t at = 0; at < length; ++at)
        for (int byte = 0; byte < 256; ++byte) {
          std::string user = plain;
          user[at] = static_cast<char>(byte);
          expect_user_field(user);
        }
    }
  }
  // A long string that needs escapes everywhere stays one bounded JSON line.
  rec.user = std::string(5000, '\x01');
  const std::string quotes(2000, '"');
  entry.target = quotes;
  const std::string line(access_log_line(entry));
  const auto json = boost::json::parse(line).as_object();
  BOOST_TEST(json.at("user").as_string() == rec.user);
  BOOST_TEST(json.at("path").as_string() == std::string(1024, '"'));
}

// Times within one second share a cached prefix: a new second must show up, and small
// values keep their leading zeros.
BOOST_AUTO_TEST_CASE(access_log_times_and_durations_are_zero_padded) {
  exchange_record rec;
  rec.upstream_time = std::chrono::microseconds(7);
  access_entry entry;
  entry.record = &rec;
  entry.total = std::chrono::microseconds(1'000'050);
  const auto field = [&](std::int64_t millis_since_epoch, std::string_view key) {
    entry.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(millis_since_epoch));
    const std::string line(access_log_line(entry));
    const std::string prefix = "\"" + std::string(key) + "\":";
    const auto at = line.find(prefix);
    BOOST_REQUIRE(at != std::string::npos);
    const auto start = at + prefix.size();
    return line.substr(start, line.find_first_of(",}", start) - start);
  };
  BOOST_TEST(field(1'700'000'000'007, "time") == "\"2023-11-14T22:13:20.007Z\"");
  BOOST_TEST(field(1'700'000'000'999, "time") == "\"2023-11-14T22:13:20.999Z\"");
  BOOST_TEST(field(1'700'000'001'000, "time") == "\"2023-11-14T22:13:21.000Z\"");
  BOOST_TEST(field(1'600'000'000'000, "time") == "\"2020-09-13T12:26:40.000Z\"");
  BOOST_TEST(field(1'700'000'000'000, "upstream_ms") == "0.007");
  BOOST_TEST(field(1'700'000'000'000, "total_ms") == "1000.050");
}

// The default access logger writes each message as it is, plus a newline, to stdout's
// buffer; flush_access_log() gets it to the file. stdout is pointed at a file meanwhile.
BOOST_AUTO_TEST_CASE(access_logger_writes_lines_to_stdout_on_flush) {
  temp_dir dir;
  const auto file = dir.path() / "stdout";
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  BOOST_REQUIRE(saved >= 0);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  BOOST_REQUIRE(fd >= 0);
  ::dup2(fd, STDOUT_FILENO);
  ::close(fd);
  auto logger = access_logger();
  logger->set_pattern("[%l] %v");  // the message is the finished line: patterns do not apply
  logger->info(R"({"a":1})");
  logger->info("second line");
  flush_access_log();
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(text == "{\"a\":1}\nsecond line\n");
  BOOST_TEST(access_logger() == logger);  // one registered logger, one sink
}
