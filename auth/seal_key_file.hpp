#pragma once
// The key file behind sealing: created once, private to the service's user.

#include "auth/sealing.hpp"

#include <filesystem>

namespace jtgw::auth {

/// Start-up: reads the key file at `path`, or creates it with 32 random bytes and mode
/// 0600 if it does not exist (written to a private temporary file, then link()ed into
/// place, so concurrent starters never see a partial key and never overwrite one).
/// Throws std::runtime_error naming the path when: the file is not a regular file, its
/// permissions let group or others read or write it, it is not exactly 32 bytes, or any
/// system call fails (e.g. the directory does not exist).
seal_key load_or_create_seal_key(const std::filesystem::path& path);

}  // namespace jtgw::auth
