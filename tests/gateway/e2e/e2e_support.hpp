#pragma once
// End-to-end test support: real processes (jtgw, jira-sample, mint-token, curl, openssl)
// started by fork/exec with their output in files, stopped by pid; a raw HTTP/1.1
// client on a blocking loopback socket; tiny misbehaving upstreams (stall, slow stream).
//
// Every log file goes under log_dir() and every minted token is remembered, so a test
// can check that no token ever reached a log line (expect_no_secrets_in_logs).
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace jtgw::e2e {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A directory under /tmp, removed with everything in it on destruction.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Where every process of this test binary writes stdout/stderr (removed at exit).
const fs::path& log_dir();
// A fresh file name under log_dir(): "<stem>-<n>.log".
fs::path new_log_file(const std::string& stem);

std::string read_file(const fs::path& file);
void write_file(const fs::path& file, const std::string& text);

// A child process, stdout and stderr each to a file. The child gets SIGKILL if the test
// process dies first (PR_SET_PDEATHSIG), so a crashed test leaves nothing running.
class process {
 public:
  process(std::vector<std::string> argv, fs::path out, fs::path err);
  ~process();  // SIGKILL and reap if still running
  process(const process&) = delete;
  process& operator=(const process&) = delete;

  pid_t pid() const { return pid_; }
  const fs::path& out() const { return out_; }
  const fs::path& err() const { return err_; }
  void send(int signal) const;
  // The exit status, waiting at most `limit`; nullopt if still running then. A child
  // killed by a signal gives 128 + signal.
  std::optional<int> wait_exit(std::chrono::milliseconds limit);
  bool exited() const { return exit_code_.has_value(); }

 private:
  pid_t pid_ = -1;
  fs::path out_;
  fs::path err_;
  std::optional<int> exit_code_;
};

struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a command to completion (at most `limit`, then it is killed and the test fails).
run_result run(const std::vector<std::string>& argv, std::chrono::seconds limit = 60s);

// Waits until `file` holds a match of `pattern` and returns the first sub-match.
// Fails the test (BOOST_REQUIRE) after `limit`, or at once if `proc` exits meanwhile.
std::string wait_for_match(const fs::path& file, const std::regex& pattern, process* proc,
                           std::chrono::milliseconds limit = 60s);

// Binaries under test (CMake passes their paths).
std::string jtgw_bin();
std::string jira_sample_bin();
std::string mint_token_bin();
std::string make_legacy_store_bin();

// ---- jira-sample ---------------------------------------------------------------------

struct sample_user {
  std::string email;
  std::string username;
  std::string account_id;
  std::string api_token;  // Cloud: Basic email:api_token
  std::string pat;        // Data Center: Bearer
  std::vector<std::string> projects;
};

// One dataset per test binary (generated on first use, 40 issues, fixed seed).
const fs::path& dataset_dir();
const std::vector<sample_user>& sample_users();
const sample_user& user_named(const std::string& username);

inline constexpr const char* service_user = "jtgw-service";
inline constexpr const char* service_secret = "svc-secret-for-tests";

// `jira-sample serve` on 127.0.0.1 port 0 with the service credential above.
class jira_sample {
 public:
  explicit jira_sample(std::vector<std::string> extra_args = {});
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::uint16_t port() const { return port_; }

 private:
  process proc_;
  std::uint16_t port_ = 0;
};

// ---- tokens --------------------------------------------------------------------------

// mint-token --store STORE --user USER ARGS… (jtgw must not hold the store); the token.
std::string mint(const fs::path& store, const std::string& user, const std::vector<std::string>& args = {});
// A fresh well-formed token that is in no store.
std::string unknown_token();
// Remembers a secret that must never appear in a log (mint() does this for tokens).
void remember_secret(const std::string& secret);
// Checks every file under log_dir() for every remembered secret.
void expect_no_secrets_in_logs();

// ---- jtgw ----------------------------------------------------------------------------

// The [jira] + [store] part of a config, and the rest with defaults tests like.
struct gateway_options {
  std::string jira_url;
  std::string flavor = "cloud";
  std::string auth = "service";       // "user" needs seal_key
  fs::path store;
  fs::path seal_key;
  std::string listeners;              // extra [[listener]] tables; default: one plain
  std::string extra;                  // more TOML appended at the end
};
std::string config_text(const gateway_options& options);

// `jtgw serve --config DIR/jtgw.toml` on 127.0.0.1 port 0; waits for its listeners.
class gateway_process {
 public:
  gateway_process(const fs::path& dir, const gateway_options& options);
  const std::vector<std::uint16_t>& ports() const { return ports_; }
  std::uint16_t port() const { return ports_.at(0); }
  std::string url(const std::string& path, std::size_t listener = 0) const;
  process& proc() { return proc_; }
  const fs::path& config_file() const { return config_; }

 private:
  fs::path config_;
  process proc_;
  std::vector<std::uint16_t> ports_;
};

// ---- HTTP clients --------------------------------------------------------------------

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, first value
  std::string body;
  int curl_exit = 0;
  std::string header(const std::string& name) const;
};

// curl -sS --max-time 30 ARGS… URL, capturing the status line, headers and body.
http_reply curl(const std::string& url, const std::vector<std::string>& args = {});
// ARGS for HTTP Basic user:secret (given to curl on its command line; tests only).
std::vector<std::string> basic(const std::string& user, const std::string& secret);
// The "error" member of a JSON body ("" if none).
std::string error_code_of(const http_reply& reply);
std::string json_string(const std::string& body, const std::string& key);

// One keep-alive connection, blocking I/O with a receive timeout.
class raw_connection {
 public:
  explicit raw_connection(std::uint16_t port, const std::string& bind_address = "");
  ~raw_connection();
  raw_connection(const raw_connection&) = delete;
  raw_connection& operator=(const raw_connection&) = delete;
  // Sends one GET with these extra header lines ("Name: value\r\n"…) and reads one
  // response (Content-Length or chunked). Fails the test on a closed or silent socket.
  http_reply get(const std::string& target, const std::string& header_lines);

 private:
  std::string read_some();
  int fd_ = -1;
  std::string buffer_;
};

std::string base64(const std::string& text);

// ---- misbehaving upstreams -----------------------------------------------------------

// A loopback port nothing listens on.
std::uint16_t closed_port();

// An HTTP/1.1 upstream on 127.0.0.1 port 0, one thread per connection:
//   stall: reads the request and never answers (until destroyed);
//   slow_stream: answers 200 with Content-Length `stream_bytes`, sent in 64 KiB pieces
//                `piece_delay` apart.
class raw_upstream {
 public:
  enum class mode { stall, slow_stream };
  explicit raw_upstream(mode m, std::uint64_t stream_bytes = 0,
                        std::chrono::milliseconds piece_delay = 0ms);
  ~raw_upstream();
  std::uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // True once a response header and the first piece are on the wire.
  bool streaming() const { return streaming_.load(); }

 private:
  void serve(int fd);
  mode mode_;
  std::uint64_t stream_bytes_;
  std::chrono::milliseconds piece_delay_;
  int listen_fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> streaming_{false};
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::vector<int> fds_;
};

// A self-signed certificate for 127.0.0.1 (openssl CLI): DIR/NAME.crt, DIR/NAME.key.
void make_certificate(const fs::path& dir, const std::string& name);

}  // namespace jtgw::e2e
