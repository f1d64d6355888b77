#include "tests/support/temp_dir.hpp"

#include <unistd.h>

#include <stdexcept>

namespace jtgw::test_support {

temp_dir::temp_dir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace jtgw::test_support
