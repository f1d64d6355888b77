#include "tests/support/log_files.hpp"

#include "tests/support/temp_dir.hpp"

#include <atomic>

namespace jtgw::test_support {

namespace {

std::filesystem::path new_file_in(const std::filesystem::path& dir, const std::string& stem) {
  static std::atomic<int> counter{0};
  return dir / (stem + "-" + std::to_string(++counter) + ".log");
}

const std::filesystem::path& scratch_dir() {
  static temp_dir dir("jtgw-scratch");
  return dir.path();
}

}  // namespace

const std::filesystem::path& log_dir() {
  static temp_dir dir("jtgw-logs");
  return dir.path();
}

std::filesystem::path new_log_file(const std::string& stem) { return new_file_in(log_dir(), stem); }
std::filesystem::path new_scratch_file(const std::string& stem) { return new_file_in(scratch_dir(), stem); }

}  // namespace jtgw::test_support
