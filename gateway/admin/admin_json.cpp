#include "gateway/admin/admin_json.hpp"

#include "auth/expiry.hpp"

#include <charconv>
#include <cstdio>

namespace jtgw::admin {
namespace {

using namespace std::chrono;

// Reads exactly `digits` decimal digits at `pos`; advances pos.
std::optional<int> digits_at(std::string_view text, std::size_t& pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  for (std::size_t i = pos; i < pos + digits; ++i)
    if (text[i] < '0' || text[i] > '9') return std::nullopt;  // from_chars would take a sign
  int value = 0;
  auto [end, ec] = std::from_chars(text.data() + pos, text.data() + pos + digits, value);
  if (ec != std::errc{} || end != text.data() + pos + digits) return std::nullopt;
  pos += digits;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<storage::clock_time> parse_age(std::string_view text, storage::clock_time now) {
  if (text.size() < 2) return std::nullopt;
  long long count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, count);
  if (ec != std::errc{} || end != text.data() + text.size() - 1 || count < 0 || count > 100'000) return std::nullopt;
  switch (text.back()) {
    case 'm': return now - minutes{count};
    case 'h': return now - hours{count};
    case 'd': return now - days{count};
    default: return std::nullopt;
  }
}

}  // namespace

boost::json::value time_json(const std::optional<storage::clock_time>& t) {
  if (!t) return nullptr;
  return boost::json::string(auth::to_rfc3339(*t));
}

std::string date_text(sys_days day) {
  const year_month_day ymd{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

boost::json::object token_json(const storage::token_record& record,
                               const std::optional<storage::lifetime_policy>& policy) {
  boost::json::object out;
  out["id"] = record.id;
  out["user"] = record.user;
  out["label"] = record.label;
  out["created"] = time_json(record.created);
  out["expires"] = record.expires ? boost::json::value(date_text(*record.expires)) : boost::json::value(nullptr);
  out["effective_expires"] = time_json(auth::effective_expiry(record, policy));
  out["last_used"] = time_json(record.last_used);
  out["legacy"] = record.is_legacy();
  return out;
}

boost::json::object event_json(const storage::audit_event& event) {
  return {{"at", time_json(event.at)},         {"kind", event.kind},         {"actor", event.actor},
          {"user", event.user},                {"token_id", event.token_id}, {"detail", event.detail}};
}

std::optional<storage::clock_time> parse_time(std::string_view text, storage::clock_time now) {
  if (text.size() < 10) return parse_age(text, now);
  std::size_t pos = 0;
  const auto y = digits_at(text, pos, 4);
  const bool dash1 = expect(text, pos, '-');
  const auto mo = digits_at(text, pos, 2);
  const bool dash2 = expect(text, pos, '-');
  const auto d = digits_at(text, pos, 2);
  if (!y || !dash1 || !mo || !dash2 || !d) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  storage::clock_time at{sys_days(date)};
  if (pos == text.size()) return at;

  if (!expect(text, pos, 'T')) return std::nullopt;
  const auto h = digits_at(text, pos, 2);
  const bool colon1 = expect(text, pos, ':');
  const auto mi = digits_at(text, pos, 2);
  const bool colon2 = expect(text, pos, ':');
  const auto s = digits_at(text, pos, 2);
  if (!h || !colon1 || !mi || !colon2 || !s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  at += hours{*h} + minutes{*mi} + seconds{*s};
  if (expect(text, pos, '.')) {
    const auto ms = digits_at(text, pos, 3);
    if (!ms) return std::nullopt;
    at += milliseconds{*ms};
  }
  if (!expect(text, pos, 'Z') || pos != text.size()) return std::nullopt;
  return at;
}

}  // namespace jtgw::admin
