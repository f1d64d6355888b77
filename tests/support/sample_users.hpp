#pragma once
// The users of a jira-sample dataset (its users.json: the dataset's truth).
#include <filesystem>
#include <string>
#include <vector>

namespace jtgw::test_support {

struct sample_user {
  std::string email;
  std::string username;
  std::string account_id;
  std::string api_token;  // Cloud: Basic email:api_token
  std::string pat;        // Data Center: Bearer
  std::vector<std::string> projects;
};

// DIR/users.json; throws when it cannot be read or lacks a member.
std::vector<sample_user> read_sample_users(const std::filesystem::path& dataset);

}  // namespace jtgw::test_support
