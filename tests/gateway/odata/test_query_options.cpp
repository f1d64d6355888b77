// Query options of GET /odata/{Table}: what is served, what is refused and how.
#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

#include "gateway/odata/query_options.hpp"
#include "tests/gateway/odata/catalog_fixture.hpp"

using namespace jtgw::odata;

namespace {

// Parses the query part of a real request target, percent-decoding as Boost.URL does.
boost::system::result<query_options, odata_error> parse(std::string_view target, std::string_view prefer = "",
                                                        query_limits limits = {}) {
    auto url = boost::urls::parse_origin_form(target);
    BOOST_REQUIRE_MESSAGE(url.has_value(), target);
    return parse_query_options(testing::shipped_table("Issues"), url->params(), prefer, limits);
}

odata_error error_of(std::string_view target, std::string_view prefer = "") {
    auto r = parse(target, prefer);
    BOOST_REQUIRE_MESSAGE(r.has_error(), target << " is refused");
    return r.error();
}

std::vector<std::string> names(const query_options& q) {
    std::vector<std::string> out;
    for (auto i : q.columns) out.push_back(testing::shipped_table("Issues").columns[i].name);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(no_options_means_every_column_default_page) {
    auto q = parse("/odata/Issues");
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST(q->all_columns);
    BOOST_TEST(q->columns.size() == testing::shipped_table("Issues").columns.size());
    BOOST_TEST(!q->top.has_value());
    BOOST_TEST(q->skiptoken.empty());
    BOOST_TEST(q->page_size == query_limits{}.default_page_size);
    BOOST_TEST(!q->page_size_preferred);
}

BOOST_AUTO_TEST_CASE(select_top_format_skiptoken) {
    auto q = parse("/odata/Issues?$select=Summary,%20Key,Id,Key&$top=25&$format=application/json;odata.metadata=minimal"
                   "&$skiptoken=abc-_123&custom=ignored");
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST(!q->all_columns);
    BOOST_TEST(names(*q) == (std::vector<std::string>{"Id", "Key", "Summary"}), boost::test_tools::per_element());
    BOOST_TEST(*q->top == 25);
    BOOST_TEST(q->skiptoken == "abc-_123");

    auto star = parse("/odata/Issues?$select=*&$format=json&$TOP=0");
    BOOST_REQUIRE(star.has_value());
    BOOST_TEST(star->all_columns);
    BOOST_TEST(*star->top == 0);
    BOOST_TEST(parse("/odata/Issues?$count=false").has_value());
}

BOOST_AUTO_TEST_CASE(max_page_size_preference_is_capped) {
    query_limits limits{100, 500};
    auto q = parse("/odata/Issues", "return=minimal, odata.maxpagesize=250", limits);
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST(q->page_size == 250u);
    BOOST_TEST(q->page_size_preferred);
    auto capped = parse("/odata/Issues", "odata.maxpagesize=100000", limits);
    BOOST_TEST(capped->page_size == 500u);
    auto quoted = parse("/odata/Issues", "Odata.MaxPageSize=\"7\"; foo=bar", limits);
    BOOST_TEST(quoted->page_size == 7u);
    for (const char* ignored : {"odata.maxpagesize=0", "odata.maxpagesize=-5", "odata.maxpagesize=ten",
                                "odata.maxpagesize", "respond-async"}) {
        auto r = parse("/odata/Issues", ignored, limits);
        BOOST_REQUIRE(r.has_value());
        BOOST_TEST(r->page_size == 100u, ignored);
        BOOST_TEST(!r->page_size_preferred, ignored);
    }
}

BOOST_AUTO_TEST_CASE(bad_values_are_400_naming_the_option) {
    auto unknown = error_of("/odata/Issues?$select=Id,Sumary");
    BOOST_TEST(unknown.status == 400u);
    BOOST_TEST(unknown.target == "$select");
    BOOST_TEST(unknown.message.find("Sumary") != std::string::npos);
    BOOST_TEST(error_of("/odata/Issues?$select=Id,").status == 400u);
    for (const char* top : {"/odata/Issues?$top=-1", "/odata/Issues?$top=abc", "/odata/Issues?$top=",
                            "/odata/Issues?$top=99999999999999999999"}) {
        auto e = error_of(top);
        BOOST_TEST(e.status == 400u, top);
        BOOST_TEST(e.target == "$top", top);
    }
    BOOST_TEST(error_of("/odata/Issues?$skiptoken=").status == 400u);
    auto twice = error_of("/odata/Issues?$top=1&$top=2");
    BOOST_TEST(twice.status == 400u);
    BOOST_TEST(twice.code == "DuplicateOption");
    auto xml = error_of("/odata/Issues?$format=xml");
    BOOST_TEST(xml.status == 406u);
    BOOST_TEST(xml.target == "$format");
}

BOOST_AUTO_TEST_CASE(unsupported_options_are_501_naming_them) {
    for (const char* option : {"$orderby", "$expand", "$skip", "$search", "$apply", "$compute", "$levels",
                               "$deltatoken", "$whatever"}) {
        auto e = error_of("/odata/Issues?$top=5&" + std::string(option) + "=x");
        BOOST_TEST(e.status == 501u, option);
        BOOST_TEST(e.code == "NotImplemented", option);
        BOOST_TEST(e.target == option, option);
        BOOST_TEST(e.message.find(option) != std::string::npos, option);
    }
    auto count = error_of("/odata/Issues?$count=true");
    BOOST_TEST(count.status == 501u);
    BOOST_TEST(count.target == "$count");
    auto filter = error_of("/odata/Issues?$filter=Summary%20eq%20'x'");
    BOOST_TEST(filter.status == 501u);
    BOOST_TEST(filter.target == "$filter");
    BOOST_TEST(parse("/odata/Issues?$filter=Updated%20ge%202025-01-01T00:00:00Z").has_value());
}
