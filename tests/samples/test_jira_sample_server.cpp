// A real `jira-sample serve` process on 127.0.0.1 port 0, driven with real curl.
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
namespace json = boost::json;
extern char** environ;

namespace {

std::string binary() {
    const char* build = std::getenv("JTGW_BUILD_DIR");
    BOOST_REQUIRE_MESSAGE(build, "JTGW_BUILD_DIR is set by ctest");
    return std::string(build) + "/samples/jira-sample/jira-sample";
}

std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    BOOST_REQUIRE(p);
    char buf[4096];
    while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
    ::pclose(p);
    return out;
}

// Starts `jira-sample serve` and waits for its "listening on" line; stops it (by pid) at the end.
struct server_process {
    pid_t pid = -1;
    std::string url;
    fs::path data;

    explicit server_process(std::vector<std::string> extra) {
        data = fs::temp_directory_path() / ("jira-sample-server-" + std::to_string(::getpid()));
        fs::remove_all(data);
        BOOST_REQUIRE(std::system((binary() + " generate --issues 300 --seed 3 --out " + data.string() + " 2>/dev/null").c_str()) == 0);
        int out[2];
        BOOST_REQUIRE(::pipe(out) == 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        std::vector<std::string> args{binary(), "serve", "--data", data.string(), "--listen", "127.0.0.1:0"};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        BOOST_REQUIRE(::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        std::string line;
        char c;
        while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
        ::close(out[0]);
        const auto at = line.find("http://");
        BOOST_REQUIRE_MESSAGE(at != std::string::npos, "no listening line: " + line);
        url = line.substr(at);
    }
    ~server_process() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            int status = 0;
            ::waitpid(pid, &status, 0);
        }
        fs::remove_all(data);
    }

    json::value user(std::size_t k) const {
        std::ifstream in(data / "users.json");
        std::stringstream s;
        s << in.rdbuf();
        return json::parse(s.str()).as_array().at(k);
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
