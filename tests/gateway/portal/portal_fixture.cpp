#include "tests/gateway/portal/portal_fixture.hpp"

#include "tests/support/binaries.hpp"
#include "tests/support/certificate.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/jtgw_process.hpp"
#include "tests/support/log_files.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/secrets.hpp"
#include "gateway/config/config.hpp"
#include "gateway/portal/token_rules.hpp"
#include "storage/rocksdb_store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <future>

namespace jtgw::portal::test {

namespace {

// Once per binary: the in-process gateway logs to a file the secret check reads.
void log_to_file() {
  static const bool done = [] {
    auto logger = std::make_shared<spdlog::logger>(
        "jtgw", std::make_shared<spdlog::sinks::basic_file_sink_mt>(new_log_file("portal-gateway").string()));
    logger->set_level(spdlog::level::debug);
    logger->flush_on(spdlog::level::debug);
    spdlog::set_default_logger(logger);
    return true;
  }();
  (void)done;
}

}  // namespace

const jira_sample& shared_jira() {
  static const jira_sample jira;
  return jira;
}

portal_gateway::portal_gateway(portal_options options) : work_(ioc_.get_executor()) {
  log_to_file();
  gateway_options o;
  o.jira_url = options.jira_url.empty() ? shared_jira().url() : options.jira_url;
  o.flavor = options.flavor;
  o.auth = "user";
  o.store = dir_.path() / "store";
  o.seal_key = dir_.path() / "seal.key";
  o.listeners = "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\n";
  if (options.tls) {
    make_certificate(dir_.path(), "portal");
    o.listeners += "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\ntls_cert = \"" +
                   (dir_.path() / "portal.crt").string() + "\"\ntls_key = \"" + (dir_.path() / "portal.key").string() +
                   "\"\n";
  }
  if (!options.legacy_tokens.empty()) {
    std::vector<std::string> argv{make_legacy_store_bin(), o.store.string()};
    argv.insert(argv.end(), options.legacy_tokens.begin(), options.legacy_tokens.end());
    const auto made = run(argv);
    BOOST_REQUIRE_MESSAGE(made.exit_code == 0, "make-legacy-store: " << made.err);
  }
  const auto config = config::parse_config(config_text(o), dir_.path() / "jtgw.toml");
  auto store = storage::open_rocksdb_store({.path = o.store});
  BOOST_REQUIRE_MESSAGE(store.has_value(), "cannot open the test store");
  store_ = std::move(*store);
  gateway_ = std::make_unique<app::gateway>(ioc_, config, *store_);
  endpoints_ = gateway_->start();
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

portal_gateway::~portal_gateway() {
  std::promise<void> drained;
  boost::asio::co_spawn(ioc_, gateway_->drain(std::chrono::seconds(5)),
                        [&drained](std::exception_ptr) { drained.set_value(); });
  drained.get_future().wait();
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) t.join();
  gateway_.reset();
}

std::string portal_gateway::url(const std::string& path, bool tls) const {
  const auto& endpoint = endpoints_.at(tls ? 1 : 0);
  return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(endpoint.port()) + path;
}

std::vector<std::string> portal_gateway::tls_args() const {
  return {"--cacert", (dir_.path() / "portal.crt").string()};
}

http_reply api(const portal_gateway& gw, const std::string& method, const std::string& path, call_options options) {
  std::vector<std::string> args{"-X", method};
  if (options.as != nullptr) {
    args.insert(args.end(), {"-H", "Cookie: " + options.as->cookie});
    if (options.csrf) args.insert(args.end(), {"-H", "X-CSRF-Token: " + options.as->csrf});
  }
  if (!options.json.empty()) {
    args.insert(args.end(), {"-H", "Content-Type: application/json", "--data-binary", options.json});
  }
  if (options.tls) {
    const auto tls = gw.tls_args();
    args.insert(args.end(), tls.begin(), tls.end());
  }
  args.insert(args.end(), options.curl_args.begin(), options.curl_args.end());
  return curl(gw.url(path, options.tls), args);
}

http_reply sign_in(const portal_gateway& gw, const std::string& username, const std::string& secret, bool tls) {
  remember_secret(secret);
  boost::json::object body{{"username", username}, {"secret", secret}};
  return api(gw, "POST", "/api/session", {.json = boost::json::serialize(body), .tls = tls});
}

session signed_in(const portal_gateway& gw, const std::string& username, const std::string& secret, bool tls) {
  const auto reply = sign_in(gw, username, secret, tls);
  BOOST_REQUIRE_MESSAGE(reply.status == 200, "sign-in of " << username << ": " << reply.status << " " << reply.body);
  const std::string set_cookie = reply.header("set-cookie");
  BOOST_REQUIRE(!set_cookie.empty());
  session s{set_cookie.substr(0, set_cookie.find(';')), json_string(reply.body, "csrf_token")};
  BOOST_REQUIRE(!s.csrf.empty());
  return s;
}

http_reply create_token(const portal_gateway& gw, const session& who, const std::string& label,
                        const std::string& expires) {
  boost::json::object body{{"label", label}};
  body["expires"] = expires.empty() ? boost::json::value(nullptr) : boost::json::value(expires);
  auto reply = api(gw, "POST", "/api/tokens", {.as = &who, .json = boost::json::serialize(body)});
  if (reply.status == 201) remember_secret(json_string(reply.body, "token"));
  return reply;
}

boost::json::value json_of(const http_reply& reply) {
  boost::system::error_code ec;
  auto value = boost::json::parse(reply.body, ec);
  BOOST_REQUIRE_MESSAGE(!ec, "not JSON: " << reply.body);
  return value;
}

std::string utc_date(int days_from_today) {
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return format_date(today + std::chrono::days{days_from_today});
}

}  // namespace jtgw::portal::test
