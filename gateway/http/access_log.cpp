#include "gateway/http/access_log.hpp"

#include <boost/json/string.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <ctime>

namespace jtgw::http {
namespace {

constexpr std::size_t max_logged_path = 1024;  // a log line must stay bounded

std::string rfc3339_millis(std::chrono::system_clock::time_point tp) {
  const auto since_epoch = tp.time_since_epoch();
  const auto secs = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
  const std::time_t t = static_cast<std::time_t>(secs.count());
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return buf;
}

// Microseconds as milliseconds with three decimals: "12.345".
std::string millis_text(std::chrono::microseconds us) {
  const auto count = us.count() < 0 ? 0 : us.count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(count / 1000),
                static_cast<long long>(count % 1000));
  return buf;
}

// stdout through stdio's buffer, without spdlog's fflush after every line: one write(2)
// per few kilobytes of log instead of one per request. Lines reach the file when the
// buffer fills, on spdlog's periodic flush and on flush_access_log() (serve sets both up).
class buffered_stdout_sink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::fwrite(formatted.data(), 1, formatted.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }
};

}  // namespace

std::string_view path_without_query(std::string_view target) noexcept {
  return target.substr(0, target.find_first_of("?#"));
}

std::string access_log_line(const access_entry& entry) {
  static const exchange_record empty_record;
  const exchange_record& rec = entry.record ? *entry.record : empty_record;
  // Built by hand so durations print as plain decimals ("12.345"); Boost.JSON would write
  // doubles in exponent form. Every string goes through Boost.JSON's escaping.
  std::string line;
  line.reserve(384);
  auto add_string = [&line](std::string_view key, std::string_view value) {
    line += line.empty() ? "{\"" : ",\"";
    line += key;
    line += "\":";
    line += boost::json::serialize(boost::json::string_view(value.data(), value.size()));
  };
  auto add_number = [&line](std::string_view key, const std::string& value) {
    line += ",\"";
    line += key;
    line += "\":";
    line += value;
  };
  add_string("time", rfc3339_millis(entry.time));
  add_string("request_id", entry.request_id);
  add_string("client", entry.client.address().to_string());
  add_string("user", rec.user);
  add_string("token_id", rec.token_id);
  add_string("method", entry.method);
  add_string("path", path_without_query(entry.target).substr(0, max_logged_path));
  add_number("status", std::to_string(rec.status));
  add_number("bytes_in", std::to_string(rec.bytes_in));
  add_number("bytes_out", std::to_string(rec.bytes_out));
  add_number("upstream_ms", millis_text(rec.upstream_time));
  add_number("total_ms", millis_text(entry.total));
  line += '}';
  return line;
}

std::shared_ptr<spdlog::logger> access_logger() {
  if (auto existing = spdlog::get("access")) return existing;
  auto logger = std::make_shared<spdlog::logger>(
      "access", std::make_shared<buffered_stdout_sink>());
  logger->set_pattern("%v");
  try {
    spdlog::register_logger(logger);
  } catch (const spdlog::spdlog_ex&) {
    // Another thread registered it first; use theirs so all lines share one sink.
    if (auto existing = spdlog::get("access")) return existing;
  }
  return logger;
}

void flush_access_log() {
  if (auto logger = spdlog::get("access")) logger->flush();
}

}  // namespace jtgw::http
