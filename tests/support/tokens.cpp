#include "tests/support/tokens.hpp"

#include "auth/token_format.hpp"
#include "tests/support/binaries.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/secrets.hpp"

#include <stdexcept>

namespace jtgw::test_support {

std::string mint(const std::filesystem::path& store, const std::string& user, const std::vector<std::string>& args) {
  std::vector<std::string> argv{mint_token_bin(), "--store", store.string(), "--user", user};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto minted = run(argv);
  if (minted.exit_code != 0) throw std::runtime_error("mint-token failed: " + minted.err);
  std::string token = minted.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.rfind("jtgw_", 0) != 0) throw std::runtime_error("mint-token printed no token: " + token);
  remember_secret(token);
  return token;
}

std::string unknown_token() {
  std::string token = auth::generate_token();
  remember_secret(token);
  return token;
}

}  // namespace jtgw::test_support
