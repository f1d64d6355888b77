#include "gateway/app/serve.hpp"

#include "gateway/admin/admin_server.hpp"
#include "gateway/app/cli.hpp"
#include "gateway/app/gateway.hpp"
#include "gateway/config/config.hpp"
#include "gateway/http/access_log.hpp"
#include "storage/rocksdb_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

namespace jtgw::app {

namespace {

constexpr std::chrono::seconds access_log_flush_interval{1};
constexpr std::size_t access_log_buffer_bytes = 64 * 1024;

// Diagnostics go to stderr; stdout carries the access log (one JSON line per request).
void set_up_logging(spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>("jtgw", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z jtgw[%P] %l: %v");
  logger->set_level(level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  // stdout carries nothing before the access log: a 64 KiB buffer makes one write(2) per
  // ~200 lines instead of one per 4 KiB block.
  // glibc ignores the size unless it is also given the buffer.
  static std::array<char, access_log_buffer_bytes> access_log_buffer;
  std::setvbuf(stdout, access_log_buffer.data(), _IOFBF, access_log_buffer.size());
  // The access log is buffered (one write per few KiB, not per request); this bounds how
  // long a line waits. run_serve flushes the rest on the way out.
  spdlog::flush_every(access_log_flush_interval);
}

// One thread: Asio need not lock each socket's reactor state on every operation (about
// six lock/unlock pairs per proxied request). Safe because with threads == 1 every
// socket and timer of this io_context is used only on the thread that runs it: sessions,
// the upstream pool, the signal_set and the drain all run as its handlers, and
// gw.start() runs on that thread before run(). The other threads never touch them: the
// admin socket has its own io_context, spdlog's flusher writes stdio only, and
// async_resolve's private thread posts its completions through the scheduler, whose
// locking UNSAFE_IO keeps (as it keeps the reactor's registration and timer locking).
// More threads: Asio's default locking.
int concurrency_hint(unsigned threads) {
  return threads == 1 ? BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO : static_cast<int>(threads);
}

// SIGHUP: what can change without a restart changes; the rest is reported.
void reload(gateway& gw, const config::gateway_config& running) {
  config::gateway_config fresh;
  try {
    fresh = config::load_config(running.file);
  } catch (const config::config_error& e) {
    spdlog::error("reload: {}; keeping the running configuration", e.what());
    return;
  }
  spdlog::default_logger()->set_level(fresh.log_level);
  if (auto ec = gw.reload_tls()) {
    spdlog::error("reload: TLS certificates not reloaded, the old ones stay in use: {}", ec.message());
  } else {
    spdlog::info("reload: TLS certificates re-read, log level {}",
                 spdlog::level::to_string_view(fresh.log_level));
  }
  for (const auto& key : config::restart_required_changes(running, fresh)) {
    spdlog::warn("reload: {} changed; it takes effect after a restart", key);
  }
}

class signal_handler {
 public:
  signal_handler(net::io_context& ioc, gateway& gw, const config::gateway_config& config)
      : ioc_(ioc), gw_(gw), config_(config), signals_(ioc, SIGINT, SIGTERM, SIGHUP) {
    wait();
  }

 private:
  void wait() {
    signals_.async_wait([this](const error_code& ec, int signal) {
      if (ec) return;  // operation_aborted: the signal set is going away
      if (signal == SIGHUP) {
        reload(gw_, config_);
      } else if (!draining_) {
        draining_ = true;
        spdlog::info("{}: draining (up to {} ms), then exiting", signal == SIGTERM ? "SIGTERM" : "SIGINT",
                     config_.timeouts.drain.count());
        net::co_spawn(ioc_, gw_.drain(config_.timeouts.drain), [this](std::exception_ptr) {
          spdlog::info("drained; stopped");
          ioc_.stop();
        });
      } else {
        spdlog::warn("second stop signal: exiting without waiting for the drain");
        ioc_.stop();
        return;
      }
      wait();
    });
  }

  net::io_context& ioc_;
  gateway& gw_;
  const config::gateway_config& config_;
  net::signal_set signals_;
  bool draining_ = false;
};

}  // namespace

int run_serve(const std::filesystem::path& config_file) {
  config::gateway_config config;
  try {
    config = config::load_config(config_file);
  } catch (const config::config_error& e) {
    std::cerr << e.what() << "\n";
    return exit_usage;
  }
  set_up_logging(config.log_level);

  auto store = storage::open_rocksdb_store({.path = config.store_path});
  if (!store) {
    spdlog::critical("cannot open the token store: {}", store.error().message);
    return exit_failure;
  }
  try {
    net::io_context ioc(concurrency_hint(config.threads));
    gateway gw(ioc, config, **store);
    gw.start();
    // The admin socket (owner: admin) runs on its own thread until this scope ends.
    const auto admin_socket = admin::start_admin_socket(config.admin.socket, config.admin.socket_configured,
                                                        config.admin.socket_mode, **store);
    signal_handler signals(ioc, gw, config);
    spdlog::info("jtgw serving: jira {} ({}, auth = {}), {} thread(s)", config.jira.url,
                 config::to_string(config.jira.flavor), config::to_string(config.jira.auth), config.threads);

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < config.threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}", e.what());
    http::flush_access_log();
    return exit_failure;
  }
  // After the drain: every request's line is out before the process exits.
  http::flush_access_log();
  return exit_ok;
}

}  // namespace jtgw::app
