#pragma once
// A child process for tests and benchmarks: argv[0] is a path (no PATH search), stdout
// and stderr go to files (not pipes: a child may log at any time, and a pipe nobody reads
// would block it or kill it with SIGPIPE). The child gets SIGKILL if the test process
// dies first (PR_SET_PDEATHSIG), so a crashed test leaves nothing running. Every wait is
// bounded. No Boost.Test here: failures are std::runtime_error, so benchmarks share it.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace jtgw::test_support {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class child_process {
 public:
  // Starts argv with stdout to `out` and stderr to `err` (both truncated; they may be the
  // same file). Throws std::runtime_error when the files or the process cannot be made.
  child_process(std::vector<std::string> argv, fs::path out, fs::path err);
  ~child_process();  // SIGKILL and reap if still running
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const { return pid_; }
  const fs::path& out() const { return out_; }
  const fs::path& err() const { return err_; }
  void send(int signal) const;
  // The exit status, waiting at most `limit`; nullopt if still running then. A child
  // killed by a signal gives 128 + signal.
  std::optional<int> wait_exit(std::chrono::milliseconds limit);
  bool exited() const { return exit_code_.has_value(); }
  // SIGTERM, then SIGKILL if it has not exited within `grace`; reaps it.
  void stop(std::chrono::milliseconds grace = 5s);

 private:
  pid_t pid_ = -1;
  fs::path out_;
  fs::path err_;
  std::optional<int> exit_code_;
};

}  // namespace jtgw::test_support
