#include "tests/support/shared_jira_sample.hpp"

#include "tests/support/temp_dir.hpp"

#include <stdexcept>

namespace jtgw::test_support {

namespace {

std::vector<std::string> shared_args(std::vector<std::string> extra_args) {
  std::vector<std::string> args{"--access-log", "--service-credential",
                                std::string(service_user) + ":" + service_secret};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return args;
}

}  // namespace

const std::filesystem::path& dataset_dir() {
  static temp_dir dir("jtgw-dataset");
  static const std::filesystem::path data = [] {
    const auto out = dir.path() / "data";
    generate_dataset(out, 40, 11);
    return out;
  }();
  return data;
}

const std::vector<sample_user>& sample_users() {
  static const std::vector<sample_user> users = read_sample_users(dataset_dir());
  return users;
}

const sample_user& user_named(const std::string& username) {
  for (const auto& u : sample_users())
    if (u.username == username) return u;
  throw std::runtime_error("no sample user " + username);
}

jira_sample::jira_sample(std::vector<std::string> extra_args)
    : jira_sample_process(dataset_dir(), shared_args(std::move(extra_args))) {}

}  // namespace jtgw::test_support
