#pragma once
// Secrets a test used (tokens, passwords, Basic values), remembered so that a test can
// check no log under log_dir() ever held one (tests/support/expect_no_secrets.hpp).
#include <set>
#include <string>
#include <vector>

namespace jtgw::test_support {

void remember_secret(const std::string& secret);
std::set<std::string> remembered_secrets();

struct secret_sighting {
  std::string file;
  std::string secret_prefix;  // the first 8 characters, enough to tell which one
};
// Every (log file, remembered secret) where the file holds the secret; `files` counts
// the files read.
std::vector<secret_sighting> secrets_in_logs(std::size_t& files);

}  // namespace jtgw::test_support
