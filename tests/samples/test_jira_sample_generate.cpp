// Generation is deterministic for (N, seed), the files round-trip, and users.json has
// exactly the promised keys and kinds of user.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sstream>

#include "tests/samples/jira_sample_fixture.hpp"
#include "tests/support/files.hpp"
#include "tests/support/temp_dir.hpp"

using namespace jira_sample_test;
namespace fs = std::filesystem;

namespace {

using jtgw::test_support::read_file;
using jtgw::test_support::temp_dir;

std::map<std::string, std::string> files_of(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out[e.path().filename().string()] = read_file(e.path());
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_inputs_same_bytes_other_seed_other_bytes) {
    temp_dir a("jira-sample-gen"), b("jira-sample-gen"), c("jira-sample-gen"), again("jira-sample-gen");
    js::write_dataset(js::generate(300, 7), a.path());
    js::write_dataset(js::generate(300, 7), b.path());
    js::write_dataset(js::generate(300, 8), c.path());
    const auto fa = files_of(a.path()), fb = files_of(b.path()), fc = files_of(c.path());
    BOOST_TEST(fa.size() >= 19u);
    BOOST_TEST((fa == fb));
    BOOST_TEST(fa.at("issues.jsonl") != fc.at("issues.jsonl"));
    BOOST_TEST(fa.at("users.json") != fc.at("users.json"));  // credentials depend on the seed
    // Reading and writing again reproduces the files exactly.
    js::write_dataset(js::read_dataset(a.path()), again.path());
    BOOST_TEST((files_of(again.path()) == fa));
}

BOOST_AUTO_TEST_CASE(users_file_has_exactly_the_promised_keys) {
    temp_dir dir("jira-sample-gen");
    js::write_dataset(js::generate(50, 1), dir.path());
    const auto users = json::parse(read_file(dir.path() / "users.json")).as_array();
    BOOST_TEST(users.size() >= 6u);
    bool all = false, one = false, none = false;
    const auto project_count = json::parse(read_file(dir.path() / "projects.json")).as_array().size();
    BOOST_TEST(project_count >= 5u);
    for (const auto& u : users) {
        const auto& o = u.as_object();
        BOOST_TEST(o.size() == 8u);
        for (const auto* key : {"display_name", "email", "account_id", "username", "api_token", "pat", "password"})
            BOOST_TEST(o.at(key).is_string());
        const auto n = o.at("projects").as_array().size();
        all |= n == project_count;
        one |= n == 1;
        none |= n == 0;
    }
    BOOST_TEST(all);
    BOOST_TEST(one);
    BOOST_TEST(none);
}

BOOST_AUTO_TEST_CASE(dataset_has_lists_beyond_jira_embed_limits) {
    const auto d = js::generate(2000, 3);
    std::size_t big_worklogs = 0, big_comments = 0, big_changelogs = 0;
    for (std::size_t k = 0; k < d.issues.size(); ++k) {
        big_worklogs += d.worklogs_of[k].last - d.worklogs_of[k].first > 20;
        big_comments += d.comments_of[k].last - d.comments_of[k].first > 20;
        big_changelogs += d.histories_of[k].last - d.histories_of[k].first > 100;
    }
    BOOST_TEST(big_worklogs > 0u);
    BOOST_TEST(big_comments > 0u);
    BOOST_TEST(big_changelogs > 0u);
    BOOST_CHECK_THROW(js::generate(-1, 1), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(corrupt_files_are_reported_with_their_name) {
    temp_dir dir("jira-sample-gen");
    js::write_dataset(js::generate(20, 1), dir.path());
    std::ofstream(dir.path() / "issues.jsonl", std::ios::app) << "{\"id\": 1}\n";
    try {
        js::read_dataset(dir.path());
        BOOST_FAIL("a corrupt dataset was accepted");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find("issues.jsonl line 21") != std::string::npos);
    }
}
