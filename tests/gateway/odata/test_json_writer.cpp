// The OData JSON writers: error bodies, and the incremental page writer, read back with
// Boost.JSON's parser.
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include "gateway/odata/json_writer.hpp"
#include "gateway/odata/jira_time.hpp"

namespace json = boost::json;
using namespace jtgw::odata;

namespace {

const catalog& sample_catalog() {
    static const catalog cat = parse_catalog(R"J({"catalog_version": 1, "namespace": "Jira", "tables": [
      {"name": "Things", "description": "things", "key": ["Id"],
       "source": {"endpoint": "/rest/api/2/thing", "paging": "plain_array"},
       "columns": [
         {"name": "Id", "type": "Edm.Int64", "nullable": false, "source": {"path": "/id"}},
         {"name": "Name", "type": "Edm.String", "source": {"path": "/name"}},
         {"name": "Score", "type": "Edm.Double", "source": {"path": "/score"}},
         {"name": "Done", "type": "Edm.Boolean", "source": {"path": "/done"}},
         {"name": "Created", "type": "Edm.DateTimeOffset", "source": {"path": "/created", "convert": "jira_datetime"}},
         {"name": "Due", "type": "Edm.Date", "source": {"path": "/due", "convert": "date"}}]}]})J");
    return cat;
}

row sample_row(std::int64_t id) {
    return row{id, std::string("say \"hi\"\n\\ ü"), 2.5, true,
               utc_millis{*parse_jira_datetime("2025-01-17T12:34:00.120+0000")},
               civil_days{*parse_jira_date("2025-01-17")}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(error_body_shape) {
    auto with_target = json::parse(error_body({501, "NotImplemented", "$orderby is not supported", "$orderby"}));
    BOOST_TEST(with_target.at("error").at("code").as_string() == "NotImplemented");
    BOOST_TEST(with_target.at("error").at("message").as_string() == "$orderby is not supported");
    BOOST_TEST(with_target.at("error").at("target").as_string() == "$orderby");
    auto without = json::parse(error_body({400, "BadRequest", "bad \"x\"", ""}));
    BOOST_TEST(!without.at("error").as_object().contains("target"));
    BOOST_TEST(without.at("error").at("message").as_string() == "bad \"x\"");
}

BOOST_AUTO_TEST_CASE(page_with_typed_values_and_next_link) {
    const table& t = sample_catalog().tables[0];
    row_writer w(t, {0, 1, 2, 3, 4, 5});
    w.begin(context_url("https://gw/odata/", t, {}, true));
    w.write_row(sample_row(1));
    w.write_row(row{std::int64_t{2}, cell{}, cell{}, false, utc_millis{0}, cell{}});
    w.finish("https://gw/odata/Things?$skiptoken=abc");
    auto page = json::parse(w.buffer()).as_object();
    BOOST_TEST(page.at("@odata.context").as_string() == "https://gw/odata/$metadata#Things");
    BOOST_TEST(page.at("@odata.nextLink").as_string() == "https://gw/odata/Things?$skiptoken=abc");
    const auto& rows = page.at("value").as_array();
    BOOST_REQUIRE_EQUAL(rows.size(), 2u);
    BOOST_TEST(rows[0].at("Id").as_int64() == 1);
    BOOST_TEST(rows[0].at("Name").as_string() == "say \"hi\"\n\\ ü");
    BOOST_TEST(rows[0].at("Score").as_double() == 2.5);
    BOOST_TEST(rows[0].at("Done").as_bool() == true);
    BOOST_TEST(rows[0].at("Created").as_string() == "2025-01-17T12:34:00.120Z");
    BOOST_TEST(rows[0].at("Due").as_string() == "2025-01-17");
    BOOST_TEST(rows[1].at("Name").is_null());
    BOOST_TEST(rows[1].at("Created").as_string() == "1970-01-01T00:00:00Z");
    BOOST_TEST(rows[1].at("Due").is_null());
    // Catalog order is kept.
    std::vector<std::string> keys;
    for (const auto& kv : rows[0].as_object()) keys.emplace_back(kv.key());
    BOOST_TEST(keys == (std::vector<std::string>{"Id", "Name", "Score", "Done", "Created", "Due"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(selected_columns_only_and_last_page) {
    const table& t = sample_catalog().tables[0];
    std::vector<std::size_t> selected{4, 0};
    row_writer w(t, selected);
    w.begin(context_url("https://gw/odata/", t, selected, false));
    w.write_row(sample_row(7));
    w.finish("");
    auto page = json::parse(w.buffer()).as_object();
    BOOST_TEST(page.at("@odata.context").as_string() == "https://gw/odata/$metadata#Things(Created,Id)");
    BOOST_TEST(!page.contains("@odata.nextLink"));
    const auto& r = page.at("value").as_array().at(0).as_object();
    BOOST_TEST(r.size() == 2u);
    BOOST_TEST(r.at("Id").as_int64() == 7);
}

BOOST_AUTO_TEST_CASE(empty_page) {
    const table& t = sample_catalog().tables[0];
    row_writer w(t, {0});
    w.begin("ctx");
    w.finish("");
    BOOST_TEST(w.buffer() == R"({"@odata.context":"ctx","value":[]})");
    BOOST_TEST(w.rows_written() == 0u);
}

BOOST_AUTO_TEST_CASE(flushing_keeps_memory_bounded_and_output_whole) {
    const table& t = sample_catalog().tables[0];
    constexpr std::size_t flush_bytes = 512;
    row_writer w(t, {0, 1, 2, 3, 4, 5}, flush_bytes);
    std::string sent, one_row;
    {
        row_writer probe(t, {0, 1, 2, 3, 4, 5});
        probe.write_row(sample_row(1000000));
        one_row = probe.buffer();
    }
    std::size_t flushes = 0, largest = 0;
    w.begin("ctx");
    for (std::int64_t i = 0; i < 10000; ++i) {
        w.write_row(sample_row(i));
        largest = std::max(largest, w.buffer().size());
        if (w.wants_flush()) {
            sent += w.buffer();
            w.buffer().clear();
            ++flushes;
        }
    }
    w.finish("next");
    sent += w.buffer();
    BOOST_TEST(largest < flush_bytes + one_row.size() + 2);
    BOOST_TEST(flushes > 100u);
    auto page = json::parse(sent).as_object();
    const auto& rows = page.at("value").as_array();
    BOOST_REQUIRE_EQUAL(rows.size(), 10000u);
    for (std::int64_t i = 0; i < 10000; ++i) BOOST_TEST_REQUIRE(rows[std::size_t(i)].at("Id").as_int64() == i);
    BOOST_TEST(w.rows_written() == 10000u);
}
