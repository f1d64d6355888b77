#pragma once
// A real jira-sample for tests: a generated dataset in a temp dir and a `jira-sample
// serve` child process on 127.0.0.1 port 0, stopped (by its pid) on destruction.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

namespace jtgw::jira::test {

// A directory under /tmp, removed with everything in it on destruction.
class scratch_dir {
 public:
  scratch_dir();
  ~scratch_dir();
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `jira-sample generate --issues N --seed S --out DIR`; BOOST_REQUIREs success.
void generate_dataset(const std::filesystem::path& dir, std::int64_t issues, std::uint64_t seed);

// The parsed DIR/<name> (a JSON array file), or the JSON lines of a .jsonl file as an array.
boost::json::value read_dataset_file(const std::filesystem::path& dir, const std::string& name);

class sample_server {
 public:
  // Starts `jira-sample serve --data DIR --listen 127.0.0.1:0 ARGS...` and waits for its
  // "listening on" line (BOOST_REQUIRE: it must come within a minute).
  sample_server(const std::filesystem::path& data, std::vector<std::string> args = {});
  ~sample_server();  // SIGTERM, then SIGKILL after a grace period; reaps the child
  sample_server(const sample_server&) = delete;
  sample_server& operator=(const sample_server&) = delete;

  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"
  // Everything the child wrote (with --access-log: one JSON line per request).
  std::string output() const;
  std::uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
  std::string url_;
  std::uint16_t port_ = 0;
};

// A loopback port nothing listens on (bound, then closed): "Jira is down".
std::uint16_t closed_port();

}  // namespace jtgw::jira::test
