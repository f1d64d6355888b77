// The jtgw command line as admins and scripts use it: exit codes and messages.
#include "tests/support/binaries.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/log_files.hpp"
#include "tests/support/ready_line.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>

using namespace jtgw::test_support;

namespace {

const std::string good_config =
    "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\n[store]\npath = \"store\"\n"
    "[jira]\nurl = \"http://127.0.0.1:9\"\nflavor = \"cloud\"\nauth = \"service\"\n"
    "service_username = \"svc\"\nservice_secret = \"s\"\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(version_and_help) {
  const auto version = run({jtgw_bin(), "version"});
  BOOST_TEST(version.exit_code == 0);
  BOOST_TEST(version.out.rfind("jtgw ", 0) == 0u, version.out);
  for (std::string sub : {"", "serve", "check-config", "version"}) {
    std::vector<std::string> argv{jtgw_bin()};
    if (!sub.empty()) argv.push_back(sub);
    argv.push_back("--help");
    const auto help = run(argv);
    BOOST_TEST_CONTEXT(sub) {
      BOOST_TEST(help.exit_code == 0);
      BOOST_TEST(help.out.find("Usage") != std::string::npos, help.out);
    }
  }
  BOOST_TEST(run({jtgw_bin()}).exit_code == 2, "a subcommand is required");
  BOOST_TEST(run({jtgw_bin(), "serve"}).exit_code == 2, "--config is required");
}

BOOST_AUTO_TEST_CASE(check_config_ok_and_shipped_sample) {
  temp_dir dir;
  write_file(dir.path() / "jtgw.toml", good_config);
  const auto ok = run({jtgw_bin(), "check-config", (dir.path() / "jtgw.toml").string()});
  BOOST_TEST(ok.exit_code == 0);
  BOOST_TEST(ok.out == "OK\n");
  const auto sample = run({jtgw_bin(), "check-config", std::string(JTGW_SOURCE_DIR) + "/samples/jtgw.toml"});
  BOOST_TEST(sample.exit_code == 0, sample.err);
}

BOOST_AUTO_TEST_CASE(bad_config_exits_2_naming_file_and_key) {
  temp_dir dir;
  const auto file = dir.path() / "jtgw.toml";
  write_file(file, good_config + "[limits]\nheader_bytes = \"big\"\n");
  const auto checked = run({jtgw_bin(), "check-config", file.string()});
  BOOST_TEST(checked.exit_code == 2);
  BOOST_TEST(checked.err.find(file.string()) != std::string::npos, checked.err);
  BOOST_TEST(checked.err.find("limits.header_bytes") != std::string::npos, checked.err);
  // serve refuses with the same message before touching anything.
  const auto served = run({jtgw_bin(), "serve", "--config", file.string()});
  BOOST_TEST(served.exit_code == 2);
  BOOST_TEST(served.err == checked.err);
  BOOST_TEST(!fs::exists(dir.path() / "store"));

  const auto missing = run({jtgw_bin(), "check-config", (dir.path() / "nope.toml").string()});
  BOOST_TEST(missing.exit_code == 2);
  BOOST_TEST(missing.err.find("nope.toml") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(store_held_by_another_jtgw_exits_1) {
  temp_dir dir;
  const auto file = dir.path() / "jtgw.toml";
  write_file(file, good_config);
  child_process first({jtgw_bin(), "serve", "--config", file.string()}, new_log_file("cli-out"), new_log_file("cli-err"));
  wait_for_match(first.err(), std::regex("jtgw serving"), &first);
  const auto second = run({jtgw_bin(), "serve", "--config", file.string()});
  BOOST_TEST(second.exit_code == 1);
  BOOST_TEST(second.err.find("cannot open the token store") != std::string::npos, second.err);
  first.send(SIGINT);
  BOOST_TEST(first.wait_exit(60s).value_or(-1) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
