#pragma once
// A fresh directory under /tmp (mkdtemp), removed with everything in it on destruction.
#include <filesystem>
#include <string>

namespace jtgw::test_support {

namespace fs = std::filesystem;

class temp_dir {
 public:
  // Throws std::runtime_error when the directory cannot be made.
  explicit temp_dir(const std::string& prefix = "jtgw-test");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace jtgw::test_support
