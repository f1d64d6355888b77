#pragma once
// `jtgw store verify DIR` and `jtgw store restore BACKUP DIR`: offline, on directories.
#include <string>

namespace jtgw::admin {

/// Prints what verify_store() found; exit 0 when sound, 1 with the problems listed.
int verify_command(const std::string& dir);

/// Restores the backup as the store at `dir`; exit 0, or 1 with the reason (a running
/// jtgw holding `dir` is refused: stop it first).
int restore_command(const std::string& backup, const std::string& dir);

}  // namespace jtgw::admin
