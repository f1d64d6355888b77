#pragma once
// jtgw's configuration: one TOML file, read at start-up and on SIGHUP.
//
// The key names are a contract with admins and scripts (issue 4), so the file is read
// strictly: an unknown key, a wrong type or a value out of range is a config_error that
// names the file, the key as a dotted path ("listener[1].port") and the problem.
// Relative paths in the file are taken relative to the file's own directory, so a
// config next to its store and certificates works from any working directory.
#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace jtgw::config {

// A bad configuration. what() is "FILE[:LINE:COL]: KEY: PROBLEM", ready to print.
class config_error : public std::runtime_error {
 public:
  config_error(std::string file, std::string key, std::string problem, std::string where = {});
  const std::string& file() const noexcept { return file_; }
  const std::string& key() const noexcept { return key_; }  // "" when the file as a whole is bad
  const std::string& problem() const noexcept { return problem_; }

 private:
  std::string file_;
  std::string key_;
  std::string problem_;
};

// [[listener]]: one bound address; TLS when both tls_cert and tls_key are set.
struct listener_config {
  std::string address;
  std::uint16_t port = 0;  // 0 = any free port (tests); the bound port is logged
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  bool tls() const noexcept { return !tls_cert.empty(); }
};

enum class jira_flavor { cloud, datacenter };
// How jtgw authenticates to Jira: as the user (their sealed credential) or with one
// service credential acting for the user named in X-Forwarded-User.
enum class upstream_auth { user, service };

std::string_view to_string(jira_flavor flavor) noexcept;
std::string_view to_string(upstream_auth auth) noexcept;

struct jira_config {
  std::string url;  // http(s)://host[:port][/path]; http only to a loopback host
  jira_flavor flavor = jira_flavor::cloud;
  upstream_auth auth = upstream_auth::user;
  std::string service_username;
  // A secret: never logged, never printed. From service_secret or service_secret_file.
  std::string service_secret;
  std::filesystem::path ca_file;  // extra CA bundle; empty = system CAs only
};

// [limits]: sizes and counts, mapped onto http::server_limits and the upstream pool.
struct limits_config {
  std::uint32_t header_bytes = 16 * 1024;
  std::uint64_t body_bytes = 1024 * 1024;
  std::uint32_t requests_per_connection = 10'000;
};

// [timeouts]: every wait jtgw does is bounded by one of these.
struct timeouts_config {
  std::chrono::milliseconds handshake{10'000};
  std::chrono::milliseconds read{30'000};           // one request header or body
  std::chrono::milliseconds write{60'000};          // one write step of a response
  std::chrono::milliseconds idle{60'000};           // keep-alive wait for the next request
  std::chrono::milliseconds drain{30'000};          // SIGTERM: in-flight requests finish within it
  std::chrono::milliseconds upstream_connect{5'000};  // TCP connect + TLS handshake to Jira
  std::chrono::milliseconds upstream_read{60'000};  // each read from Jira, the first byte included
};

// [admin] (owner: admin): the admin API's unix socket; its permissions are the admin
// check. The socket is created with socket_mode (owner and group: jtgw's user and group).
struct admin_config {
  static constexpr const char* default_socket = "/run/jtgw/admin.sock";
  std::filesystem::path socket = default_socket;
  bool socket_configured = false;  // false: the default; a missing /run/jtgw then only warns
  unsigned socket_mode = 0660;
};

struct gateway_config {
  std::filesystem::path file;  // where it was read from (for reload and messages)
  std::vector<listener_config> listeners;
  unsigned threads = 1;        // default: the number of cores
  std::filesystem::path store_path;
  jira_config jira;
  std::filesystem::path seal_key_file;  // required for jira.auth = "user"
  spdlog::level::level_enum log_level = spdlog::level::info;
  limits_config limits;
  timeouts_config timeouts;
  // [odata] catalog: the table catalog served at /odata; empty = the shipped
  // connector-manifest/tables.json. A broken catalog stops start-up.
  std::filesystem::path odata_catalog;
  // [odata] include_custom_fields: Issues gets a column per custom field the user can
  // see (the catalog's "custom_fields" rules); false: no /field call, columns as shipped.
  bool odata_custom_fields = false;
  // [odata] completion_concurrency (1-16): per-issue requests one export keeps in flight
  // while completing worklog/comment/changelog lists Jira truncated in its search.
  unsigned odata_completion_concurrency = 4;
  // [odata] search_concurrency (1-16): on Cloud, the detail searches by id (pages of 100
  // issues from the id listing) one export keeps in flight.
  unsigned odata_search_concurrency = 4;
  admin_config admin;
};

// Reads and validates `file`. Throws config_error for any problem (unreadable file,
// TOML syntax, unknown key, bad value, missing required key, unreadable
// service_secret_file).
gateway_config load_config(const std::filesystem::path& file);

// Validates TOML `text` as if read from `file` (relative paths resolve against
// file's directory). Throws config_error as load_config does.
gateway_config parse_config(std::string_view text, const std::filesystem::path& file);

// The keys whose change between `running` and `reloaded` needs a restart; SIGHUP
// re-reads the TLS certificate files and applies the log level, and reports these. Never lists secrets'
// values, only key names.
std::vector<std::string> restart_required_changes(const gateway_config& running,
                                                  const gateway_config& reloaded);

}  // namespace jtgw::config
