#include "tests/support/jira_sample_process.hpp"

#include "tests/support/binaries.hpp"
#include "tests/support/files.hpp"
#include "tests/support/log_files.hpp"
#include "tests/support/ready_line.hpp"
#include "tests/support/run_command.hpp"

#include <stdexcept>

namespace jtgw::test_support {

namespace {

std::vector<std::string> serve_argv(const std::filesystem::path& data, std::vector<std::string> args,
                                    const jira_sample_launch& how) {
  std::vector<std::string> argv{how.bin.empty() ? jira_sample_bin() : how.bin, "serve", "--data", data.string(), "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

}  // namespace

void generate_dataset(const std::filesystem::path& dir, std::int64_t issues, std::uint64_t seed) {
  const auto made = run({jira_sample_bin(), "generate", "--issues", std::to_string(issues), "--seed",
                         std::to_string(seed), "--out", dir.string()});
  if (made.exit_code != 0) throw std::runtime_error("jira-sample generate failed: " + made.err);
}

jira_sample_process::jira_sample_process(const std::filesystem::path& data, std::vector<std::string> args,
                                         const jira_sample_launch& how)
    : proc_(serve_argv(data, std::move(args), how), new_log_file("jira-sample-out"), new_log_file("jira-sample-err")) {
  port_ = static_cast<std::uint16_t>(std::stoi(
      wait_for_match(proc_.out(), std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"), &proc_, how.ready_limit)));
}

jira_sample_process::~jira_sample_process() { proc_.stop(); }

std::string jira_sample_process::output() const { return read_file(proc_.out()); }

}  // namespace jtgw::test_support
