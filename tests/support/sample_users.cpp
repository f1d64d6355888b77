#include "tests/support/sample_users.hpp"

#include "tests/support/files.hpp"

#include <boost/json/parse.hpp>

namespace jtgw::test_support {

std::vector<sample_user> read_sample_users(const std::filesystem::path& dataset) {
  std::vector<sample_user> out;
  const auto json = boost::json::parse(read_file(dataset / "users.json"));
  for (const auto& u : json.as_array()) {
    const auto& o = u.as_object();
    sample_user user{std::string(o.at("email").as_string()), std::string(o.at("username").as_string()),
                     std::string(o.at("account_id").as_string()), std::string(o.at("api_token").as_string()),
                     std::string(o.at("pat").as_string()), {}};
    for (const auto& p : o.at("projects").as_array()) user.projects.emplace_back(p.as_string());
    out.push_back(std::move(user));
  }
  return out;
}

}  // namespace jtgw::test_support
