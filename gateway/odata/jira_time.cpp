#include "gateway/odata/jira_time.hpp"

#include <chrono>
#include <cstdio>

namespace jtgw::odata {

namespace {

using namespace std::chrono;

// Reads exactly `count` decimal digits at `pos`; nullopt if any is not a digit.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) noexcept {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

std::optional<sys_days> civil(std::string_view text) noexcept {
    auto y = digits(text, 0, 4), m = digits(text, 5, 2), d = digits(text, 8, 2);
    if (!y || !m || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    year_month_day ymd{year{*y}, month{unsigned(*m)}, day{unsigned(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd};
}

}  // namespace

std::optional<std::int32_t> parse_jira_date(std::string_view text) noexcept {
    if (text.size() != 10) return std::nullopt;
    auto days = civil(text);
    if (!days) return std::nullopt;
    return static_cast<std::int32_t>(days->time_since_epoch().count());
}

std::optional<std::int64_t> parse_jira_datetime(std::string_view text) noexcept {
    auto days = civil(text);
    if (!days || text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') return std::nullopt;
    auto hh = digits(text, 11, 2), mi = digits(text, 14, 2), ss = digits(text, 17, 2);
    if (!hh || !mi || !ss || *hh > 23 || *mi > 59 || *ss > 59) return std::nullopt;
    std::size_t pos = 19;
    std::int64_t ms = 0;
    if (text[pos] == '.') {
        std::size_t first = ++pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (pos - first < 3) ms = ms * 10 + (text[pos] - '0');
            ++pos;
        }
        std::size_t count = pos - first;
        if (count == 0 || count > 9) return std::nullopt;
        for (std::size_t i = count; i < 3; ++i) ms *= 10;
    }
    std::int64_t offset_minutes = 0;
    std::string_view zone = text.substr(pos);
    if (zone == "Z") {
        offset_minutes = 0;
    } else if (zone.size() == 5 || (zone.size() == 6 && zone[3] == ':')) {
        if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
        auto oh = digits(zone, 1, 2), om = digits(zone, zone.size() == 5 ? 3 : 4, 2);
        if (!oh || !om || *om > 59 || *oh * 60 + *om > 18 * 60) return std::nullopt;
        offset_minutes = (*oh * 60 + *om) * (zone[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    // Local wall time minus its offset is UTC.
    std::int64_t seconds = std::int64_t(days->time_since_epoch().count()) * 86400 + *hh * 3600 + *mi * 60 + *ss -
                           offset_minutes * 60;
    return seconds * 1000 + ms;
}

namespace {

// Writes `value` (0 <= value < 10^width) as exactly `width` digits ending before `end`.
void put_digits(char* end, unsigned value, int width) noexcept {
    for (int i = 0; i < width; ++i, value /= 10) *--end = char('0' + value % 10);
}

}  // namespace

void append_odata_date(std::string& out, std::int32_t days) {
    year_month_day ymd{sys_days{std::chrono::days{days}}};
    const int y = int(ymd.year());
    if (y < 0 || y > 9999) {  // outside what Jira stores; spelled as printf would
        char buf[16];
        int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, unsigned(ymd.month()), unsigned(ymd.day()));
        out.append(buf, std::size_t(n));
        return;
    }
    // By hand: this runs for every date cell of an export, and snprintf was a visible cost.
    char buf[10] = {0, 0, 0, 0, '-', 0, 0, '-', 0, 0};
    put_digits(buf + 4, unsigned(y), 4);
    put_digits(buf + 7, unsigned(ymd.month()), 2);
    put_digits(buf + 10, unsigned(ymd.day()), 2);
    out.append(buf, sizeof buf);
}

void append_odata_datetime(std::string& out, std::int64_t utc_millis) {
    // Floor division keeps times before 1970 on the right day.
    std::int64_t day = utc_millis >= 0 ? utc_millis / 86400000 : -((-utc_millis + 86399999) / 86400000);
    std::int64_t in_day = utc_millis - day * 86400000;
    append_odata_date(out, static_cast<std::int32_t>(day));
    char buf[14] = {'T', 0, 0, ':', 0, 0, ':', 0, 0, '.', 0, 0, 0, 'Z'};
    put_digits(buf + 3, unsigned(in_day / 3600000), 2);
    put_digits(buf + 6, unsigned(in_day / 60000 % 60), 2);
    put_digits(buf + 9, unsigned(in_day / 1000 % 60), 2);
    if (in_day % 1000 != 0) {
        put_digits(buf + 13, unsigned(in_day % 1000), 3);
        out.append(buf, sizeof buf);
    } else {
        out.append(buf, 9);
        out += 'Z';
    }
}

}  // namespace jtgw::odata
