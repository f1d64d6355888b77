#pragma once
// A real `jtgw serve` for tests: its config written from a few options, the process on
// 127.0.0.1 port 0 (output under log_dir()), its bound ports read from its log.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/child_process.hpp"

namespace jtgw::test_support {

// The [jira] + [store] part of a config, and the rest with defaults tests like.
struct gateway_options {
  std::string jira_url;
  std::string flavor = "cloud";
  std::string auth = "service";       // "service" uses tests/support/shared_jira_sample.hpp's credential; "user" needs seal_key
  std::filesystem::path store;
  std::filesystem::path seal_key;
  std::string listeners;              // [[listener]] tables; default: one plain on port 0
  std::string extra;                  // more TOML appended at the end
  unsigned threads = 2;               // [server] threads (1 runs Asio without per-socket locks)
};
std::string config_text(const gateway_options& options);

// `jtgw serve --config DIR/jtgw.toml`; waits (bounded) for "jtgw serving" and reads the
// ports of its listeners. Throws if it exits or does not get there in time. SIGKILLed on
// destruction unless a test stopped it.
class gateway_process {
 public:
  gateway_process(const std::filesystem::path& dir, const gateway_options& options);
  const std::vector<std::uint16_t>& ports() const { return ports_; }
  std::uint16_t port() const { return ports_.at(0); }
  std::string url(const std::string& path, std::size_t listener = 0) const;
  child_process& proc() { return proc_; }
  const std::filesystem::path& config_file() const { return config_; }

 private:
  std::filesystem::path config_;
  child_process proc_;
  std::vector<std::uint16_t> ports_;
};

}  // namespace jtgw::test_support
