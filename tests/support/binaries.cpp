#include "tests/support/binaries.hpp"

namespace jtgw::test_support {

std::string jtgw_bin() { return JTGW_BIN; }
std::string jira_sample_bin() { return JIRA_SAMPLE_BIN; }
std::string mint_token_bin() { return MINT_TOKEN_BIN; }
std::string make_legacy_store_bin() { return MAKE_LEGACY_STORE_BIN; }

}  // namespace jtgw::test_support
