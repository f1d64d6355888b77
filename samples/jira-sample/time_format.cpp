#include "samples/jira-sample/time_format.hpp"

#include <chrono>
#include <cstdio>

namespace jtgw::jira_sample {
namespace {

struct civil { int year; unsigned month, day, hour, minute, second, milli; };

civil to_civil(millis t) {
    namespace ch = std::chrono;
    const ch::sys_time<ch::milliseconds> tp{ch::milliseconds{t}};
    const auto day = ch::floor<ch::days>(tp);
    const ch::year_month_day ymd{day};
    const ch::hh_mm_ss hms{tp - day};
    return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()),
            unsigned(hms.hours().count()), unsigned(hms.minutes().count()),
            unsigned(hms.seconds().count()), unsigned(hms.subseconds().count())};
}

std::string format(millis t, const char* zone) {
    const civil c = to_civil(t);
    char buf[48];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02u:%02u:%02u.%03u%s", c.year,
                                c.month, c.day, c.hour, c.minute, c.second, c.milli, zone);
    return std::string(buf, static_cast<std::size_t>(n));
}

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool digits(std::string_view s, std::size_t pos, std::size_t width, unsigned& out) noexcept {
    if (pos + width > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + unsigned(s[i] - '0');
    }
    return true;
}

}  // namespace

std::int32_t days_from_civil(int year, unsigned month, unsigned day) noexcept {
    namespace ch = std::chrono;
    const ch::year_month_day ymd{ch::year{year}, ch::month{month}, ch::day{day}};
    return static_cast<std::int32_t>(ch::sys_days{ymd}.time_since_epoch().count());
}

std::string jira_time(millis t) { return format(t, "+0000"); }
std::string agile_time(millis t) { return format(t, "+00:00"); }
std::string zulu_time(millis t) { return format(t, "Z"); }

std::string jira_date(std::int32_t days) {
    const civil c = to_civil(millis{days} * 86'400'000);
    char buf[16];
    const int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", c.year, c.month, c.day);
    return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::int32_t> parse_jira_date(std::string_view s) noexcept {
    unsigned y, m, d;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{int(y)}, std::chrono::month{m},
                                          std::chrono::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return days_from_civil(int(y), m, d);
}

std::optional<millis> parse_jira_time(std::string_view s) noexcept {
    // yyyy-MM-ddTHH:mm:ss.SSS then Z | +hhmm | +hh:mm
    if (s.size() < 24 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.') return std::nullopt;
    const auto day = parse_jira_date(s.substr(0, 10));
    unsigned hh, mm, ss, ms;
    if (!day || !digits(s, 11, 2, hh) || !digits(s, 14, 2, mm) || !digits(s, 17, 2, ss) ||
        !digits(s, 20, 3, ms) || hh > 23 || mm > 59 || ss > 60)
        return std::nullopt;
    const std::string_view zone = s.substr(23);
    long offset_minutes = 0;
    if (zone != "Z") {
        unsigned oh, om;
        const bool colon = zone.size() == 6 && zone[3] == ':';
        if (!(zone.size() == 5 || colon) || (zone[0] != '+' && zone[0] != '-') || !digits(zone, 1, 2, oh) ||
            !digits(zone, colon ? 4 : 3, 2, om))
            return std::nullopt;
        offset_minutes = (zone[0] == '-' ? -1 : 1) * long(oh * 60 + om);
    }
    return millis{*day} * 86'400'000 + millis{hh} * 3'600'000 + millis{mm} * 60'000 + millis{ss} * 1000 + ms -
           offset_minutes * 60'000;
}

}  // namespace jtgw::jira_sample
