#pragma once
// Child processes for tests and benchmarks: started with posix_spawn, their stdout and
// stderr appended to a log file (not a pipe: a child may log at any time, and a pipe
// nobody reads would block it or kill it with SIGPIPE). No Boost.Test here, so the
// benchmarks share it.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace jtgw::jira::test {

// Starts argv[0] with argv; throws std::runtime_error when it cannot be started.
pid_t spawn_logged(const std::vector<std::string>& argv, const std::filesystem::path& log);

// The whole content of `path` ("" when it cannot be read).
std::string file_text(const std::filesystem::path& path);

// Waits until `log` holds `marker` followed by a line end and returns the rest of that
// line; throws std::runtime_error after `limit` (a hang guard).
std::string wait_for_line(const std::filesystem::path& log, const std::string& marker, std::chrono::seconds limit);

// SIGTERM, then SIGKILL after about five seconds; reaps the child.
void stop_child(pid_t pid);

}  // namespace jtgw::jira::test
