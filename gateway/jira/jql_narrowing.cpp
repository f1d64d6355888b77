#include "gateway/jira/jql_narrowing.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <vector>

namespace jtgw::jira {

namespace {

using namespace std::chrono;
constexpr std::int64_t minute_ms = 60'000;

std::int64_t floor_minute(std::int64_t ms) {
  const std::int64_t q = ms / minute_ms;
  return (ms % minute_ms < 0 ? q - 1 : q) * minute_ms;
}

bool pushable(std::int64_t minute) {
  const auto day = sys_days{floor<days>(sys_time<milliseconds>{milliseconds{minute}}.time_since_epoch())};
  const int y = int(year_month_day{day}.year());
  return y >= 1900 && y <= 9999;
}

// Saturating: a bound near the ends of int64 must not wrap when widened.
std::int64_t shifted(std::int64_t ms, minutes by) {
  const std::int64_t d = by.count() * minute_ms;
  if (d > 0 && ms > std::numeric_limits<std::int64_t>::max() - d) return std::numeric_limits<std::int64_t>::max();
  if (d < 0 && ms < std::numeric_limits<std::int64_t>::min() - d) return std::numeric_limits<std::int64_t>::min();
  return ms + d;
}

// Top-level words of JQL (outside quoted strings), with their offsets.
struct word {
  std::string upper;
  std::size_t at;
};

std::vector<word> words_of(std::string_view jql) {
  std::vector<word> out;
  std::size_t i = 0;
  while (i < jql.size()) {
    const char c = jql[i];
    if (c == '"' || c == '\'') {
      for (++i; i < jql.size() && jql[i] != c; ++i)
        if (jql[i] == '\\') ++i;
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      const std::size_t start = i;
      std::string w;
      while (i < jql.size() && std::isalnum(static_cast<unsigned char>(jql[i])))
        w += char(std::toupper(static_cast<unsigned char>(jql[i++])));
      out.push_back({std::move(w), start});
    } else {
      ++i;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string jql_minute(std::int64_t utc_millis) {
  const std::int64_t minute = floor_minute(utc_millis);
  const sys_time<milliseconds> t{milliseconds{minute}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04d/%02u/%02u %02d:%02d", int(ymd.year()), unsigned(ymd.month()),
                              unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()));
  return std::string(buf, std::size_t(n));
}

std::string jql_narrowing(const odata::table& t, const odata::row_filter& f, jql_zone_window zones) {
  // Per JQL field: the earliest minute literal for >= and the latest for <, merged.
  std::map<std::string, std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>> bounds;
  for (const auto& range : f.ranges) {
    const auto& filter = t.columns.at(range.column).filter;
    if (!filter) continue;
    auto& [lower, upper] = bounds[filter->jql];
    if (range.has_lower()) {
      // Read in zone o, literal L is the instant L - o: L <= lower + earliest keeps every row.
      const std::int64_t literal = floor_minute(shifted(range.lower, zones.earliest));
      if (pushable(literal)) lower = std::max(lower.value_or(literal), literal);
    }
    if (range.has_upper() && !filter->lower_bound_only) {
      // Every value <= upper must be < L - o for each o: L = the minute after upper + latest.
      const std::int64_t last = shifted(range.upper, zones.latest);
      const std::int64_t literal = last >= std::numeric_limits<std::int64_t>::max() - minute_ms
                                       ? std::numeric_limits<std::int64_t>::max()
                                       : floor_minute(last) + minute_ms;
      if (literal != std::numeric_limits<std::int64_t>::max() && pushable(literal))
        upper = std::min(upper.value_or(literal), literal);
    }
  }
  std::string out;
  auto clause = [&](const std::string& field, std::string_view op, std::int64_t literal) {
    if (!out.empty()) out += " AND ";
    out += field + " " + std::string(op) + " \"" + jql_minute(literal) + "\"";
  };
  for (const auto& [field, b] : bounds) {
    if (b.first) clause(field, ">=", *b.first);
    if (b.second) clause(field, "<", *b.second);
  }
  return out;
}

std::string and_jql(std::string_view base, std::string_view narrowing) {
  if (narrowing.empty()) return std::string(base);
  const auto words = words_of(base);
  std::size_t order_at = base.size();
  for (std::size_t i = 0; i + 1 < words.size(); ++i)
    if (words[i].upper == "ORDER" && words[i + 1].upper == "BY") {
      order_at = words[i].at;
      break;
    }
  const std::string_view condition = trim(base.substr(0, order_at));
  const std::string_view order = trim(base.substr(order_at));
  const bool has_or = std::any_of(words.begin(), words.end(),
                                  [&](const word& w) { return w.at < order_at && w.upper == "OR"; });
  std::string out;
  if (!condition.empty()) out = has_or ? "(" + std::string(condition) + ") AND " : std::string(condition) + " AND ";
  out += narrowing;
  if (!order.empty()) out += " " + std::string(order);
  return out;
}

}  // namespace jtgw::jira
