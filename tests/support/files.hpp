#pragma once
// Whole-file reads and writes for tests.
#include <filesystem>
#include <string>

namespace jtgw::test_support {

// The whole content of `file` ("" when it cannot be read: a log not yet created).
std::string read_file(const std::filesystem::path& file);
// Replaces `file` with `text`; throws std::runtime_error when it cannot be written.
void write_file(const std::filesystem::path& file, const std::string& text);

}  // namespace jtgw::test_support
