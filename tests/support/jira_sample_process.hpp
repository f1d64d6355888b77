#pragma once
// A real jira-sample for tests: `jira-sample generate` into a directory, and `jira-sample
// serve` as a child process on 127.0.0.1 port 0 (output under log_dir()), stopped by its
// pid on destruction.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace jtgw::test_support {

// Runs `jira-sample generate --issues N --seed S --out DIR`; throws when it fails.
void generate_dataset(const std::filesystem::path& dir, std::int64_t issues, std::uint64_t seed);

// How to start it. Benchmarks name their own binary and wait longer: serving a large
// dataset pre-renders every issue before the "listening on" line.
struct jira_sample_launch {
  std::string bin;  // "" for the jira-sample this build made
  std::chrono::milliseconds ready_limit = std::chrono::minutes(1);
};

class jira_sample_process {
 public:
  // Starts `jira-sample serve --data DATA --listen 127.0.0.1:0 ARGS…` (e.g. --latency-ms N,
  // --access-log, --rate-limit N) and waits (at most `how.ready_limit`) for its "listening
  // on" line; throws if it does not come.
  jira_sample_process(const std::filesystem::path& data, std::vector<std::string> args = {},
                      const jira_sample_launch& how = {});
  ~jira_sample_process();  // SIGTERM, then SIGKILL after a grace period

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::uint16_t port() const { return port_; }
  // Everything it wrote to stdout (with --access-log: one JSON line per request).
  std::string output() const;
  pid_t pid() const { return proc_.pid(); }
  child_process& proc() { return proc_; }

 private:
  child_process proc_;
  std::uint16_t port_ = 0;
};

}  // namespace jtgw::test_support
