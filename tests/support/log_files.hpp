#pragma once
// Where the processes a test binary starts write their output. Logs go under log_dir(),
// which expect_no_secrets_in_logs() scans; captures of command output (mint-token prints
// tokens, curl bodies) go to a scratch directory kept apart from it. Both are removed
// when the binary exits.
#include <filesystem>
#include <string>

namespace jtgw::test_support {

const std::filesystem::path& log_dir();
// A fresh file name under log_dir(): "<stem>-<n>.log".
std::filesystem::path new_log_file(const std::string& stem);
// A fresh file name in the scratch directory (not scanned for secrets).
std::filesystem::path new_scratch_file(const std::string& stem);

}  // namespace jtgw::test_support
