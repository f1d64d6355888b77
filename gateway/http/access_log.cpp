#include "gateway/http/access_log.hpp"

#include "gateway/http/byte_words.hpp"

#include <boost/json/string.hpp>
#include <boost/json/serialize.hpp>
#include <spdlog/sinks/sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <limits>

namespace jtgw::http {
namespace {

constexpr std::size_t max_logged_path = 1024;  // a log line must stay bounded

// A line's bytes beyond its strings: keys and punctuation (~150), the time and five
// numbers of at most 21 characters each.
constexpr std::size_t line_bytes_besides_strings = 512;
// JSON's longest escape, "\u001f", is six bytes for one; plus the two quotes.
std::size_t string_bound(std::string_view value) noexcept { return 6 * value.size() + 2; }

// Copies value to out if JSON needs no escape in it (no control character, '"' or
// '\\') and says whether it did; out has room for value.size() bytes. Eight bytes at a
// time, checked as they are copied: each request logs six strings, and a test per byte
// was a third of the line's cost.
bool copy_if_plain(std::string_view value, char* out) noexcept {
  namespace bw = byte_words;
  const auto needs_escape = [](bw::word w) { return bw::below(w, 0x20) | bw::equal(w, '"') | bw::equal(w, '\\'); };
  const char* p = value.data();
  const std::size_t n = value.size();
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(p[i]);
      if (c < 0x20 || c == '"' || c == '\\') return false;
      out[i] = p[i];
    }
    return true;
  }
  bw::word w;
  for (std::size_t i = 0; i + 8 < n; i += 8) {
    w = bw::load(p + i);
    if (needs_escape(w)) return false;
    std::memcpy(out + i, &w, 8);
  }
  w = bw::load(p + n - 8);  // the last eight bytes, overlapping the loop's last word
  if (needs_escape(w)) return false;
  std::memcpy(out + n - 8, &w, 8);
  return true;
}

// Writes into a buffer already sized for the whole line: each piece is a plain copy, and
// a piece of known length (the keys) compiles to a few moves.
class line_writer {
 public:
  explicit line_writer(char* at) noexcept : at_(at) {}
  char* end() const noexcept { return at_; }

  void text(std::string_view s) noexcept {
    std::memcpy(at_, s.data(), s.size());
    at_ += s.size();
  }
  void character(char c) noexcept { *at_++ = c; }

  void number(std::uint64_t value) noexcept { at_ = std::to_chars(at_, at_ + 20, value).ptr; }

  // value (< 10^width) with leading zeros to width digits.
  void padded(std::uint64_t value, int width) noexcept {
    for (int i = width - 1; i >= 0; --i, value /= 10) at_[i] = static_cast<char>('0' + value % 10);
    at_ += width;
  }

  // Microseconds as milliseconds with three decimals: "12.345".
  void millis(std::chrono::microseconds us) noexcept {
    const auto count = static_cast<std::uint64_t>(us.count() < 0 ? 0 : us.count());
    number(count / 1000);
    character('.');
    padded(count % 1000, 3);
  }

  // A JSON string literal, escaped as Boost.JSON escapes it. Log fields are nearly
  // always plain (ids, paths, user names): those are copied as they are.
  void json_string(std::string_view value) {
    if (copy_if_plain(value, at_ + 1)) {
      at_[0] = '"';
      at_[value.size() + 1] = '"';
      at_ += value.size() + 2;
      return;
    }
    text(boost::json::serialize(boost::json::string_view(value.data(), value.size())));
  }

  // The time as RFC 3339 UTC with milliseconds: "2026-01-31T12:34:56.789Z". The part up
  // to the seconds changes once a second: each thread keeps the last one.
  void rfc3339_millis(std::chrono::system_clock::time_point tp) noexcept {
    thread_local std::int64_t cached_second = std::numeric_limits<std::int64_t>::min();
    thread_local std::array<char, 64> prefix;  // "YYYY-MM-DDTHH:MM:SS."
    thread_local std::size_t prefix_size = 0;
    const auto since_epoch = tp.time_since_epoch();
    const auto secs = std::chrono::floor<std::chrono::seconds>(since_epoch);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
    if (secs.count() != cached_second) {
      const std::time_t t = static_cast<std::time_t>(secs.count());
      std::tm utc{};
      gmtime_r(&t, &utc);
      const int n = std::snprintf(prefix.data(), prefix.size(), "%04d-%02d-%02dT%02d:%02d:%02d.",
                                  utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min,
                                  utc.tm_sec);
      prefix_size = static_cast<std::size_t>(std::clamp(n, 0, static_cast<int>(prefix.size()) - 1));
      cached_second = secs.count();
    }
    text({prefix.data(), prefix_size});
    padded(static_cast<std::uint64_t>(ms), 3);
    character('Z');
  }

 private:
  char* at_;
};

// stdout through stdio's buffer, without spdlog's fflush after every line: one write(2)
// per few kilobytes of log instead of one per request. Lines reach the file when the
// buffer fills, on spdlog's periodic flush and on flush_access_log() (serve sets both up).
//
// The message is the finished line (access_log_line), so the sink writes it as it is:
// no formatter copy, and stdio's lock as the only lock (a base_sink would add its own
// mutex around stdio's). Patterns set on the logger are therefore ignored.
class buffered_stdout_sink final : public spdlog::sinks::sink {
 public:
  void log(const spdlog::details::log_msg& msg) override {
    flockfile(stdout);
    fwrite_unlocked(msg.payload.data(), 1, msg.payload.size(), stdout);
    putc_unlocked('\n', stdout);
    funlockfile(stdout);
  }
  void flush() override { std::fflush(stdout); }
  void set_pattern(const std::string&) override {}
  void set_formatter(std::unique_ptr<spdlog::formatter>) override {}
};

}  // namespace

std::string_view path_without_query(std::string_view target) noexcept {
  // Two memchr scans: find_first_of tries each of its characters at every position.
  const std::string_view before_query = target.substr(0, target.find('?'));
  return before_query.substr(0, before_query.find('#'));
}

std::string_view access_log_line(const access_entry& entry) {
  static const exchange_record empty_record;
  const exchange_record& rec = entry.record ? *entry.record : empty_record;
  const std::string_view path = path_without_query(entry.target).substr(0, max_logged_path);
  // Built by hand so durations print as plain decimals ("12.345"); Boost.JSON would write
  // doubles in exponent form. The thread keeps its buffer, sized for the longest line it
  // has seen: a line costs no allocation and no length check per piece.
  const std::size_t bound = line_bytes_besides_strings + string_bound(entry.request_id) +
                            string_bound(entry.client) + string_bound(rec.user) + string_bound(rec.token_id) +
                            string_bound(entry.method) + string_bound(path);
  thread_local std::string buffer;
  if (buffer.size() < bound) buffer.resize(bound);
  line_writer line(buffer.data());
  line.text(R"({"time":")");
  line.rfc3339_millis(entry.time);
  line.text(R"(","request_id":)");
  line.json_string(entry.request_id);
  line.text(R"(,"client":)");
  line.json_string(entry.client);
  line.text(R"(,"user":)");
  line.json_string(rec.user);
  line.text(R"(,"token_id":)");
  line.json_string(rec.token_id);
  line.text(R"(,"method":)");
  line.json_string(entry.method);
  line.text(R"(,"path":)");
  line.json_string(path);
  line.text(R"(,"status":)");
  line.number(rec.status);
  line.text(R"(,"bytes_in":)");
  line.number(rec.bytes_in);
  line.text(R"(,"bytes_out":)");
  line.number(rec.bytes_out);
  line.text(R"(,"upstream_ms":)");
  line.millis(rec.upstream_time);
  line.text(R"(,"total_ms":)");
  line.millis(entry.total);
  line.character('}');
  return {buffer.data(), static_cast<std::size_t>(line.end() - buffer.data())};
}

std::shared_ptr<spdlog::logger> access_logger() {
  if (auto existing = spdlog::get("access")) return existing;
  auto logger = std::make_shared<spdlog::logger>("access", std::make_shared<buffered_stdout_sink>());
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
