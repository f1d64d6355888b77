#include "gateway/app/cli.hpp"

#include "gateway/admin/admin_commands.hpp"
#include "gateway/app/serve.hpp"
#include "gateway/config/config.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#ifndef JTGW_VERSION
#define JTGW_VERSION "unknown"
#endif

namespace jtgw::app {

int run_cli(int argc, char** argv) {
  CLI::App app{"jtgw: the gateway that lets Tableau read Jira, one access token per user"};
  app.require_subcommand(1);

  std::string serve_config;
  auto* serve = app.add_subcommand("serve", "Run the gateway until SIGTERM/SIGINT (SIGHUP reloads TLS and log level)");
  serve->add_option("-c,--config", serve_config, "The TOML config file")->required();

  std::string check_file;
  auto* check = app.add_subcommand("check-config", "Validate a config file: prints OK, or the problem and exits 2");
  check->add_option("file", check_file, "The TOML config file")->required();

  auto* version = app.add_subcommand("version", "Print jtgw's version");
  // tokens, policy, audit, backup (admin socket) and store verify/restore (owner: admin).
  const admin::admin_commands admin_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }

  if (auto code = admin_commands.run()) return *code;
  if (*version) {
    std::cout << "jtgw " << JTGW_VERSION << "\n";
    return exit_ok;
  }
  if (*check) {
    try {
      config::load_config(check_file);
    } catch (const config::config_error& e) {
      std::cerr << e.what() << "\n";
      return exit_usage;
    }
    std::cout << "OK\n";
    return exit_ok;
  }
  return run_serve(serve_config);
}

}  // namespace jtgw::app
