#include "tests/gateway/jira/sample_server.hpp"

#include "tests/gateway/jira/child_process.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

namespace jtgw::jira::test {

namespace fs = std::filesystem;
namespace json = boost::json;

scratch_dir::scratch_dir() {
  std::random_device rd;
  path_ = fs::temp_directory_path() / ("jtgw-jira-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

scratch_dir::~scratch_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}


void generate_dataset(const fs::path& dir, std::int64_t issues, std::uint64_t seed) {
  const pid_t pid = spawn_logged({JIRA_SAMPLE_BIN, "generate", "--issues", std::to_string(issues), "--seed",
                           std::to_string(seed), "--out", dir.string()},
                          (fs::create_directories(dir), dir / "generate.log"));
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_REQUIRE_MESSAGE(WIFEXITED(status) && WEXITSTATUS(status) == 0, "jira-sample generate failed");
}

json::value read_dataset_file(const fs::path& dir, const std::string& name) {
  std::ifstream in(dir / name, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << (dir / name));
  if (name.ends_with(".jsonl")) {
    json::array rows;
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) rows.push_back(json::parse(line));
    return rows;
  }
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

sample_server::sample_server(const fs::path& data, std::vector<std::string> args) {
  std::vector<std::string> argv{JIRA_SAMPLE_BIN, "serve", "--data", data.string(), "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  static int started = 0;
  log_ = data / ("jira-sample-" + std::to_string(++started) + ".log");
  const auto& log = log_;
  pid_ = spawn_logged(argv, log);
  try {
    url_ = wait_for_line(log, "listening on ", std::chrono::seconds(60));
  } catch (const std::exception& e) {
    BOOST_FAIL("jira-sample did not start: " << e.what());
  }
  port_ = static_cast<std::uint16_t>(std::stoi(url_.substr(url_.rfind(':') + 1)));
}

std::string sample_server::output() const { return file_text(log_); }

sample_server::~sample_server() { stop_child(pid_); }

std::uint16_t closed_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

}  // namespace jtgw::jira::test
