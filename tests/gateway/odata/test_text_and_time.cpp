// Jira time spellings in, OData spellings out, and ADF flattened to text.
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/odata/adf_text.hpp"
#include "gateway/odata/jira_time.hpp"

using namespace jtgw::odata;

namespace {

std::string odata_time(std::int64_t millis) {
    std::string out;
    append_odata_datetime(out, millis);
    return out;
}

std::string odata_date(std::int32_t days) {
    std::string out;
    append_odata_date(out, days);
    return out;
}

std::string round_trip(std::string_view jira) {
    auto t = parse_jira_datetime(jira);
    BOOST_REQUIRE_MESSAGE(t.has_value(), jira);
    return odata_time(*t);
}

}  // namespace

BOOST_AUTO_TEST_CASE(jira_timestamps_become_utc) {
    BOOST_TEST(round_trip("2025-01-17T12:34:00.000+0000") == "2025-01-17T12:34:00Z");
    BOOST_TEST(round_trip("2025-01-17T12:34:00.000+00:00") == "2025-01-17T12:34:00Z");
    BOOST_TEST(round_trip("2025-01-17T12:34:00.123Z") == "2025-01-17T12:34:00.123Z");
    BOOST_TEST(round_trip("2025-01-17T12:34:00Z") == "2025-01-17T12:34:00Z");
    BOOST_TEST(round_trip("2025-01-01T01:30:00.500+0200") == "2024-12-31T23:30:00.500Z");
    BOOST_TEST(round_trip("2015-04-11T15:22:00.000+10:00") == "2015-04-11T05:22:00Z");
    BOOST_TEST(round_trip("2024-02-28T22:00:00.000-0530") == "2024-02-29T03:30:00Z");  // leap day
    BOOST_TEST(round_trip("1969-12-31T23:59:59.999Z") == "1969-12-31T23:59:59.999Z");
    BOOST_TEST(round_trip("2025-01-17T12:34:00.1+0000") == "2025-01-17T12:34:00.100Z");
    BOOST_TEST(*parse_jira_datetime("1970-01-01T00:00:00.000+0000") == 0);
}

BOOST_AUTO_TEST_CASE(malformed_timestamps_are_refused) {
    for (const char* bad : {"", "2025-01-17", "2025-01-17T12:34:00", "2025-01-17 12:34:00.000+0000",
                            "2025-13-17T12:34:00.000+0000", "2025-02-30T12:34:00.000+0000",
                            "2025-01-17T24:00:00.000+0000", "2025-01-17T12:34:00.+0000", "2025-01-17T12:34:00.000+000",
                            "2025-01-17T12:34:00.000+19:00", "2025-01-17T12:34:00.000 0000", "2025-01-17T12:34:00.000Zx",
                            "2025-01-17T12:34:00.0000000000Z", "x025-01-17T12:34:00Z"})
        BOOST_TEST(!parse_jira_datetime(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(dates) {
    BOOST_TEST(odata_date(*parse_jira_date("2025-01-17")) == "2025-01-17");
    BOOST_TEST(*parse_jira_date("1970-01-02") == 1);
    BOOST_TEST(*parse_jira_date("1969-12-31") == -1);
    BOOST_TEST(odata_date(*parse_jira_date("2000-02-29")) == "2000-02-29");
    for (const char* bad : {"2025-02-29", "2025-1-17", "2025-01-17T00:00", "17/Jan/25", ""})
        BOOST_TEST(!parse_jira_date(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(adf_paragraphs_lists_and_inline_nodes) {
    auto doc = boost::json::parse(R"({"type": "doc", "version": 1, "content": [
      {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Summary"}]},
      {"type": "paragraph", "content": [
        {"type": "text", "text": "Hi "}, {"type": "mention", "attrs": {"id": "5b10", "text": "@Ada"}},
        {"type": "text", "text": " "}, {"type": "emoji", "attrs": {"shortName": ":smile:", "text": "😄"}},
        {"type": "hardBreak"}, {"type": "text", "text": "see "},
        {"type": "inlineCard", "attrs": {"url": "https://example.com/x"}}]},
      {"type": "paragraph", "content": []},
      {"type": "bulletList", "content": [
        {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "one"}]}]},
        {"type": "listItem", "content": [{"type": "paragraph", "content": [{"type": "text", "text": "two"}]}]}]},
      {"type": "codeBlock", "attrs": {"language": "cpp"}, "content": [{"type": "text", "text": "int x;"}]},
      {"type": "rule"}
    ]})");
    BOOST_TEST(adf_to_text(doc) == "Summary\nHi @Ada 😄\nsee https://example.com/x\n\none\ntwo\nint x;\n");
}

BOOST_AUTO_TEST_CASE(adf_matches_the_v2_string_for_plain_paragraphs) {
    // What Jira (and jira-sample) send for "line one\n\nline three": a paragraph per line.
    auto doc = boost::json::parse(R"({"type": "doc", "version": 1, "content": [
      {"type": "paragraph", "content": [{"type": "text", "text": "line one"}]},
      {"type": "paragraph", "content": []},
      {"type": "paragraph", "content": [{"type": "text", "text": "line three"}]}]})");
    BOOST_TEST(adf_to_text(doc) == "line one\n\nline three");
    BOOST_TEST(adf_to_text(boost::json::value("already plain")) == "already plain");
}

BOOST_AUTO_TEST_CASE(adf_nesting_is_bounded) {
    // 200 nested blockquotes around a text node: no stack blow-up, the deep text is cut.
    boost::json::value node = boost::json::parse(R"({"type": "text", "text": "deep"})");
    for (int i = 0; i < 200; ++i)
        node = boost::json::object{{"type", "blockquote"}, {"content", boost::json::array{node}}};
    BOOST_TEST(adf_to_text(node).empty());
}
