#include "tests/support/secrets.hpp"

#include "tests/support/files.hpp"
#include "tests/support/log_files.hpp"

#include <filesystem>
#include <mutex>

namespace jtgw::test_support {

namespace {

std::mutex secrets_mutex;
std::set<std::string>& secrets() {
  static std::set<std::string> all;
  return all;
}

}  // namespace

void remember_secret(const std::string& secret) {
  std::lock_guard lock(secrets_mutex);
  secrets().insert(secret);
}

std::set<std::string> remembered_secrets() {
  std::lock_guard lock(secrets_mutex);
  return secrets();
}

std::vector<secret_sighting> secrets_in_logs(std::size_t& files) {
  const auto all = remembered_secrets();
  std::vector<secret_sighting> seen;
  files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(log_dir())) {
    const std::string text = read_file(entry.path());
    ++files;
    for (const auto& secret : all)
      if (text.find(secret) != std::string::npos) seen.push_back({entry.path().string(), secret.substr(0, 8)});
  }
  return seen;
}

}  // namespace jtgw::test_support
