#pragma once
// The programs under test, by path (CMake passes them; the targets are built first).
#include <string>

namespace jtgw::test_support {

std::string jtgw_bin();
std::string jira_sample_bin();
std::string mint_token_bin();
std::string make_legacy_store_bin();

}  // namespace jtgw::test_support
