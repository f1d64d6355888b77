// The config contract: good files load with the documented defaults, and each bad file
// is refused with a config_error naming the file, the offending key and the problem.
#include "gateway/config/config.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

namespace fs = std::filesystem;
using jtgw::config::config_error;
using jtgw::config::gateway_config;
using jtgw::config::parse_config;

namespace {

// A minimal valid file in service mode; cases append to or replace parts of it.
const std::string listener = "[[listener]]\naddress = \"127.0.0.1\"\nport = 8080\n";
const std::string store = "[store]\npath = \"store\"\n";
const std::string jira_service =
    "[jira]\nurl = \"http://127.0.0.1:9000\"\nflavor = \"cloud\"\nauth = \"service\"\n"
    "service_username = \"svc\"\nservice_secret = \"s3cret-value\"\n";
const std::string jira_user =
    "[jira]\nurl = \"https://jira.example.com/\"\nflavor = \"datacenter\"\nauth = \"user\"\n";
const std::string seal = "[auth]\nseal_key_file = \"seal.key\"\n";

const fs::path config_file = "/etc/jtgw/jtgw.toml";

struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "jtgw-config-XXXXXX").string();
    BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~temp_dir() { fs::remove_all(path); }
};

void write_file(const fs::path& p, const std::string& text, mode_t mode) {
  std::ofstream(p) << text;
  ::chmod(p.c_str(), mode);
}

}  // namespace

namespace jtgw::config {
// Printable in failure messages.
std::ostream& operator<<(std::ostream& os, jira_flavor f) { return os << to_string(f); }
std::ostream& operator<<(std::ostream& os, upstream_auth a) { return os << to_string(a); }
}  // namespace jtgw::config

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(service_mode_with_defaults) {
  gateway_config c = parse_config(listener + store + jira_service, config_file);
  BOOST_TEST(c.listeners.size() == 1u);
  BOOST_TEST(c.listeners[0].address == "127.0.0.1");
  BOOST_TEST(c.listeners[0].port == 8080);
  BOOST_TEST(!c.listeners[0].tls());
  BOOST_TEST(c.store_path == fs::path("/etc/jtgw/store"));  // relative to the config file
  BOOST_TEST(c.jira.url == "http://127.0.0.1:9000");
  BOOST_TEST(c.jira.flavor == jtgw::config::jira_flavor::cloud);
  BOOST_TEST(c.jira.auth == jtgw::config::upstream_auth::service);
  BOOST_TEST(c.jira.service_username == "svc");
  BOOST_TEST(c.jira.service_secret == "s3cret-value");
  BOOST_TEST(c.threads >= 1u);
  BOOST_TEST(c.log_level == spdlog::level::info);
  BOOST_TEST(c.limits.header_bytes == 16u * 1024u);
  BOOST_TEST(c.limits.body_bytes == 1024u * 1024u);
  BOOST_TEST(c.timeouts.drain.count() == 30'000);
  BOOST_TEST(c.timeouts.upstream_read.count() == 60'000);
}

BOOST_AUTO_TEST_CASE(user_mode_everything_set) {
  const std::string text =
      "[[listener]]\naddress = \"0.0.0.0\"\nport = 443\ntls_cert = \"/tls/cert.pem\"\ntls_key = \"key.pem\"\n"
      "[[listener]]\naddress = \"::1\"\nport = 0\n" +
      store + jira_user + "ca_file = \"/etc/ssl/jira.pem\"\n" + seal +
      "[server]\nthreads = 3\n[log]\nlevel = \"debug\"\n"
      "[limits]\nheader_bytes = 8192\nbody_bytes = 0\nrequests_per_connection = 5\n"
      "[timeouts]\nhandshake_ms = 1\nread_ms = 2\nwrite_ms = 3\nidle_ms = 4\ndrain_ms = 0\n"
      "upstream_connect_ms = 6\nupstream_read_ms = 7\n";
  gateway_config c = parse_config(text, config_file);
  BOOST_TEST(c.listeners.size() == 2u);
  BOOST_TEST(c.listeners[0].tls());
  BOOST_TEST(c.listeners[0].tls_cert == fs::path("/tls/cert.pem"));
  BOOST_TEST(c.listeners[0].tls_key == fs::path("/etc/jtgw/key.pem"));
  BOOST_TEST(c.listeners[1].port == 0);
  BOOST_TEST(c.jira.url == "https://jira.example.com");  // trailing slash dropped
  BOOST_TEST(c.jira.flavor == jtgw::config::jira_flavor::datacenter);
  BOOST_TEST(c.jira.auth == jtgw::config::upstream_auth::user);
  BOOST_TEST(c.jira.ca_file == fs::path("/etc/ssl/jira.pem"));
  BOOST_TEST(c.seal_key_file == fs::path("/etc/jtgw/seal.key"));
  BOOST_TEST(c.threads == 3u);
  BOOST_TEST(c.log_level == spdlog::level::debug);
  BOOST_TEST(c.limits.header_bytes == 8192u);
  BOOST_TEST(c.limits.body_bytes == 0u);
  BOOST_TEST(c.limits.requests_per_connection == 5u);
  BOOST_TEST(c.timeouts.handshake.count() == 1);
  BOOST_TEST(c.timeouts.read.count() == 2);
  BOOST_TEST(c.timeouts.write.count() == 3);
  BOOST_TEST(c.timeouts.idle.count() == 4);
  BOOST_TEST(c.timeouts.drain.count() == 0);
  BOOST_TEST(c.timeouts.upstream_connect.count() == 6);
  BOOST_TEST(c.timeouts.upstream_read.count() == 7);
}

BOOST_AUTO_TEST_CASE(loopback_http_hosts_allowed) {
  for (std::string url : {"http://localhost:1", "http://LOCALHOST", "http://127.0.0.2:8", "http://[::1]:80/jira"}) {
    std::string jira = "[jira]\nurl = \"" + url + "\"\nflavor = \"cloud\"\nauth = \"service\"\n"
                       "service_username = \"svc\"\nservice_secret = \"x\"\n";
    BOOST_TEST_CONTEXT(url) { BOOST_CHECK_NO_THROW(parse_config(listener + store + jira, config_file)); }
  }
}

// Each bad file, the dotted key the message must name, and a word of the problem.
struct bad_case {
  std::string text;
  std::string key;
  std::string problem;
};

BOOST_AUTO_TEST_CASE(bad_configs_name_file_key_and_problem) {
  const std::string jira_head = "[jira]\nflavor = \"cloud\"\nauth = \"service\"\nservice_username = \"svc\"\nservice_secret = \"x\"\n";
  const bad_case cases[] = {
      {"", "listener", "required"},
      {store + jira_service, "listener", "required"},
      {"[listener]\naddress = \"127.0.0.1\"\nport = 1\n" + store + jira_service, "listener", "array of tables"},
      {listener + "[[listener]]\naddress = \"127.0.0.1\"\nport = 70000\n" + store + jira_service,
       "listener[1].port", "between 0 and 65535"},
      {listener + "[[listener]]\naddress = \"127.0.0.1\"\nport = -1\n" + store + jira_service,
       "listener[1].port", "between"},
      {"[[listener]]\naddress = \"127.0.0.1\"\nport = \"8080\"\n" + store + jira_service, "listener[0].port", "integer"},
      {"[[listener]]\naddress = \"127.0.0.1\"\n" + store + jira_service, "listener[0].port", "required"},
      {"[[listener]]\nport = 1\n" + store + jira_service, "listener[0].address", "required"},
      {"[[listener]]\naddress = \"example.com\"\nport = 1\n" + store + jira_service, "listener[0].address", "IPv4 or IPv6"},
      {"[[listener]]\naddress = \"127.0.0.1\"\nport = 1\ntls_cert = \"c.pem\"\n" + store + jira_service,
       "listener[0].tls_key", "required when tls_cert"},
      {"[[listener]]\naddress = \"127.0.0.1\"\nport = 1\ntls_key = \"k.pem\"\n" + store + jira_service,
       "listener[0].tls_cert", "required when tls_key"},
      {"[[listener]]\naddress = \"127.0.0.1\"\nport = 1\nhost = \"x\"\n" + store + jira_service, "listener[0].host", "unknown key"},
      {listener + store + jira_service + "[server]\nthreads = 0\n", "server.threads", "between 1"},
      {listener + store + jira_service + "[server]\nthreads = 2.5\n", "server.threads", "integer"},
      {listener + store + jira_service + "[server]\nworkers = 2\n", "server.workers", "unknown key"},
      {listener + jira_service, "store", "required"},
      {listener + "[store]\n" + jira_service, "store.path", "required"},
      {listener + "[store]\npath = 5\n" + jira_service, "store.path", "string"},
      {listener + store, "jira", "required"},
      {listener + store + jira_head, "jira.url", "required"},
      {listener + store + jira_head + "url = \"ftp://127.0.0.1\"\n", "jira.url", "http:// or https://"},
      {listener + store + jira_head + "url = \"not a url\"\n", "jira.url", "absolute URL"},
      {listener + store + jira_head + "url = \"http://jira.example.com\"\n", "jira.url", "loopback"},
      {listener + store + jira_head + "url = \"http://10.0.0.1\"\n", "jira.url", "loopback"},
      {listener + store + jira_head + "url = \"https://u:p@jira.example.com\"\n", "jira.url", "user name or password"},
      {listener + store + "[jira]\nurl = \"https://j.example\"\nflavor = \"server\"\nauth = \"user\"\n" + seal,
       "jira.flavor", "cloud, datacenter"},
      {listener + store + "[jira]\nurl = \"https://j.example\"\nauth = \"user\"\n" + seal, "jira.flavor", "required"},
      {listener + store + "[jira]\nurl = \"https://j.example\"\nflavor = \"cloud\"\nauth = \"basic\"\n" + seal,
       "jira.auth", "user, service"},
      {listener + store + "[jira]\nurl = \"https://j.example\"\nflavor = \"cloud\"\n" + seal, "jira.auth", "required"},
      {listener + store + "[jira]\nurl = \"https://j.example\"\nflavor = \"cloud\"\nauth = \"service\"\nservice_secret = \"x\"\n",
       "jira.service_username", "required when auth = \"service\""},
      {listener + store + "[jira]\nurl = \"https://j.example\"\nflavor = \"cloud\"\nauth = \"service\"\nservice_username = \"s\"\n",
       "jira.service_secret", "required when auth = \"service\""},
      {listener + store + jira_user + "service_username = \"svc\"\n" + seal, "jira.service_username", "only used"},
      {listener + store + jira_service + "service_secret_file = \"f\"\n", "jira.service_secret_file", "not both"},
      {listener + store + jira_service + "token = \"x\"\n", "jira.token", "unknown key"},
      {listener + store + jira_user, "auth.seal_key_file", "required when jira.auth = \"user\""},
      {listener + store + jira_service + "[auth]\nkey = \"k\"\n", "auth.key", "unknown key"},
      {listener + store + jira_service + "[log]\nlevel = \"verbose\"\n", "log.level", "trace, debug, info"},
      {listener + store + jira_service + "[log]\nfile = \"x\"\n", "log.file", "unknown key"},
      {listener + store + jira_service + "[limits]\nheader_bytes = 10\n", "limits.header_bytes", "between 1024"},
      {listener + store + jira_service + "[limits]\nbody = 10\n", "limits.body", "unknown key"},
      {listener + store + jira_service + "[timeouts]\nread_ms = 0\n", "timeouts.read_ms", "between 1"},
      {listener + store + jira_service + "[timeouts]\nupstream_read_ms = \"5s\"\n", "timeouts.upstream_read_ms", "integer"},
      {listener + store + jira_service + "[timeouts]\nread = 5\n", "timeouts.read", "unknown key"},
      {listener + store + jira_service + "[portal]\nenabled = true\n", "portal", "unknown key"},
      {"threads = 2\n" + listener + store + jira_service, "threads", "unknown key"},
      {listener + store + jira_service + "[log]\nlevel = \"info\"\n[log]\nlevel = \"debug\"\n", "", "cannot redefine"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT("expected key " << c.key << ", config:\n" << c.text) {
      try {
        parse_config(c.text, config_file);
        BOOST_ERROR("accepted a bad config");
      } catch (const config_error& e) {
        const std::string what = e.what();
        BOOST_TEST(e.key() == c.key);
        BOOST_TEST(e.file() == config_file.string());
        BOOST_TEST(what.find(config_file.string()) == 0u, "message starts with the file: " << what);
        BOOST_TEST(what.find(c.key) != std::string::npos, what);
        BOOST_TEST(what.find(c.problem) != std::string::npos, what);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(errors_point_at_the_line) {
  try {
    parse_config(listener + store + jira_service + "[server]\nthreads = 999\n", config_file);
    BOOST_ERROR("accepted threads = 999");
  } catch (const config_error& e) {
    // [[listener]] 3 lines, [store] 2, [jira] 6, then [server] and threads on line 13.
    BOOST_TEST(std::string(e.what()).find("/etc/jtgw/jtgw.toml:13:") == 0u, e.what());
  }
}

BOOST_AUTO_TEST_CASE(secret_never_in_messages) {
  // A wrong type next to the secret: the message names keys, never the secret's value.
  const std::string text = listener + store + jira_service + "[limits]\nbody_bytes = \"s3cret-value\"\n";
  try {
    parse_config(text, config_file);
    BOOST_ERROR("accepted a string body_bytes");
  } catch (const config_error& e) {
    BOOST_TEST(std::string(e.what()).find("s3cret-value") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(service_secret_from_a_file) {
  temp_dir dir;
  const fs::path file = dir.path / "jtgw.toml";
  const std::string jira =
      "[jira]\nurl = \"http://127.0.0.1:9000\"\nflavor = \"datacenter\"\nauth = \"service\"\n"
      "service_username = \"svc\"\nservice_secret_file = \"secret\"\n";
  write_file(file, listener + store + jira, 0600);

  write_file(dir.path / "secret", "from-a-file\n", 0600);
  BOOST_TEST(jtgw::config::load_config(file).jira.service_secret == "from-a-file");

  write_file(dir.path / "secret", "from-a-file\n", 0644);
  try {
    jtgw::config::load_config(file);
    BOOST_ERROR("accepted a world-readable secret file");
  } catch (const config_error& e) {
    BOOST_TEST(e.key() == "jira.service_secret_file");
    BOOST_TEST(std::string(e.what()).find("readable by others") != std::string::npos);
  }

  write_file(dir.path / "secret", "", 0600);
  BOOST_CHECK_THROW(jtgw::config::load_config(file), config_error);
  fs::remove(dir.path / "secret");
  BOOST_CHECK_THROW(jtgw::config::load_config(file), config_error);
}

BOOST_AUTO_TEST_CASE(missing_file_is_a_config_error) {
  try {
    jtgw::config::load_config("/nonexistent/jtgw.toml");
    BOOST_ERROR("loaded a missing file");
  } catch (const config_error& e) {
    BOOST_TEST(e.file() == "/nonexistent/jtgw.toml");
    BOOST_TEST(e.key().empty());
  }
}

BOOST_AUTO_TEST_CASE(restart_required_changes_lists_keys) {
  const gateway_config a = parse_config(listener + store + jira_service, config_file);
  BOOST_TEST(jtgw::config::restart_required_changes(a, a).empty());

  gateway_config b = a;
  b.log_level = spdlog::level::debug;  // reloadable
  b.listeners[0].tls_cert = "x";       // new certificate paths need new listeners
  b.listeners[0].tls_key = "y";
  b.jira.service_secret = "other";
  b.timeouts.read = std::chrono::milliseconds(1);
  const auto changed = jtgw::config::restart_required_changes(a, b);
  const std::vector<std::string> expected = {"listener", "jira.service_secret", "timeouts"};
  BOOST_TEST(changed == expected, boost::test_tools::per_element());
}

// [odata] include_custom_fields: off unless it says true; a boolean and nothing else;
// a change needs a restart (the catalog's generated columns are fixed at start-up).
BOOST_AUTO_TEST_CASE(odata_include_custom_fields) {
  const std::string base = listener + store + jira_service;
  BOOST_TEST(!parse_config(base, config_file).odata_custom_fields);
  BOOST_TEST(!parse_config(base + "[odata]\ncatalog = \"t.json\"\n", config_file).odata_custom_fields);
  BOOST_TEST(!parse_config(base + "[odata]\ninclude_custom_fields = false\n", config_file).odata_custom_fields);
  const gateway_config on = parse_config(base + "[odata]\ninclude_custom_fields = true\n", config_file);
  BOOST_TEST(on.odata_custom_fields);

  for (const char* bad : {"\"true\"", "1", "[]"}) {
    const std::string text = base + "[odata]\ninclude_custom_fields = " + bad + "\n";
    try {
      parse_config(text, config_file);
      BOOST_FAIL("accepted include_custom_fields = " << bad);
    } catch (const config_error& e) {
      BOOST_TEST(e.key() == "odata.include_custom_fields");
      BOOST_TEST(std::string(e.what()).find("true or false") != std::string::npos, e.what());
    }
  }

  const gateway_config off = parse_config(base, config_file);
  const auto changed = jtgw::config::restart_required_changes(off, on);
  const std::vector<std::string> expected = {"odata.include_custom_fields"};
  BOOST_TEST(changed == expected, boost::test_tools::per_element());
}

// [odata] completion_concurrency and search_concurrency: 4 unless set, 1-16, integers
// only; a change needs a restart.
BOOST_AUTO_TEST_CASE(odata_concurrency_limits) {
  const std::string base = listener + store + jira_service;
  const gateway_config defaults = parse_config(base, config_file);
  BOOST_TEST(defaults.odata_completion_concurrency == 4u);
  BOOST_TEST(defaults.odata_search_concurrency == 4u);
  for (const char* key : {"completion_concurrency", "search_concurrency"}) {
    BOOST_TEST_CONTEXT(key) {
      auto with = [&](const std::string& value) {
        return parse_config(base + "[odata]\n" + key + " = " + value + "\n", config_file);
      };
      const bool search = std::string_view(key) == "search_concurrency";
      for (unsigned n : {1u, 16u}) {
        const auto c = with(std::to_string(n));
        BOOST_TEST((search ? c.odata_search_concurrency : c.odata_completion_concurrency) == n);
        BOOST_TEST((search ? c.odata_completion_concurrency : c.odata_search_concurrency) == 4u);  // the other stays
        const auto changed = jtgw::config::restart_required_changes(defaults, c);
        const std::vector<std::string> expected = {std::string("odata.") + key};
        BOOST_TEST(changed == expected, boost::test_tools::per_element());
      }
      for (const char* bad : {"0", "17", "-1", "\"4\"", "2.5"}) {
        try {
          with(bad);
          BOOST_FAIL("accepted " << key << " = " << bad);
        } catch (const config_error& e) {
          BOOST_TEST(e.key() == std::string("odata.") + key);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
