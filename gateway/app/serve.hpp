#pragma once
// `jtgw serve`: load the config, open the store, start listeners, run until a signal.
#include <filesystem>

namespace jtgw::app {

// Runs the gateway with the config at `config_file` until SIGTERM or SIGINT, then
// drains and returns exit_ok. A bad config prints the config_error and returns
// exit_usage; a failure to start (store, key file, listener) returns exit_failure.
int run_serve(const std::filesystem::path& config_file);

}  // namespace jtgw::app
