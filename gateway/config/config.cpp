#include "gateway/config/config.hpp"

#include "gateway/config/config_reader.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

namespace jtgw::config {

namespace {

using detail::table_reader;

constexpr std::int64_t max_timeout_ms = 24 * 3600 * 1000;  // a day: anything longer is a typo
constexpr std::size_t max_secret_bytes = 4096;

bool is_loopback_host(const boost::urls::url_view& url) {
  switch (url.host_type()) {
    case boost::urls::host_type::ipv4: return url.host_ipv4_address().to_bytes()[0] == 127;
    case boost::urls::host_type::ipv6: return url.host_ipv6_address().is_loopback();
    case boost::urls::host_type::name: {
      std::string host = url.host();
      std::transform(host.begin(), host.end(), host.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return host == "localhost";
    }
    default: return false;
  }
}

std::string read_url(const table_reader& jira) {
  std::string text = jira.required_string("url");
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed) jira.fail("url", "is not an absolute URL (" + parsed.error().message() + ")");
  const auto& url = *parsed;
  if (url.scheme_id() != boost::urls::scheme::http && url.scheme_id() != boost::urls::scheme::https) {
    jira.fail("url", "must start with http:// or https://");
  }
  if (url.host().empty()) jira.fail("url", "has no host");
  // Credentials in the URL would end up in logs and process listings.
  if (url.has_userinfo()) jira.fail("url", "must not contain a user name or password");
  if (url.has_query() || url.has_fragment()) jira.fail("url", "must not have a query or fragment");
  // Plain HTTP would send every user's Jira credential in the clear.
  if (url.scheme_id() == boost::urls::scheme::http && !is_loopback_host(url)) {
    jira.fail("url", "http:// is allowed only to a loopback host (127.0.0.0/8, ::1, localhost); use https://");
  }
  // One spelling of the base URL: the relay appends "/rest/...".
  while (text.back() == '/') text.pop_back();
  return text;
}

// service_secret_file: the first line of the file, so the secret need not sit in the config.
std::string read_secret_file(const table_reader& jira, const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) jira.fail("service_secret_file", "cannot read " + file.string());
  if ((st.st_mode & S_IROTH) != 0) {
    jira.fail("service_secret_file", file.string() + " is readable by others (chmod o-rwx)");
  }
  std::ifstream in(file, std::ios::binary);
  std::string secret;
  if (!in || !std::getline(in, secret)) jira.fail("service_secret_file", "cannot read " + file.string());
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) jira.fail("service_secret_file", file.string() + " is empty");
  if (secret.size() > max_secret_bytes) jira.fail("service_secret_file", "the secret is over 4 KiB");
  return secret;
}

listener_config read_listener(const toml::table& table, std::size_t index,
                              const std::filesystem::path& file) {
  table_reader r(table, "listener[" + std::to_string(index) + "]", file,
                 {"address", "port", "tls_cert", "tls_key"});
  listener_config out;
  out.address = r.required_string("address");
  boost::system::error_code ec;
  boost::asio::ip::make_address(out.address, ec);
  if (ec) r.fail("address", "must be an IPv4 or IPv6 address (got \"" + out.address + "\")");
  auto port = r.integer("port", 0, 65535);
  if (!port) r.fail("port", "is required");
  out.port = static_cast<std::uint16_t>(*port);
  out.tls_cert = r.path("tls_cert");
  out.tls_key = r.path("tls_key");
  if (!out.tls_cert.empty() && out.tls_key.empty()) r.fail("tls_key", "is required when tls_cert is set");
  if (out.tls_cert.empty() && !out.tls_key.empty()) r.fail("tls_cert", "is required when tls_key is set");
  return out;
}

void read_jira(const table_reader& root, gateway_config& out) {
  const toml::table* table = root.table("jira");
  if (!table) root.fail("jira", "is required ([jira] with url, flavor and auth)");
  table_reader r(*table, "jira", out.file,
                 {"url", "flavor", "auth", "service_username", "service_secret",
                  "service_secret_file", "ca_file"});
  auto& jira = out.jira;
  jira.url = read_url(r);
  auto flavor = r.choice("flavor", {"cloud", "datacenter"});
  if (!flavor) r.fail("flavor", "is required (cloud or datacenter)");
  jira.flavor = *flavor == 0 ? jira_flavor::cloud : jira_flavor::datacenter;
  auto auth = r.choice("auth", {"user", "service"});
  if (!auth) r.fail("auth", "is required (user or service)");
  jira.auth = *auth == 0 ? upstream_auth::user : upstream_auth::service;

  jira.service_username = r.string("service_username").value_or("");
  auto secret = r.string("service_secret").value_or("");
  auto secret_file = r.path("service_secret_file");
  if (!secret.empty() && !secret_file.empty()) {
    r.fail("service_secret_file", "set either service_secret or service_secret_file, not both");
  }
  if (jira.auth == upstream_auth::service) {
    if (jira.service_username.empty()) r.fail("service_username", "is required when auth = \"service\"");
    if (secret.empty() && secret_file.empty()) {
      r.fail("service_secret", "is required when auth = \"service\" (or service_secret_file)");
    }
    if (secret.size() > max_secret_bytes) r.fail("service_secret", "is over 4 KiB");
    jira.service_secret = secret_file.empty() ? secret : read_secret_file(r, secret_file);
  } else {
    // A service credential next to auth = "user" is a half-done switch; say so.
    if (!jira.service_username.empty()) r.fail("service_username", "is only used with auth = \"service\"");
    if (!secret.empty()) r.fail("service_secret", "is only used with auth = \"service\"");
    if (!secret_file.empty()) r.fail("service_secret_file", "is only used with auth = \"service\"");
  }
  jira.ca_file = r.path("ca_file");
}

std::chrono::milliseconds read_ms(const table_reader& r, std::string_view key,
                                  std::chrono::milliseconds fallback, std::int64_t min = 1) {
  auto value = r.integer(key, min, max_timeout_ms);
  return value ? std::chrono::milliseconds(*value) : fallback;
}

void read_limits_and_timeouts(const table_reader& root, gateway_config& out) {
  if (const toml::table* table = root.table("limits")) {
    table_reader r(*table, "limits", out.file, {"header_bytes", "body_bytes", "requests_per_connection"});
    auto& l = out.limits;
    l.header_bytes = static_cast<std::uint32_t>(r.integer("header_bytes", 1024, 1 << 20).value_or(l.header_bytes));
    l.body_bytes = static_cast<std::uint64_t>(
        r.integer("body_bytes", 0, std::int64_t{1} << 30).value_or(static_cast<std::int64_t>(l.body_bytes)));
    l.requests_per_connection = static_cast<std::uint32_t>(
        r.integer("requests_per_connection", 1, 1'000'000).value_or(l.requests_per_connection));
  }
  if (const toml::table* table = root.table("timeouts")) {
    table_reader r(*table, "timeouts", out.file,
                   {"handshake_ms", "read_ms", "write_ms", "idle_ms", "drain_ms",
                    "upstream_connect_ms", "upstream_read_ms"});
    auto& t = out.timeouts;
    t.handshake = read_ms(r, "handshake_ms", t.handshake);
    t.read = read_ms(r, "read_ms", t.read);
    t.write = read_ms(r, "write_ms", t.write);
    t.idle = read_ms(r, "idle_ms", t.idle);
    t.drain = read_ms(r, "drain_ms", t.drain, 0);
    t.upstream_connect = read_ms(r, "upstream_connect_ms", t.upstream_connect);
    t.upstream_read = read_ms(r, "upstream_read_ms", t.upstream_read);
  }
}

gateway_config read_root(const toml::table& root_table, const std::filesystem::path& file) {
  gateway_config out;
  out.file = file;
  table_reader root(root_table, "", file,
                    {"listener", "server", "store", "jira", "auth", "log", "limits", "timeouts", "odata",
                     "admin"});

  auto listeners = root.table_array("listener");
  if (listeners.empty()) root.fail("listener", "is required (at least one [[listener]])");
  for (std::size_t i = 0; i < listeners.size(); ++i) out.listeners.push_back(read_listener(*listeners[i], i, file));

  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  out.threads = cores;
  if (const toml::table* table = root.table("server")) {
    table_reader r(*table, "server", file, {"threads"});
    out.threads = static_cast<unsigned>(r.integer("threads", 1, 256).value_or(cores));
  }

  const toml::table* store = root.table("store");
  if (!store) root.fail("store", "is required ([store] with path)");
  table_reader store_reader(*store, "store", file, {"path"});
  out.store_path = store_reader.path("path");
  if (out.store_path.empty()) store_reader.fail("path", "is required");

  read_jira(root, out);

  if (const toml::table* table = root.table("auth")) {
    table_reader r(*table, "auth", file, {"seal_key_file"});
    out.seal_key_file = r.path("seal_key_file");
  }
  if (out.jira.auth == upstream_auth::user && out.seal_key_file.empty()) {
    throw config_error(file.string(), "auth.seal_key_file",
                       "is required when jira.auth = \"user\" (the key that seals users' Jira credentials)");
  }

  if (const toml::table* table = root.table("log")) {
    table_reader r(*table, "log", file, {"level"});
    if (auto level = r.choice("level", {"trace", "debug", "info", "warn", "error", "critical", "off"})) {
      out.log_level = static_cast<spdlog::level::level_enum>(*level);
    }
  }
  static_assert(spdlog::level::trace == 0 && spdlog::level::off == 6,
                "the level names above follow spdlog's order");

  read_limits_and_timeouts(root, out);

  // [odata] (owner: datalayer): the table catalog (empty = the shipped one) and how many
  // per-issue requests one export may keep in flight completing truncated lists, and
  // (Cloud) detail searches by id.
  if (const toml::table* table = root.table("odata")) {
    table_reader r(*table, "odata", file, {"catalog", "include_custom_fields", "completion_concurrency", "search_concurrency"});
    out.odata_catalog = r.path("catalog");
    out.odata_custom_fields = r.boolean("include_custom_fields").value_or(false);
    if (auto n = r.integer("completion_concurrency", 1, 16)) out.odata_completion_concurrency = unsigned(*n);
    if (auto n = r.integer("search_concurrency", 1, 16)) out.odata_search_concurrency = unsigned(*n);
  }

  // [admin] (owner: admin): socket path and mode, e.g. socket_mode = 0o660.
  if (const toml::table* table = root.table("admin")) {
    table_reader r(*table, "admin", file, {"socket", "socket_mode"});
    if (auto socket = r.path("socket"); !socket.empty()) {
      out.admin.socket = socket;
      out.admin.socket_configured = true;
    }
    out.admin.socket_mode = static_cast<unsigned>(r.integer("socket_mode", 0, 0777).value_or(out.admin.socket_mode));
  }
  return out;
}

}  // namespace

config_error::config_error(std::string file, std::string key, std::string problem, std::string where)
    : std::runtime_error(file + (where.empty() ? "" : ":" + where) + ": " +
                         (key.empty() ? "" : key + ": ") + problem),
      file_(std::move(file)),
      key_(std::move(key)),
      problem_(std::move(problem)) {}

std::string_view to_string(jira_flavor flavor) noexcept {
  return flavor == jira_flavor::cloud ? "cloud" : "datacenter";
}

std::string_view to_string(upstream_auth auth) noexcept {
  return auth == upstream_auth::user ? "user" : "service";
}

gateway_config parse_config(std::string_view text, const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    throw config_error(file.string(), "", std::string(e.description()), detail::position(e.source()));
  }
  return read_root(root, file);
}

gateway_config load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw config_error(file.string(), "", "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw config_error(file.string(), "", "cannot read the file");
  return parse_config(text.str(), file);
}

std::vector<std::string> restart_required_changes(const gateway_config& a, const gateway_config& b) {
  std::vector<std::string> out;
  auto check = [&](bool changed, std::string key) {
    if (changed) out.push_back(std::move(key));
  };
  // Listeners need new sockets; SIGHUP re-reads the certificate files at the same
  // paths (a renewal overwrites them in place), so new paths need a restart too.
  bool listeners_changed = a.listeners.size() != b.listeners.size();
  for (std::size_t i = 0; !listeners_changed && i < a.listeners.size(); ++i) {
    const auto& x = a.listeners[i];
    const auto& y = b.listeners[i];
    listeners_changed = x.address != y.address || x.port != y.port || x.tls_cert != y.tls_cert ||
                        x.tls_key != y.tls_key;
  }
  check(listeners_changed, "listener");
  check(a.threads != b.threads, "server.threads");
  check(a.store_path != b.store_path, "store.path");
  check(a.jira.url != b.jira.url, "jira.url");
  check(a.jira.flavor != b.jira.flavor, "jira.flavor");
  check(a.jira.auth != b.jira.auth, "jira.auth");
  check(a.jira.service_username != b.jira.service_username, "jira.service_username");
  check(a.jira.service_secret != b.jira.service_secret, "jira.service_secret");
  check(a.jira.ca_file != b.jira.ca_file, "jira.ca_file");
  check(a.seal_key_file != b.seal_key_file, "auth.seal_key_file");
  check(a.odata_catalog != b.odata_catalog, "odata.catalog");
  check(a.odata_custom_fields != b.odata_custom_fields, "odata.include_custom_fields");
  check(a.odata_completion_concurrency != b.odata_completion_concurrency, "odata.completion_concurrency");
  check(a.odata_search_concurrency != b.odata_search_concurrency, "odata.search_concurrency");
  check(a.admin.socket != b.admin.socket || a.admin.socket_mode != b.admin.socket_mode, "admin");
  check(a.limits.header_bytes != b.limits.header_bytes || a.limits.body_bytes != b.limits.body_bytes ||
            a.limits.requests_per_connection != b.limits.requests_per_connection,
        "limits");
  const auto& s = a.timeouts;
  const auto& t = b.timeouts;
  check(s.handshake != t.handshake || s.read != t.read || s.write != t.write || s.idle != t.idle ||
            s.drain != t.drain || s.upstream_connect != t.upstream_connect ||
            s.upstream_read != t.upstream_read,
        "timeouts");
  return out;
}

}  // namespace jtgw::config
