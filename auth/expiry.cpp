#include "auth/expiry.hpp"

#include <algorithm>
#include <cstdio>

namespace jtgw::auth {

std::optional<storage::clock_time> effective_expiry(
    const storage::token_record& record,
    const std::optional<storage::lifetime_policy>& policy) noexcept {
  std::optional<storage::clock_time> result;
  if (record.expires) result = end_of_expiry_date(*record.expires);
  if (policy) {
    // The policy reaches tokens created before it was set, counting from its setting,
    // so setting it never expires a token retroactively.
    const storage::clock_time start =
        record.created ? std::max(*record.created, policy->set_at) : policy->set_at;
    const storage::clock_time cap = start + std::chrono::days{policy->max_days};
    result = result ? std::min(*result, cap) : cap;
  }
  return result;
}

std::string to_rfc3339(storage::clock_time t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> time{t - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
  return text;
}

}  // namespace jtgw::auth
