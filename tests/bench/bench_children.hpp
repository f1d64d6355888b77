#pragma once
// The processes a benchmark starts, on tests/support's child_process (jira-sample itself
// is test_support::jira_sample_process): commands run to completion, and jtgw on a config.
#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"
#include "tests/support/ready_line.hpp"
#include "tests/support/run_command.hpp"

namespace jtgw::bench {

// Runs argv to completion and returns the last line it printed on stdout; throws when it
// fails. The limit is generous: generating a large dataset takes minutes.
inline std::string run_last_line(const std::vector<std::string>& argv, std::chrono::seconds limit = std::chrono::hours(1)) {
  const auto done = test_support::run(argv, limit);
  if (done.exit_code != 0) throw std::runtime_error(argv[0] + " failed: " + done.err);
  std::istringstream in(done.out);
  std::string last;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) last = line;
  return last;
}

// `BIN serve --config CONFIG` with its output in `log`, ready once it listens (at most a
// minute); SIGTERM (then SIGKILL) on destruction.
class gateway_process {
 public:
  gateway_process(const std::string& bin, const std::filesystem::path& config, const std::filesystem::path& log)
      : proc_({bin, "serve", "--config", config.string()}, log, log),
        port_(test_support::wait_for_match(log, std::regex(R"(listening on 127\.0\.0\.1:(\d+))"), &proc_)) {}
  ~gateway_process() { proc_.stop(); }
  gateway_process(const gateway_process&) = delete;
  gateway_process& operator=(const gateway_process&) = delete;

  pid_t pid() const { return proc_.pid(); }
  const std::string& port() const { return port_; }

 private:
  test_support::child_process proc_;
  std::string port_;
};

}  // namespace jtgw::bench
