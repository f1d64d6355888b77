// TLS listeners: protocol floor (1.1 refused, 1.2 and 1.3 accepted), certificate reload
// for new connections while old ones keep working, and a bad reload keeping the old one.
#include "tests/gateway/http/support.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

using namespace jtgw;
using namespace jtgw::http;
using namespace jtgw::http::test;

namespace {

std::string s_client(const tcp::endpoint& ep, const std::string& options) {
  return "openssl s_client -connect 127.0.0.1:" + std::to_string(ep.port()) + " " + options +
         " </dev/null 2>&1";
}

// SHA-256 fingerprint of the certificate a fresh TLS connection is served.
std::string served_fingerprint(const tcp::endpoint& ep) {
  auto got = run_command(s_client(ep, "-servername localhost") +
                         " | openssl x509 -noout -fingerprint -sha256 2>&1");
  return got.output;
}

std::string file_fingerprint(const std::string& cert) {
  return run_command("openssl x509 -noout -fingerprint -sha256 -in " + cert + " 2>&1").output;
}

}  // namespace

BOOST_AUTO_TEST_CASE(tls_1_1_refused_and_1_2_and_1_3_accepted) {
  temp_dir dir;
  const auto cert = make_self_signed(dir.path(), "server");
  test_server srv(target_handler());
  const auto ep = srv.listen(cert.cert, cert.key);

  // SECLEVEL=0 lets the *client* offer TLS 1.1 (OpenSSL 3 refuses by default), so a
  // failure here is the server's refusal, not the client's.
  auto old = run_command(s_client(ep, "-tls1_1 -cipher DEFAULT:@SECLEVEL=0"));
  BOOST_TEST_INFO(old.output);
  BOOST_TEST(old.exit_code != 0);
  BOOST_TEST(old.output.find("no protocols available") == std::string::npos);
  // The server answers the 1.1 ClientHello with a protocol_version alert.
  BOOST_TEST(old.output.find("alert protocol version") != std::string::npos);

  auto curl11 = run_command(curl_base() + "-k --tlsv1.1 --tls-max 1.1 --ciphers DEFAULT:@SECLEVEL=0 -o /dev/null " +
                            url_of(ep, true, "/"));
  BOOST_TEST(curl11.exit_code != 0);

  // "New, TLSv1.x" is printed once the handshake completes. The session block
  // ("Protocol  : …") is not reliable for TLS 1.3: s_client may reach EOF on stdin and
  // exit before the server's session ticket arrives.
  auto tls12 = run_command(s_client(ep, "-tls1_2"));
  BOOST_TEST_INFO(tls12.output);
  BOOST_TEST(tls12.output.find("New, TLSv1.2,") != std::string::npos);
  auto tls13 = run_command(s_client(ep, "-tls1_3"));
  BOOST_TEST_INFO(tls13.output);
  BOOST_TEST(tls13.output.find("New, TLSv1.3,") != std::string::npos);

  auto curl12 = run_command(curl_base() + "-k --tlsv1.2 --tls-max 1.2 " + url_of(ep, true, "/twelve"));
  BOOST_TEST(curl12.exit_code == 0);
  BOOST_TEST(curl12.output == "GET /twelve");
}

BOOST_AUTO_TEST_CASE(failed_handshake_does_not_stop_the_listener) {
  temp_dir dir;
  const auto cert = make_self_signed(dir.path(), "server");
  server_limits limits;
  limits.handshake_timeout = 300ms;
  test_server srv(target_handler(), limits);
  const auto ep = srv.listen(cert.cert, cert.key);
  // Plain HTTP to a TLS port, and a client that never starts the handshake.
  read_result plain, silent;
  run_client([&]() -> net::awaitable<void> {
    plain = co_await send_raw(ep, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    auto socket = co_await connect_to(ep);
    beast::flat_buffer buffer;
    silent = co_await read_until_closed(socket, buffer, 20s);
  });
  BOOST_TEST(plain.closed);
  BOOST_TEST(silent.closed);
  BOOST_TEST(!silent.timed_out);
  auto ok = run_command(curl_base() + "-k " + url_of(ep, true, "/after"));
  BOOST_TEST(ok.output == "GET /after");
}

BOOST_AUTO_TEST_CASE(reload_swaps_certificate_for_new_connections_only) {
  temp_dir dir;
  const auto first = make_self_signed(dir.path(), "first");
  const auto second = make_self_signed(dir.path(), "second");
  const std::string cert = (dir.path() / "live.crt").string();
  const std::string key = (dir.path() / "live.key").string();
  std::filesystem::copy_file(first.cert, cert);
  std::filesystem::copy_file(first.key, key);

  test_server srv(target_handler());
  const auto ep = srv.listen(cert, key);
  BOOST_TEST(served_fingerprint(ep) == file_fingerprint(first.cert));

  net::io_context client_ioc;
  net::ssl::context client_ctx(net::ssl::context::tls_client);
  client_ctx.set_verify_mode(net::ssl::verify_none);  // self-signed; identity via fingerprints
  net::ssl::stream<tcp::socket> old_connection(client_ioc, client_ctx);
  old_connection.next_layer().connect(ep);
  old_connection.handshake(net::ssl::stream_base::client);
  auto request_on_old = [&](const std::string& path) {
    net::write(old_connection, net::buffer("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    beast::flat_buffer buffer;
    string_response res;
    beast::http::read(old_connection, buffer, res);
    return res;
  };
  BOOST_TEST(request_on_old("/before").body() == "GET /before");

  std::filesystem::copy_file(second.cert, cert, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(second.key, key, std::filesystem::copy_options::overwrite_existing);
  BOOST_TEST(!srv.get().reload_tls());
  BOOST_TEST(served_fingerprint(ep) == file_fingerprint(second.cert));
  // The connection made before the reload keeps its session and keeps working.
  BOOST_TEST(request_on_old("/after").body() == "GET /after");

  // A broken key file: reload fails, the current certificate stays in service.
  { std::ofstream(key, std::ios::trunc) << "not a key\n"; }
  BOOST_TEST(static_cast<bool>(srv.get().reload_tls()));
  BOOST_TEST(served_fingerprint(ep) == file_fingerprint(second.cert));
  // A key that does not match the certificate fails too.
  std::filesystem::copy_file(first.key, key, std::filesystem::copy_options::overwrite_existing);
  BOOST_TEST(static_cast<bool>(srv.get().reload_tls()));
  BOOST_TEST(served_fingerprint(ep) == file_fingerprint(second.cert));
  BOOST_TEST(request_on_old("/still").body() == "GET /still");
}

BOOST_AUTO_TEST_CASE(listen_reports_bad_tls_files_and_half_configured_tls) {
  temp_dir dir;
  net::io_context ioc;
  server srv(ioc, target_handler(), {});
  listener_config missing{"127.0.0.1", 0, (dir.path() / "none.crt").string(), (dir.path() / "none.key").string()};
  BOOST_TEST(!srv.listen(missing).has_value());
  listener_config half{"127.0.0.1", 0, (dir.path() / "x.crt").string(), ""};
  BOOST_TEST(!srv.listen(half).has_value());
  listener_config bad_address{"not-an-address", 0, "", ""};
  BOOST_TEST(!srv.listen(bad_address).has_value());
}
