#pragma once
// The jira-sample world most end-to-end tests share: one small dataset per test binary,
// served with an access log and the service credential jtgw's service mode uses.
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/jira_sample_process.hpp"
#include "tests/support/sample_users.hpp"

namespace jtgw::test_support {

inline constexpr const char* service_user = "jtgw-service";
inline constexpr const char* service_secret = "svc-secret-for-tests";

// One dataset per test binary (generated on first use, 40 issues, fixed seed).
const std::filesystem::path& dataset_dir();
const std::vector<sample_user>& sample_users();
// Throws std::runtime_error when the dataset has no such user.
const sample_user& user_named(const std::string& username);

// `jira-sample serve` over dataset_dir() with --access-log, the service credential above
// and `extra_args`.
class jira_sample : public jira_sample_process {
 public:
  explicit jira_sample(std::vector<std::string> extra_args = {});
};

}  // namespace jtgw::test_support
