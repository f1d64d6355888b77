#include "gateway/http/access_log.hpp"

#include <boost/json/string.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <limits>

namespace jtgw::http {
namespace {

constexpr std::size_t max_logged_path = 1024;  // a log line must stay bounded

void append_number(std::string& out, std::uint64_t value) {
  std::array<char, 24> buf;
  const auto end = std::to_chars(buf.data(), buf.data() + buf.size(), value).ptr;
  out.append(buf.data(), end);
}

// value (< 10^width) with leading zeros to width digits.
void append_padded(std::string& out, std::uint64_t value, int width) {
  std::array<char, 24> buf;
  for (int i = width - 1; i >= 0; --i, value /= 10) buf[i] = static_cast<char>('0' + value % 10);
  out.append(buf.data(), width);
}

// Appends the time as RFC 3339 UTC with milliseconds: "2026-01-31T12:34:56.789Z".
// The part up to the seconds changes once a second: each thread keeps the last one.
void append_rfc3339_millis(std::string& out, std::chrono::system_clock::time_point tp) {
  thread_local std::int64_t cached_second = std::numeric_limits<std::int64_t>::min();
  thread_local std::string cached_prefix;  // "YYYY-MM-DDTHH:MM:SS."
  const auto since_epoch = tp.time_since_epoch();
  const auto secs = std::chrono::floor<std::chrono::seconds>(since_epoch);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
  if (secs.count() != cached_second) {
    const std::time_t t = static_cast<std::time_t>(secs.count());
    std::tm utc{};
    gmtime_r(&t, &utc);
    std::array<char, 64> buf;
    const int n = std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.", utc.tm_year + 1900,
                                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    cached_prefix.assign(buf.data(), static_cast<std::size_t>(std::max(n, 0)));
    cached_second = secs.count();
  }
  out += cached_prefix;
  append_padded(out, static_cast<std::uint64_t>(millis), 3);
  out += 'Z';
}

// Microseconds as milliseconds with three decimals: "12.345".
void append_millis(std::string& out, std::chrono::microseconds us) {
  const auto count = static_cast<std::uint64_t>(us.count() < 0 ? 0 : us.count());
  append_number(out, count / 1000);
  out += '.';
  append_padded(out, count % 1000, 3);
}

// A JSON string literal. Log fields are nearly always plain (ids, paths, user names):
// those are copied as they are; anything Boost.JSON would escape goes through it.
void append_json_string(std::string& out, std::string_view value) {
  const bool plain = std::none_of(value.begin(), value.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
  if (!plain) {
    out += boost::json::serialize(boost::json::string_view(value.data(), value.size()));
    return;
  }
  out += '"';
  out += value;
  out += '"';
}

// stdout through stdio's buffer, without spdlog's fflush after every line: one write(2)
// per few kilobytes of log instead of one per request. Lines reach the file when the
// buffer fills, on spdlog's periodic flush and on flush_access_log() (serve sets both up).
class buffered_stdout_sink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  // Runs under the sink's mutex, so one buffer serves every line (lines are longer than
  // memory_buf_t's inline 250 bytes: a fresh one allocated per line).
  void sink_it_(const spdlog::details::log_msg& msg) override {
    formatted_.clear();
    formatter_->format(msg, formatted_);
    std::fwrite(formatted_.data(), 1, formatted_.size(), stdout);
  }
  void flush_() override { std::fflush(stdout); }

 private:
  spdlog::memory_buf_t formatted_;
};

}  // namespace

std::string_view path_without_query(std::string_view target) noexcept {
  // A plain scan: find_first_of tries each of its characters at every position.
  const auto end = std::find_if(target.begin(), target.end(), [](char c) { return c == '?' || c == '#'; });
  return target.substr(0, static_cast<std::size_t>(end - target.begin()));
}

std::string_view access_log_line(const access_entry& entry) {
  static const exchange_record empty_record;
  const exchange_record& rec = entry.record ? *entry.record : empty_record;
  // Built by hand so durations print as plain decimals ("12.345"); Boost.JSON would write
  // doubles in exponent form. Strings come out as Boost.JSON escapes them. The thread
  // keeps its line buffer: a typical line (~300 bytes) costs no allocation.
  thread_local std::string buffer;
  std::string& line = buffer;
  line.clear();
  auto key = [&line](std::string_view name) {
    line += line.empty() ? "{\"" : ",\"";
    line += name;
    line += "\":";
  };
  auto add_string = [&](std::string_view name, std::string_view value) {
    key(name);
    append_json_string(line, value);
  };
  auto add_number = [&](std::string_view name, std::uint64_t value) {
    key(name);
    append_number(line, value);
  };
  auto add_millis = [&](std::string_view name, std::chrono::microseconds value) {
    key(name);
    append_millis(line, value);
  };
  key("time");
  line += '"';
  append_rfc3339_millis(line, entry.time);
  line += '"';
  add_string("request_id", entry.request_id);
  add_string("client", entry.client);
  add_string("user", rec.user);
  add_string("token_id", rec.token_id);
  add_string("method", entry.method);
  add_string("path", path_without_query(entry.target).substr(0, max_logged_path));
  add_number("status", rec.status);
  add_number("bytes_in", rec.bytes_in);
  add_number("bytes_out", rec.bytes_out);
  add_millis("upstream_ms", rec.upstream_time);
  add_millis("total_ms", entry.total);
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
