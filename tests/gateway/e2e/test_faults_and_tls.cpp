// jtgw end to end when things go wrong or get encrypted: Jira down (502), Jira stalling
// (504), SIGTERM in the middle of a streaming response (it completes, then exit 0), and
// a TLS listener with a certificate made at test time, reloaded by SIGHUP.
#include "tests/gateway/e2e/raw_upstream.hpp"
#include "tests/support/certificate.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/curl_client.hpp"
#include "tests/support/expect_no_secrets.hpp"
#include "tests/support/files.hpp"
#include "tests/support/http_reply.hpp"
#include "tests/support/jtgw_process.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/ready_line.hpp"
#include "tests/support/shared_jira_sample.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/tokens.hpp"

#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <cstdint>
#include <sstream>
#include <utility>

using namespace jtgw::test_support;
using jtgw::e2e::raw_upstream;

namespace {

// A store with one token for alice, in `dir`.
std::string alice_store(const fs::path& dir) { return mint(dir / "store", user_named("alice").email); }

std::vector<std::string> alice_auth(const std::string& token) { return basic(user_named("alice").email, token); }

// alice downloading `total` bytes that the upstream sends in 64 KiB pieces `piece_delay`
// apart, through jtgw with a 60 s drain; curl saves them to dir/body. Under way when
// constructed: the upstream has sent its header and first piece.
struct streaming_download {
  streaming_download(const fs::path& dir, std::uint64_t total, std::chrono::milliseconds piece_delay)
      : body(dir / "body"),
        token(alice_store(dir)),
        upstream(raw_upstream::mode::slow_stream, total, piece_delay),
        gw(dir, {.jira_url = upstream.url(), .store = dir / "store", .extra = "[timeouts]\ndrain_ms = 60000\n"}),
        client(curl_argv(), dir / "curl.out", dir / "curl.err") {
    for (int i = 0; i < 3000 && !upstream.streaming(); ++i) std::this_thread::sleep_for(10ms);
    BOOST_TEST_REQUIRE(upstream.streaming());
  }

  // curl's "STATUS BYTES" once it has exited.
  std::pair<std::string, std::uint64_t> status_and_bytes() const {
    std::istringstream result(read_file(client.out()));
    std::pair<std::string, std::uint64_t> out;
    result >> out.first >> out.second;
    return out;
  }

  fs::path body;
  std::string token;
  raw_upstream upstream;
  gateway_process gw;
  child_process client;

 private:
  std::vector<std::string> curl_argv() const {
    std::vector<std::string> argv{"/usr/bin/curl", "-sS", "--max-time", "60", "-o", body.string(),
                                  "-w", "%{http_code} %{size_download}"};
    for (const auto& a : alice_auth(token)) argv.push_back(a);
    argv.push_back(gw.url("/rest/api/3/attachment/content/1"));
    return argv;
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(faults_and_tls)

BOOST_AUTO_TEST_CASE(upstream_down_is_502_and_not_ready) {
  temp_dir dir;
  const auto token = alice_store(dir.path());
  gateway_process gw(dir.path(), {.jira_url = "http://127.0.0.1:" + std::to_string(closed_port()),
                                  .store = dir.path() / "store"});
  const auto reply = curl(gw.url("/rest/api/3/myself"), alice_auth(token));
  BOOST_TEST(reply.status == 502);
  BOOST_TEST(error_code_of(reply) == "upstream_unreachable", reply.body);

  BOOST_TEST(curl(gw.url("/healthz")).status == 200);
  const auto ready = curl(gw.url("/readyz"));
  BOOST_TEST(ready.status == 503);
  BOOST_TEST(json_string(ready.body, "upstream") == "unreachable");
  BOOST_TEST(json_string(ready.body, "store") == "ok");

  gw.proc().send(SIGTERM);
  BOOST_TEST(gw.proc().wait_exit(60s).value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(upstream_stall_is_504) {
  temp_dir dir;
  const auto token = alice_store(dir.path());
  raw_upstream stalling(raw_upstream::mode::stall);
  gateway_process gw(dir.path(), {.jira_url = stalling.url(),
                                  .store = dir.path() / "store",
                                  .extra = "[timeouts]\nupstream_read_ms = 300\n"});
  const auto reply = curl(gw.url("/rest/api/3/myself"), alice_auth(token));
  BOOST_TEST(reply.status == 504);
  BOOST_TEST(error_code_of(reply) == "upstream_timeout", reply.body);
  gw.proc().send(SIGTERM);
  BOOST_TEST(gw.proc().wait_exit(60s).value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(sigterm_lets_a_streaming_response_finish) {
  temp_dir dir;
  constexpr std::uint64_t total = 8u << 20;  // 128 pieces of 64 KiB, 15 ms apart: ~2 s
  streaming_download download(dir.path(), total, 15ms);
  download.gw.proc().send(SIGTERM);

  const auto client_exit = download.client.wait_exit(90s);
  BOOST_TEST_REQUIRE(client_exit.has_value());
  BOOST_TEST(*client_exit == 0, read_file(download.client.err()));
  BOOST_TEST((download.status_and_bytes() == std::pair<std::string, std::uint64_t>("200", total)));
  BOOST_TEST(fs::file_size(download.body) == total);

  const auto code = download.gw.proc().wait_exit(90s);
  BOOST_TEST_REQUIRE(code.has_value());
  BOOST_TEST(*code == 0);
  BOOST_TEST(read_file(download.gw.proc().err()).find("SIGTERM: draining") != std::string::npos);
}

// A second SIGTERM (an operator out of patience) ends jtgw without waiting for the drain,
// with a response still streaming: exit 0 long before the stream could have ended, the
// client's transfer cut short. The sessions cut short are destroyed with the io_context,
// after the gateway; an ASan+UBSan build of jtgw runs this test clean.
BOOST_AUTO_TEST_CASE(a_second_sigterm_exits_without_waiting_for_the_drain) {
  temp_dir dir;
  constexpr std::uint64_t total = 64u << 20;  // 1,024 pieces of 64 KiB, 20 ms apart: ~20 s
  streaming_download download(dir.path(), total, 20ms);
  auto& jtgw = download.gw.proc();
  jtgw.send(SIGTERM);
  wait_for_match(jtgw.err(), std::regex("SIGTERM: draining"), &jtgw);
  jtgw.send(SIGTERM);

  const auto code = jtgw.wait_exit(60s);
  BOOST_TEST_REQUIRE(code.has_value());
  BOOST_TEST(*code == 0);
  BOOST_TEST(read_file(jtgw.err()).find("second stop signal") != std::string::npos);
  // Cut short: the drain (60 s) would have let all of it through.
  const auto client_exit = download.client.wait_exit(90s);
  BOOST_TEST_REQUIRE(client_exit.has_value());
  BOOST_TEST(*client_exit != 0);
  const auto [status, received] = download.status_and_bytes();
  BOOST_TEST(status == "200");
  BOOST_TEST(received < total);
}

BOOST_AUTO_TEST_CASE(tls_listener_and_certificate_reload) {
  temp_dir dir;
  const auto token = alice_store(dir.path());
  jira_sample jira;
  const fs::path certs = dir.path() / "certs";
  fs::create_directories(certs);
  make_certificate(certs, "server");
  fs::copy_file(certs / "server.crt", certs / "first.crt");

  const std::string listeners =
      "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\n"
      "tls_cert = \"" + (certs / "server.crt").string() + "\"\ntls_key = \"" + (certs / "server.key").string() + "\"\n";
  gateway_process gw(dir.path(), {.jira_url = jira.url(), .store = dir.path() / "store", .listeners = listeners});
  const std::string url = "https://127.0.0.1:" + std::to_string(gw.port()) + "/rest/api/3/myself";

  auto with_ca = [&](const fs::path& ca) {
    auto args = alice_auth(token);
    args.insert(args.end(), {"--cacert", ca.string()});
    return args;
  };
  const auto reply = curl(url, with_ca(certs / "first.crt"));
  BOOST_TEST(reply.status == 200, reply.body);
  BOOST_TEST(json_string(reply.body, "emailAddress") == user_named("alice").email);
  // TLS 1.2 is the floor.
  auto old_tls = with_ca(certs / "first.crt");
  old_tls.insert(old_tls.end(), {"--tlsv1.1", "--tls-max", "1.1"});
  BOOST_TEST(curl(url, old_tls).curl_exit != 0);

  // A renewed certificate at the same path, then SIGHUP: new connections get it.
  make_certificate(certs, "server");
  gw.proc().send(SIGHUP);
  wait_for_match(gw.proc().err(), std::regex("reload: TLS certificates re-read"), &gw.proc());
  BOOST_TEST(curl(url, with_ca(certs / "server.crt")).status == 200);
  BOOST_TEST(curl(url, with_ca(certs / "first.crt")).curl_exit == 60, "the old certificate is no longer served");

  gw.proc().send(SIGTERM);
  BOOST_TEST(gw.proc().wait_exit(60s).value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(no_token_in_any_log) { expect_no_secrets_in_logs(); }

BOOST_AUTO_TEST_SUITE_END()
