#pragma once
// Tokens for tests, each remembered as a secret (tests/support/secrets.hpp).
#include <filesystem>
#include <string>
#include <vector>

namespace jtgw::test_support {

// mint-token --store STORE --user USER ARGS… (no jtgw may hold the store); the token.
// Throws when mint-token fails or prints no token.
std::string mint(const std::filesystem::path& store, const std::string& user,
                 const std::vector<std::string>& args = {});
// A fresh well-formed token that is in no store.
std::string unknown_token();

}  // namespace jtgw::test_support
