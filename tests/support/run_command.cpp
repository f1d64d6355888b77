#include "tests/support/run_command.hpp"

#include "tests/support/child_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/log_files.hpp"

#include <stdexcept>

namespace jtgw::test_support {

run_result run(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  child_process p(argv, new_scratch_file("out"), new_scratch_file("err"));
  const auto code = p.wait_exit(limit);
  if (!code)
    throw std::runtime_error(argv.at(0) + " did not finish within " + std::to_string(limit.count()) + " s");
  run_result result{*code, read_file(p.out()), read_file(p.err())};
  fs::remove(p.out());
  fs::remove(p.err());
  return result;
}

}  // namespace jtgw::test_support
