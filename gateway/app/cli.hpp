#pragma once
// The `jtgw` command line: serve, check-config, version (CLI11, --help everywhere).
namespace jtgw::app {

// Exit codes, so scripts and systemd can tell a bad config from a failed start.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // could not start or run (store locked, port taken, …)
inline constexpr int exit_usage = 2;    // bad command line or bad config file

// Parses argv and runs the chosen command; returns the process exit code.
int run_cli(int argc, char** argv);

}  // namespace jtgw::app
