#pragma once
// The admin commands of `jtgw` (CLI11): tokens, policy, audit and backup talk to a
// running jtgw over its admin socket; `store verify` and `store restore` work offline on
// store directories. None creates a token.
//
// The socket is --socket PATH, else --config FILE's [admin] socket, else the default
// (/run/jtgw/admin.sock). Output is a table for people or --json for scripts; failures
// print one plain sentence to stderr and exit non-zero.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace jtgw::admin {

class admin_commands {
 public:
  /// Adds the subcommands to `app` (which must outlive this object).
  explicit admin_commands(CLI::App& app);

  /// After app.parse(): the chosen admin command's exit code (0 done, 1 failed, 2 bad
  /// input such as an unreadable --config), or nullopt when none of them was chosen.
  std::optional<int> run() const;

 private:
  // Options shared by every socket command.
  struct connection {
    std::string socket;
    std::string config;
  };
  void add_connection_options(CLI::App* command);

  connection connection_;
  bool json_ = false;
  std::string user_;
  std::string token_id_;
  unsigned policy_days_ = 0;
  std::string since_;
  std::string until_;
  std::string kind_;
  std::size_t limit_ = 1000;
  std::string directory_;
  std::string backup_;

  CLI::App* tokens_list_ = nullptr;
  CLI::App* tokens_revoke_ = nullptr;
  CLI::App* tokens_revoke_user_ = nullptr;
  CLI::App* policy_show_ = nullptr;
  CLI::App* policy_set_ = nullptr;
  CLI::App* policy_clear_ = nullptr;
  CLI::App* audit_ = nullptr;
  CLI::App* backup_command_ = nullptr;
  CLI::App* store_verify_ = nullptr;
  CLI::App* store_restore_ = nullptr;
};

/// The admin socket named by `config_file`'s [admin] socket (relative paths resolve
/// against the file's directory), or the default when the file has none. Reads only
/// the [admin] table, so an admin need not be able to read the secrets the rest of the
/// config names. Throws std::runtime_error naming the file when it cannot be read or
/// parsed, or the key is not a string.
std::filesystem::path socket_from_config(const std::filesystem::path& config_file);

}  // namespace jtgw::admin
