// TLS upstreams: the chain must lead to a trusted CA (system CAs plus ca_file) and the
// certificate must name the host of the base URL; SNI is sent.
#include "tests/gateway/proxy/relay_support.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

namespace {

using namespace jtgw;
using namespace jtgw::proxy;
using namespace jtgw::proxy::test;

// A TLS peer serving `leaf`, and a gateway trusting `ca_file` and dialling `host`.
struct tls_setup {
  tls_setup(const cert_files& leaf, const std::string& ca_file, const std::string& host) : peer(jira_peer()) {
    const auto endpoint = peer.listen(leaf.cert, leaf.key);
    upstream_config config;
    config.base_url = "https://" + host + ":" + std::to_string(endpoint.port());
    config.ca_file = ca_file;
    gateway.emplace(std::move(config), user_plan());
  }
  test_server peer;
  std::optional<relay_gateway> gateway;
};

struct certificates {
  certificates()
      : ca(make_ca(dir.path(), "jtgw-test-ca")),
        other_ca(make_ca(dir.path(), "untrusted-ca")),
        localhost(make_leaf(dir.path(), ca, "localhost", "localhost")),
        other_name(make_leaf(dir.path(), ca, "other", "other.example")),
        untrusted(make_leaf(dir.path(), other_ca, "untrusted", "localhost")) {}
  temp_dir dir;
  test_ca ca;
  test_ca other_ca;
  cert_files localhost;
  cert_files other_name;
  cert_files untrusted;
};

BOOST_AUTO_TEST_CASE(a_verified_tls_upstream_relays) {
  certificates certs;
  tls_setup setup(certs.localhost, certs.ca.cert, "localhost");
  const auto reply = curl("", setup.gateway->url("/rest/api/3/myself"));
  BOOST_TEST(reply.status == 200u);
  const auto sent = echoed_headers(reply.body);
  BOOST_TEST(sent.at("host").front().rfind("localhost:", 0) == 0u);
  // A second request rides the pooled TLS connection.
  BOOST_TEST(curl("", setup.gateway->url("/rest/api/3/myself")).status == 200u);
  BOOST_TEST(setup.gateway->pool().connections_opened() == 1u);
}

BOOST_AUTO_TEST_CASE(a_certificate_for_another_host_gets_502) {
  certificates certs;
  tls_setup setup(certs.other_name, certs.ca.cert, "localhost");
  const auto reply = curl("", setup.gateway->url("/rest/api/3/myself"));
  BOOST_TEST(reply.status == 502u);
  BOOST_TEST(boost::json::parse(reply.body).as_object().at("error").as_string() == "upstream_unreachable");
}

BOOST_AUTO_TEST_CASE(an_untrusted_ca_gets_502) {
  certificates certs;
  tls_setup without_ca_file(certs.localhost, "", "localhost");
  BOOST_TEST(curl("", without_ca_file.gateway->url("/rest/api/3/myself")).status == 502u);
  tls_setup wrong_ca(certs.untrusted, certs.ca.cert, "localhost");
  BOOST_TEST(curl("", wrong_ca.gateway->url("/rest/api/3/myself")).status == 502u);
}

BOOST_AUTO_TEST_CASE(bad_upstream_urls_are_refused_at_start_up) {
  net::io_context ioc;
  BOOST_CHECK_THROW(upstream_pool(ioc.get_executor(), {.base_url = "ftp://jira.example"}), std::invalid_argument);
  BOOST_CHECK_THROW(upstream_pool(ioc.get_executor(), {.base_url = "not a url"}), std::invalid_argument);
  BOOST_CHECK_THROW(upstream_pool(ioc.get_executor(), {.base_url = "https://jira.example", .ca_file = "/nonexistent"}),
                    std::exception);
  upstream_pool pool(ioc.get_executor(), {.base_url = "https://jira.example:8443/jira/"});
  BOOST_TEST(pool.host_header() == "jira.example:8443");
  BOOST_TEST(pool.base_path() == "/jira");
  upstream_pool plain(ioc.get_executor(), {.base_url = "http://[::1]:80"});
  BOOST_TEST(plain.host_header() == "[::1]");
  BOOST_TEST(plain.base_path() == "");
}

}  // namespace
