#include "tests/support/jtgw_process.hpp"

#include "tests/support/binaries.hpp"
#include "tests/support/files.hpp"
#include "tests/support/log_files.hpp"
#include "tests/support/ready_line.hpp"
#include "tests/support/secrets.hpp"
#include "tests/support/shared_jira_sample.hpp"

#include <stdexcept>

namespace jtgw::test_support {

std::string config_text(const gateway_options& o) {
  std::string text = o.listeners.empty() ? "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\n" : o.listeners;
  text += "[server]\nthreads = " + std::to_string(o.threads) + "\n";
  text += "[store]\npath = \"" + o.store.string() + "\"\n";
  text += "[jira]\nurl = \"" + o.jira_url + "\"\nflavor = \"" + o.flavor + "\"\nauth = \"" + o.auth + "\"\n";
  if (o.auth == "service") {
    text += std::string("service_username = \"") + service_user + "\"\nservice_secret = \"" + service_secret + "\"\n";
  }
  if (!o.seal_key.empty()) text += "[auth]\nseal_key_file = \"" + o.seal_key.string() + "\"\n";
  // debug: the more jtgw logs, the more a leaked secret would show.
  text += "[log]\nlevel = \"debug\"\n";
  text += o.extra;
  return text;
}

gateway_process::gateway_process(const std::filesystem::path& dir, const gateway_options& options)
    : config_(dir / "jtgw.toml"),
      proc_(
          [&] {
            write_file(config_, config_text(options));
            return std::vector<std::string>{jtgw_bin(), "serve", "--config", config_.string()};
          }(),
          new_log_file("jtgw-out"), new_log_file("jtgw-err")) {
  remember_secret(service_secret);
  wait_for_match(proc_.err(), std::regex("jtgw serving"), &proc_);
  const std::string log = read_file(proc_.err());
  const std::regex listening(R"(listening on 127\.0\.0\.1:(\d+))");
  for (std::sregex_iterator it(log.begin(), log.end(), listening), end; it != end; ++it) {
    ports_.push_back(static_cast<std::uint16_t>(std::stoi((*it)[1].str())));
  }
  if (ports_.empty()) throw std::runtime_error("jtgw serves but logged no listener: " + log);
}

std::string gateway_process::url(const std::string& path, std::size_t listener) const {
  return "http://127.0.0.1:" + std::to_string(ports_.at(listener)) + path;
}

}  // namespace jtgw::test_support
