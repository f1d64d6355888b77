#include "tests/support/files.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace jtgw::test_support {

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.good()) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace jtgw::test_support
