#include "gateway/portal/token_rules.hpp"

#include "auth/basic_credentials.hpp"

#include <algorithm>
#include <cstdio>

namespace jtgw::portal {

namespace {

std::string_view trim_blanks(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Code points of well-formed UTF-8: every byte that is not a continuation byte starts one.
std::size_t code_points(std::string_view utf8) noexcept {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

field_error expires_error(std::string message) { return {"expires", std::move(message)}; }

}  // namespace

boost::system::result<std::string, field_error> check_label(std::string_view raw) {
  const std::string_view label = trim_blanks(raw);
  if (label.empty()) return field_error{"label", "a label is required"};
  // Bytes first, so a huge label costs no UTF-8 walk (64 code points are at most 256 bytes).
  if (label.size() > 4 * max_label_chars || code_points(label) > max_label_chars) {
    return field_error{"label", "the label may be at most " + std::to_string(max_label_chars) + " characters long"};
  }
  switch (auth::check_utf8_text(label)) {
    case auth::basic_error::ok: break;
    case auth::basic_error::control_character:
      return field_error{"label", "the label may not contain control characters (line breaks, tabs inside, …)"};
    default:
      return field_error{"label", "the label is not valid UTF-8 text"};
  }
  // in_place_value: field_error is constructible from a string too (C++20 aggregate init).
  return {boost::system::in_place_value, std::string(label)};
}

std::optional<std::chrono::sys_days> parse_date(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t length) -> int {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (y < 1 || m < 0 || d < 0) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                         std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

std::string format_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

expiry_bounds bounds_at(storage::clock_time now, const std::optional<storage::lifetime_policy>& policy) noexcept {
  expiry_bounds bounds{.earliest = std::chrono::floor<std::chrono::days>(now), .latest = {}, .max_days = {}};
  if (policy) {
    // The cap counts from max(created, set_at), as auth::effective_expiry does.
    const auto cap = std::max(now, policy->set_at) + std::chrono::days{policy->max_days};
    bounds.latest = std::chrono::floor<std::chrono::days>(cap);
    bounds.max_days = policy->max_days;
  }
  return bounds;
}

boost::system::result<std::optional<std::chrono::sys_days>, field_error> check_expiry(
    std::optional<std::string_view> requested, const expiry_bounds& bounds) {
  const std::string limit = bounds.latest ? "your administrator limits tokens to " + std::to_string(*bounds.max_days) +
                                                " days, so the latest expiry date is " + format_date(*bounds.latest)
                                          : std::string{};
  if (!requested) {
    if (bounds.latest) return expires_error("an expiry date is required: " + limit);
    return std::optional<std::chrono::sys_days>{};
  }
  const auto day = parse_date(*requested);
  if (!day) return expires_error("the expiry date must be a calendar date written YYYY-MM-DD (UTC)");
  if (*day < bounds.earliest) {
    return expires_error("the expiry date may not be before today, " + format_date(bounds.earliest) + " (UTC)");
  }
  if (bounds.latest && *day > *bounds.latest) return expires_error("the expiry date is too late: " + limit);
  return std::optional<std::chrono::sys_days>{*day};
}

}  // namespace jtgw::portal
