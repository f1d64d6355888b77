// A real `jira-sample serve` process on 127.0.0.1 port 0, driven with real curl.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <filesystem>

#include "tests/support/files.hpp"
#include "tests/support/jira_sample_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
namespace json = boost::json;
namespace support = jtgw::test_support;

namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    BOOST_REQUIRE(p);
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
    return out;
}

fs::path generated(const fs::path& dir) {
    support::generate_dataset(dir, 300, 3);
    return dir;
}

// `jira-sample serve` over a fresh 300-issue dataset (tests/support: waits for its
// "listening on" line, stops it by pid at the end).
struct server_process {
    support::temp_dir dir{"jira-sample-server"};
    fs::path data = generated(dir.path() / "data");
    support::jira_sample_process process;
    std::string url = process.url();

    explicit server_process(std::vector<std::string> extra) : process(data, std::move(extra)) {}

    json::value user(std::size_t k) const {
        return json::parse(support::read_file(data / "users.json")).as_array().at(k);
    }
};

std::string str(const json::value& v, const char* key) { return std::string(v.at(key).as_string()); }

}  // namespace

BOOST_AUTO_TEST_CASE(curl_reads_cloud_and_data_center_shapes_from_a_real_server) {
    server_process server({});
    const auto alice = server.user(0);
    const auto cloud = "-u '" + str(alice, "email") + ":" + str(alice, "api_token") + "'";
    const auto me = json::parse(run("curl -sS " + cloud + " " + server.url + "/rest/api/3/myself"));
    BOOST_TEST(me.at("accountId").as_string() == alice.at("account_id").as_string());
    BOOST_TEST(str(me, "self").rfind(server.url, 0) == 0u);  // self links use the bound port

    // Two Cloud pages through nextPageToken, then the rest, with every issue once.
    std::size_t seen = 0;
    std::string token;
    for (int guard = 0; guard < 100; ++guard) {
        auto target = server.url + "/rest/api/3/search/jql?jql=project+in+(DATA,ENG,MOB,OPS,SEC,WEB)&maxResults=100&fields=*all";
        if (!token.empty()) target += "&nextPageToken=" + token;
        const auto page = json::parse(run("curl -sS " + cloud + " '" + target + "'"));
        seen += page.at("issues").as_array().size();
        if (page.at("isLast").as_bool()) break;
        token = str(page, "nextPageToken");
    }
    BOOST_TEST(seen == 300u);

    const auto dc = json::parse(run("curl -sS -H 'Authorization: Bearer " + str(alice, "pat") + "' '" + server.url +
                                    "/rest/api/2/search?jql=project%3DENG&maxResults=5'"));
    BOOST_TEST(dc.at("maxResults").as_int64() == 5);
    BOOST_TEST(dc.at("issues").at(0).at("fields").at("reporter").at("name").is_string());

    BOOST_TEST(run("curl -s -o /dev/null -w '%{http_code}' " + server.url + "/rest/api/3/myself") == "401");
    BOOST_TEST(run("curl -s -o /dev/null -w '%{http_code}' -X PUT " + cloud + " " + server.url + "/rest/api/3/issue/ENG-1") == "405");
    BOOST_TEST(run("curl -s -o /dev/null -w '%{http_code}' " + cloud + " " + server.url + "/rest/api/3/search") == "410");
}

BOOST_AUTO_TEST_CASE(fault_knobs_on_a_real_server) {
    server_process server({"--fail-every", "2", "--latency-ms", "20"});
    const auto bob = server.user(1);
    const auto cloud = "-u '" + str(bob, "email") + ":" + str(bob, "api_token") + "'";
    std::string codes;
    for (int k = 0; k < 4; ++k)
        codes += run("curl -s -o /dev/null -w '%{http_code} ' " + cloud + " " + server.url + "/rest/api/3/myself");
    BOOST_TEST(codes == "200 503 200 503 ");
}
