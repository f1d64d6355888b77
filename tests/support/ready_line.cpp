#include "tests/support/ready_line.hpp"

#include "tests/support/files.hpp"

#include <stdexcept>
#include <thread>

namespace jtgw::test_support {

std::string wait_for_match(const std::filesystem::path& file, const std::regex& pattern, child_process* proc,
                           std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const std::string text = read_file(file);
    std::smatch match;
    if (std::regex_search(text, match, pattern)) return match.size() > 1 ? match[1].str() : match[0].str();
    if (proc != nullptr && proc->wait_exit(0ms)) {
      throw std::runtime_error("process exited (" + std::to_string(*proc->wait_exit(0ms)) +
                               ") before writing the expected line to " + file.string() + ":\n" + text + "\n" +
                               (proc->err() == file ? std::string() : read_file(proc->err())));
    }
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error("the expected line did not appear in " + file.string() + ":\n" + text);
    std::this_thread::sleep_for(20ms);
  }
}

}  // namespace jtgw::test_support
