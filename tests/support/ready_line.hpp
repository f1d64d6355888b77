#pragma once
// Waiting for a child's readiness line ("listening on …") in its log file, bounded.
#include <chrono>
#include <filesystem>
#include <regex>
#include <string>

#include "tests/support/child_process.hpp"

namespace jtgw::test_support {

// Waits until `file` holds a match of `pattern` and returns its first sub-match (or the
// whole match without one). Throws std::runtime_error after `limit`, or at once when
// `proc` (if given) exits first; the message carries what the file and stderr held.
std::string wait_for_match(const std::filesystem::path& file, const std::regex& pattern, child_process* proc,
                           std::chrono::milliseconds limit = std::chrono::seconds(60));

}  // namespace jtgw::test_support
