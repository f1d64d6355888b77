#include "gateway/app/serve.hpp"

#include "gateway/app/cli.hpp"
#include "gateway/config/config.hpp"

#include <iostream>

namespace jtgw::app {

int run_serve(const std::filesystem::path& config_file) {
  try {
    config::load_config(config_file);
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return exit_usage;
  }
  std::cerr << "jtgw serve: the gateway is not assembled yet\n";
  return exit_failure;
}

}  // namespace jtgw::app
