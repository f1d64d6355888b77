#pragma once
#include <filesystem>
#include <string>

namespace jtgw::test_support {

// A self-signed certificate for 127.0.0.1 and localhost (openssl CLI): DIR/NAME.crt and
// DIR/NAME.key. Throws when openssl fails.
void make_certificate(const std::filesystem::path& dir, const std::string& name);

}  // namespace jtgw::test_support
