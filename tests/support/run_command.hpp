#pragma once
// Running a command to completion, its output captured.
#include <chrono>
#include <string>
#include <vector>

namespace jtgw::test_support {

struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv (argv[0] a path) to completion. Throws std::runtime_error if it has not
// finished within `limit` (it is killed then).
run_result run(const std::vector<std::string>& argv, std::chrono::seconds limit = std::chrono::seconds(60));

}  // namespace jtgw::test_support
