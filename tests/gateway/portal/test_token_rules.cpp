// The field rules of a new token (gateway/portal/token_rules.hpp), without HTTP.
#include "gateway/portal/token_rules.hpp"

#include <boost/test/unit_test.hpp>

using namespace jtgw::portal;
using namespace std::chrono;
using jtgw::storage::clock_time;

namespace {

clock_time at(sys_days day, hours h = hours{12}) { return clock_time(duration_cast<milliseconds>(day.time_since_epoch() + h)); }

constexpr sys_days day_2030_06_15 = sys_days{year{2030} / June / 15};

}  // namespace

BOOST_AUTO_TEST_SUITE(portal_token_rules)

BOOST_AUTO_TEST_CASE(labels_are_trimmed_and_limited_to_64_characters) {
  BOOST_TEST(*check_label("  Tableau laptop\t") == "Tableau laptop");
  BOOST_TEST(check_label(std::string(64, 'x')).has_value());
  // 64 characters of two bytes each are still 64 characters.
  std::string umlauts;
  for (int i = 0; i < 64; ++i) umlauts += "\xC3\xBC";
  BOOST_TEST(check_label(umlauts).has_value());

  const auto too_long = check_label(std::string(65, 'x'));
  BOOST_TEST_REQUIRE(!too_long.has_value());
  BOOST_TEST(too_long.error().field == "label");
  BOOST_TEST(too_long.error().message.find("64") != std::string::npos);
  BOOST_TEST(!check_label(umlauts + "x").has_value());
}

BOOST_AUTO_TEST_CASE(labels_must_be_printable_utf8_and_not_empty) {
  for (const std::string bad : {"", "   ", "\t", "line\nbreak", "bell\x07", "del\x7f", "\xC3", "\xFF\xFE", "c1\xC2\x85"}) {
    const auto checked = check_label(bad);
    BOOST_TEST(!checked.has_value(), "accepted: " << bad);
    if (!checked) BOOST_TEST(checked.error().field == "label");
  }
  BOOST_TEST(check_label("Émile's Tableau — 2025").has_value());
}

BOOST_AUTO_TEST_CASE(dates_parse_strictly) {
  BOOST_TEST((parse_date("2030-06-15") == day_2030_06_15));
  BOOST_TEST(format_date(day_2030_06_15) == "2030-06-15");
  BOOST_TEST(format_date(sys_days{year{2} / January / 3}) == "0002-01-03");
  for (const char* bad : {"2030-6-15", "2030-06-31", "2030-02-29", "20300615", "2030-06-15T00:00:00Z", " 2030-06-15",
                          "0000-01-01", "2030-13-01", "2030-00-10", "abcd-ef-gh", ""}) {
    BOOST_TEST(!parse_date(bad).has_value(), bad);
  }
  BOOST_TEST(parse_date("2028-02-29").has_value());
}

BOOST_AUTO_TEST_CASE(expiry_not_before_today_and_null_means_never_without_policy) {
  const auto bounds = bounds_at(at(day_2030_06_15, hours{23}), std::nullopt);
  BOOST_TEST((bounds.earliest == day_2030_06_15));
  BOOST_TEST(!bounds.latest.has_value());

  BOOST_TEST(!check_expiry(std::nullopt, bounds)->has_value());  // never
  BOOST_TEST((**check_expiry("2030-06-15", bounds) == day_2030_06_15));  // today is fine
  BOOST_TEST(check_expiry("9999-12-31", bounds).has_value());

  const auto past = check_expiry("2030-06-14", bounds);
  BOOST_TEST_REQUIRE(!past.has_value());
  BOOST_TEST(past.error().field == "expires");
  BOOST_TEST(past.error().message.find("2030-06-15") != std::string::npos);  // names today

  const auto garbage = check_expiry("tomorrow", bounds);
  BOOST_TEST_REQUIRE(!garbage.has_value());
  BOOST_TEST(garbage.error().field == "expires");
}

BOOST_AUTO_TEST_CASE(policy_caps_the_date_and_requires_one) {
  const jtgw::storage::lifetime_policy policy{.max_days = 30, .set_at = at(sys_days{year{2030} / January / 1})};
  const auto bounds = bounds_at(at(day_2030_06_15), policy);
  BOOST_TEST_REQUIRE(bounds.latest.has_value());
  BOOST_TEST((*bounds.latest == day_2030_06_15 + days{30}));
  BOOST_TEST(*bounds.max_days == 30u);

  BOOST_TEST(check_expiry("2030-07-15", bounds).has_value());
  const auto late = check_expiry("2030-07-16", bounds);
  BOOST_TEST_REQUIRE(!late.has_value());
  BOOST_TEST(late.error().field == "expires");
  BOOST_TEST(late.error().message.find("30 days") != std::string::npos);
  BOOST_TEST(late.error().message.find("2030-07-15") != std::string::npos);

  const auto never = check_expiry(std::nullopt, bounds);
  BOOST_TEST_REQUIRE(!never.has_value());
  BOOST_TEST(never.error().message.find("30 days") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(policy_set_in_the_future_counts_from_its_setting_time) {
  // As auth::effective_expiry: the cap counts from max(created, set_at).
  const jtgw::storage::lifetime_policy policy{.max_days = 1, .set_at = at(day_2030_06_15 + days{10})};
  const auto bounds = bounds_at(at(day_2030_06_15), policy);
  BOOST_TEST((*bounds.latest == day_2030_06_15 + days{11}));
}

BOOST_AUTO_TEST_SUITE_END()
