// $filter: the time ranges jtgw serves, exact to the millisecond, and every refusal with
// the status OData prescribes and a message naming the offending part.
#include <chrono>
#include <limits>

#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

#include "gateway/odata/filter.hpp"
#include "gateway/odata/query_options.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

using namespace jtgw::odata;
using namespace std::chrono;

namespace {

const table& issues() { return testing::shipped_table("Issues"); }
std::size_t col(std::string_view name) { return *issues().column_index(name); }

// UTC milliseconds of a civil time, computed with the calendar, not with the parser.
std::int64_t utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
    const sys_days date{year{y} / month{mo} / day{d}};
    return duration_cast<milliseconds>(date.time_since_epoch() + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms})
        .count();
}

row_filter ok(std::string_view text) {
    auto r = parse_filter(issues(), text);
    BOOST_REQUIRE_MESSAGE(r.has_value(), text << " -> " << (r ? "" : r.error().message));
    return *r;
}

odata_error refused(std::string_view text) {
    auto r = parse_filter(issues(), text);
    BOOST_REQUIRE_MESSAGE(r.has_error(), text << " is refused");
    BOOST_TEST(r.error().target == "$filter");
    return r.error();
}

constexpr auto no_lower = std::numeric_limits<std::int64_t>::min();
constexpr auto no_upper = std::numeric_limits<std::int64_t>::max();

row row_with(std::int64_t updated, std::int64_t created) {
    row r(issues().columns.size());
    r[col("Updated")] = utc_millis{updated};
    r[col("Created")] = utc_millis{created};
    return r;
}

}  // namespace

BOOST_AUTO_TEST_CASE(literals_to_utc_milliseconds) {
    const auto t = utc(2025, 1, 17, 12, 34);
    BOOST_TEST(parse_odata_datetime("2025-01-17T12:34Z")->millis == t);
    BOOST_TEST(parse_odata_datetime("2025-01-17t12:34:00z")->millis == t);  // ABNF literals are case-insensitive
    BOOST_TEST(parse_odata_datetime("2025-01-17T12:34:56.7Z")->millis == t + 56'700);
    BOOST_TEST(parse_odata_datetime("2025-01-17T12:34:56.789Z")->millis == t + 56'789);
    BOOST_TEST(!parse_odata_datetime("2025-01-17T12:34:56.789Z")->sub_millis);
    auto fine = parse_odata_datetime("2025-01-17T12:34:56.789000000001Z");
    BOOST_TEST(fine->millis == t + 56'789);
    BOOST_TEST(fine->sub_millis);
    BOOST_TEST(!parse_odata_datetime("2025-01-17T12:34:56.789000000000Z")->sub_millis);
    // Offsets: local time minus offset is UTC.
    BOOST_TEST(parse_odata_datetime("2025-01-17T18:04:00+05:30")->millis == t);
    BOOST_TEST(parse_odata_datetime("2025-01-17T04:34:00-08:00")->millis == t);
    BOOST_TEST(parse_odata_datetime("2025-01-18T00:04:00 11:30")->millis == t);  // '+' decoded to ' '
    BOOST_TEST(parse_odata_datetime("2025-01-01T00:30:00+01:00")->millis == utc(2024, 12, 31, 23, 30));
    BOOST_TEST(parse_odata_datetime("1969-12-31T23:59:59.999Z")->millis == -1);
    for (const char* bad : {"2025-02-30T00:00Z", "2025-01-17T24:00Z", "2025-01-17T12:60Z", "2025-01-17T12:34:60Z",
                            "2025-01-17T12:34", "2025-01-17", "2025-01-17T12:34:56.Z", "2025-01-17T12:34:56.1234567890123Z",
                            "2025-01-17T12:34+0100", "2025-01-17T12:34+24:00", "25-01-17T12:34Z", "2025-1-17T12:34Z",
                            "2025-01-17 12:34Z", "2025-01-17T12:34ZZ", ""})
        BOOST_TEST(!parse_odata_datetime(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(comparisons_become_inclusive_millisecond_ranges) {
    const auto t = utc(2025, 1, 17, 12, 34, 56, 789);
    auto one = [&](std::string_view text) {
        auto f = ok(text);
        BOOST_REQUIRE(f.ranges.size() == 1u);
        BOOST_TEST(f.ranges[0].column == col("Updated"));
        return std::pair{f.ranges[0].lower, f.ranges[0].upper};
    };
    BOOST_TEST((one("Updated ge 2025-01-17T12:34:56.789Z") == std::pair{t, no_upper}));
    BOOST_TEST((one("Updated gt 2025-01-17T12:34:56.789Z") == std::pair{t + 1, no_upper}));
    BOOST_TEST((one("Updated le 2025-01-17T12:34:56.789Z") == std::pair{no_lower, t}));
    BOOST_TEST((one("Updated lt 2025-01-17T12:34:56.789Z") == std::pair{no_lower, t - 1}));
    // Between two milliseconds: ge/gt keep from the next, le/lt up to the one before.
    BOOST_TEST((one("Updated ge 2025-01-17T12:34:56.7895Z") == std::pair{t + 1, no_upper}));
    BOOST_TEST((one("Updated gt 2025-01-17T12:34:56.7895Z") == std::pair{t + 1, no_upper}));
    BOOST_TEST((one("Updated le 2025-01-17T12:34:56.7895Z") == std::pair{no_lower, t}));
    BOOST_TEST((one("Updated lt 2025-01-17T12:34:56.7895Z") == std::pair{no_lower, t}));
    // The literal on the left turns the relation around.
    BOOST_TEST((one("2025-01-17T12:34:56.789Z le Updated") == std::pair{t, no_upper}));
    BOOST_TEST((one("2025-01-17T12:34:56.789Z lt Updated") == std::pair{t + 1, no_upper}));
    BOOST_TEST((one("2025-01-17T12:34:56.789Z ge Updated") == std::pair{no_lower, t}));
    BOOST_TEST((one("2025-01-17T12:34:56.789Z gt Updated") == std::pair{no_lower, t - 1}));
    // Operators in any case (OData 4.01); several bounds on one column intersect.
    BOOST_TEST((one("Updated GE 2025-01-17T12:34:56.789Z and Updated Lt 2025-01-18T00:00:00Z and "
                    "Updated gt 2025-01-01T00:00:00Z") == std::pair{t, utc(2025, 1, 18) - 1}));
}

BOOST_AUTO_TEST_CASE(two_columns_parentheses_and_canonical_form) {
    auto f = ok("((Created ge 2024-01-01T00:00:00+02:00) and (Updated lt 2025-01-01T00:00:00Z and "
                "Created lt 2024-07-01T00:00:00Z))");
    BOOST_REQUIRE(f.ranges.size() == 2u);
    BOOST_TEST(f.ranges[0].column < f.ranges[1].column);  // column order, whatever the spelling
    const auto& created = f.ranges[0].column == col("Created") ? f.ranges[0] : f.ranges[1];
    const auto& updated = f.ranges[0].column == col("Updated") ? f.ranges[0] : f.ranges[1];
    BOOST_TEST(created.lower == utc(2023, 12, 31, 22));
    BOOST_TEST(created.upper == utc(2024, 7, 1) - 1);
    BOOST_TEST(!updated.has_lower());
    BOOST_TEST(updated.upper == utc(2025, 1, 1) - 1);
    // Equal filters bind $skiptoken alike; different ones do not.
    BOOST_TEST(f.canonical() == ok("Created lt 2024-07-01T00:00:00Z and 2024-12-31T23:59:59.999Z ge Updated and "
                                   "Created ge 2023-12-31T22:00:00Z").canonical());
    BOOST_TEST(f.canonical() != ok("Created lt 2024-07-01T00:00:00Z and Updated lt 2025-01-01T00:00:00Z").canonical());
    BOOST_TEST(row_filter{}.canonical().empty());
}

BOOST_AUTO_TEST_CASE(matches_exactly) {
    const auto t = utc(2025, 1, 17, 12, 34);
    auto f = ok("Updated ge 2025-01-17T12:34:00Z and Updated lt 2025-01-17T12:35:00Z and "
                "Created le 2025-01-01T00:00:00Z");
    const auto created = utc(2025, 1, 1);
    BOOST_TEST(f.matches(row_with(t, created)));
    BOOST_TEST(f.matches(row_with(t + 59'999, created)));
    BOOST_TEST(!f.matches(row_with(t - 1, created)));
    BOOST_TEST(!f.matches(row_with(t + 60'000, created)));
    BOOST_TEST(!f.matches(row_with(t, created + 1)));
    row nulls(issues().columns.size());  // null fails every comparison
    BOOST_TEST(!f.matches(nulls));
    BOOST_TEST(row_filter{}.matches(nulls));
    BOOST_TEST(!f.contradictory());
    BOOST_TEST(ok("Updated gt 2025-01-17T12:34:00Z and Updated lt 2025-01-17T12:34:00.002Z").ranges[0].lower ==
               t + 1);
    BOOST_TEST(!ok("Updated gt 2025-01-17T12:34:00Z and Updated lt 2025-01-17T12:34:00.002Z").contradictory());
    BOOST_TEST(ok("Updated gt 2025-01-17T12:34:00Z and Updated lt 2025-01-17T12:34:00.001Z").contradictory());
}

BOOST_AUTO_TEST_CASE(valid_odata_jtgw_does_not_serve_is_501_naming_it) {
    const std::pair<const char*, const char*> cases[] = {
        {"Updated ge 2025-01-01T00:00:00Z or Created ge 2025-01-01T00:00:00Z", "'or'"},
        {"(Updated ge 2025-01-01T00:00:00Z or Created ge 2025-01-01T00:00:00Z)", "'or'"},
        {"not (Updated ge 2025-01-01T00:00:00Z)", "'not'"},
        {"Updated eq 2025-01-01T00:00:00Z", "'eq'"},
        {"Updated ne 2025-01-01T00:00:00Z", "'ne'"},
        {"Updated in (2025-01-01T00:00:00Z)", "'in'"},
        {"Updated ge 2025-01-01T00:00:00Z add duration'P1D'", "'add'"},
        {"Key eq 'ENG-1'", "column Key"},
        {"Id eq 1", "column Id"},
        {"Summary ge 2025-01-01T00:00:00Z", "column Summary"},
        {"ResolutionDate ge 2025-01-01T00:00:00Z", "column ResolutionDate"},
        {"contains(Summary,'x')", "function 'contains'"},
        {"year(Updated) ge 2025", "function 'year'"},
        {"Updated ge now()", "function 'now'"},
        {"Updated ge Created", "two columns"},
        {"2025-01-01T00:00:00Z le 2025-01-02T00:00:00Z", "two literals"},
        {"Project/Key eq 'ENG'", "path 'Project"},
        {"$it/Updated ge 2025-01-01T00:00:00Z", "'$it'"},
        {"Updated ge @since", "'@since'"},
        {"Updated ge (2025-01-01T00:00:00Z)", "parenthesised operand"},
    };
    for (const auto& [text, part] : cases) {
        auto e = refused(text);
        BOOST_TEST(e.status == 501u, text);
        BOOST_TEST(e.code == "NotImplemented", text);
        BOOST_TEST(e.message.find(part) != std::string::npos, text << ": " << e.message);
        BOOST_TEST(e.message.find("Created, Updated") != std::string::npos, e.message);  // says what is served
    }
}

BOOST_AUTO_TEST_CASE(invalid_expressions_are_400) {
    const std::pair<const char*, const char*> cases[] = {
        {"", "empty"},
        {"   ", "empty"},
        {"Nope ge 2025-01-01T00:00:00Z", "no column named 'Nope'"},
        {"updated ge 2025-01-01T00:00:00Z", "no column named 'updated'"},  // names are case-sensitive
        {"Updated ge 2025-02-30T00:00:00Z", "'2025-02-30T00:00:00Z' is not a DateTimeOffset"},
        {"Updated ge 2025-01-01", "'2025-01-01' is not a DateTimeOffset"},
        {"Updated ge 2025-01-01T00:00:00", "is not a DateTimeOffset"},
        {"Updated ge 20250101", "is not a DateTimeOffset"},
        {"Updated ge '2025-01-01T00:00:00Z'", "is a string"},
        {"Updated ge 'unclosed", "not closed"},
        {"Updated ge null", "'null' is not a DateTimeOffset"},
        {"Updated", "expected ge, gt, le or lt, got the end"},
        {"Updated ge", "expected a column or a DateTimeOffset"},
        {"Updated ge 2025-01-01T00:00:00Z and", "expected a column"},
        {"Updated ge 2025-01-01T00:00:00Z)", "')' without its '('"},
        {"(Updated ge 2025-01-01T00:00:00Z", "expected ')'"},
        {"Updated ge 2025-01-01T00:00:00Z Created", "expected 'and' or the end"},
        {"Updated >= 2025-01-01T00:00:00Z", "unexpected character '>'"},
        {"Updated ge 2025-01-01T00:00:00Z; drop", "unexpected character ';'"},
    };
    for (const auto& [text, part] : cases) {
        auto e = refused(text);
        BOOST_TEST(e.status == 400u, text);
        BOOST_TEST(e.code == "InvalidFilter", text);
        BOOST_TEST(e.message.find(part) != std::string::npos, text << ": " << e.message);
    }
}

BOOST_AUTO_TEST_CASE(limits) {
    std::string many = "Updated ge 2025-01-01T00:00:00Z";
    for (std::size_t i = 1; i < max_filter_comparisons; ++i) many += " and Updated ge 2025-01-01T00:00:00Z";
    BOOST_TEST(many.size() <= max_filter_chars);
    BOOST_TEST(parse_filter(issues(), many).has_value());
    BOOST_TEST(refused(many + " and Updated ge 2025-01-01T00:00:00Z").message.find("comparisons") != std::string::npos);

    std::string deep = std::string(max_filter_depth, '(') + "Updated ge 2025-01-01T00:00:00Z" +
                       std::string(max_filter_depth, ')');
    BOOST_TEST(parse_filter(issues(), deep).has_value());
    BOOST_TEST(refused("(" + deep + ")").message.find("nested parentheses") != std::string::npos);
    BOOST_TEST(refused(std::string(max_filter_chars + 1, ' ')).message.find("longer than") != std::string::npos);
}

// Through the query options, as a request target arrives: Boost.URL decodes it first.
BOOST_AUTO_TEST_CASE(through_query_options) {
    auto url = boost::urls::parse_origin_form(
        "/odata/Issues?$filter=Updated%20ge%202025-01-17T12:34:00%2B01:00%20and%20Updated%20lt%202025-01-18T00:00:00Z");
    BOOST_REQUIRE(url.has_value());
    auto q = parse_query_options(issues(), url->params(), "");
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST(q->filter.ranges.size() == 1u);
    BOOST_TEST(q->filter.ranges[0].lower == utc(2025, 1, 17, 11, 34));
    BOOST_TEST(q->filter_text == "Updated ge 2025-01-17T12:34:00+01:00 and Updated lt 2025-01-18T00:00:00Z");
    // An unencoded '+' arrives as a space and still means the offset.
    auto plus = boost::urls::parse_origin_form("/odata/Issues?$filter=Updated+ge+2025-01-17T12:34:00+01:00");
    auto p = parse_query_options(issues(), plus->params(), "");
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST(p->filter.ranges[0].lower == utc(2025, 1, 17, 11, 34));
    // Tables without a filterable column say so.
    auto other = parse_filter(testing::shipped_table("Projects"), "Id eq 1");
    BOOST_REQUIRE(other.has_error());
    BOOST_TEST(other.error().status == 501u);
    BOOST_TEST(other.error().message.find("Projects has no filterable column") != std::string::npos);
}
