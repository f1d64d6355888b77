// Revocation takes effect on the very next request, on the same keep-alive connection.
//
// RocksDB lets one process hold a store, so the gateway runs inside this test process
// (the real jtgw composition, app::gateway, on its own io_context threads) sharing the
// store object the test revokes through — as the admin socket of a later issue will.
// The upstream is a real jira-sample process; the client a raw socket.
#include "auth/token_digest.hpp"
#include "gateway/app/gateway.hpp"
#include "storage/rocksdb_store.hpp"
#include "tests/support/base64.hpp"
#include "tests/support/http_reply.hpp"
#include "tests/support/jtgw_process.hpp"
#include "tests/support/raw_connection.hpp"
#include "tests/support/shared_jira_sample.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tokens.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <future>

using namespace jtgw::test_support;
namespace app = jtgw::app;
namespace storage = jtgw::storage;

namespace {

// The gateway on two threads of its own io_context; drained and stopped on destruction.
class in_process_gateway {
 public:
  in_process_gateway(const jtgw::config::gateway_config& config, storage::token_store& store)
      : work_(ioc_.get_executor()), gateway_(ioc_, config, store) {
    endpoints_ = gateway_.start();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  ~in_process_gateway() {
    std::promise<void> drained;
    boost::asio::co_spawn(ioc_, gateway_.drain(std::chrono::seconds(5)),
                          [&drained](std::exception_ptr) { drained.set_value(); });
    drained.get_future().wait();
    ioc_.stop();
    for (auto& t : threads_) t.join();
  }
  std::uint16_t port() const { return endpoints_.at(0).port(); }

 private:
  boost::asio::io_context ioc_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  app::gateway gateway_;
  std::vector<jtgw::tcp::endpoint> endpoints_;
  std::vector<std::thread> threads_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(revocation)

BOOST_AUTO_TEST_CASE(revoked_token_fails_on_the_same_keep_alive_connection) {
  temp_dir dir;
  jira_sample jira;
  const auto& alice = user_named("alice");
  const auto store_path = dir.path() / "store";
  const std::string token = mint(store_path, alice.email);  // before this process opens the store
  const std::string keep = mint(store_path, alice.email, {"--label", "kept"});

  auto store = storage::open_rocksdb_store({.path = store_path});
  BOOST_TEST_REQUIRE(store.has_value());
  const auto config = jtgw::config::parse_config(config_text({.jira_url = jira.url(), .store = store_path}),
                                                 dir.path() / "jtgw.toml");
  in_process_gateway gw(config, **store);

  raw_connection connection(gw.port());
  const std::string auth_line = "Authorization: Basic " + base64(alice.email + ":" + token) + "\r\n";
  const auto first = connection.get("/rest/api/3/myself", auth_line);
  BOOST_TEST(first.status == 200, first.body);
  BOOST_TEST(json_string(first.body, "emailAddress") == alice.email);

  const auto record = (*store)->find_by_digest(jtgw::auth::digest_of(token));
  BOOST_TEST_REQUIRE(record.has_value());
  BOOST_TEST_REQUIRE((*store)->revoke(record->id).has_value());

  const auto second = connection.get("/rest/api/3/myself", auth_line);
  BOOST_TEST(second.status == 401);
  BOOST_TEST(error_code_of(second) == "unknown_or_revoked", second.body);
  BOOST_TEST(second.header("WWW-Authenticate") == R"(Basic realm="jtgw", charset="UTF-8")");

  // The same connection goes on serving the user's other token.
  const auto third = connection.get("/rest/api/3/myself",
                                    "Authorization: Basic " + base64(alice.email + ":" + keep) + "\r\n");
  BOOST_TEST(third.status == 200, third.body);
}

BOOST_AUTO_TEST_SUITE_END()
