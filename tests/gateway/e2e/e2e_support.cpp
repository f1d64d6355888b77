#include "tests/gateway/e2e/e2e_support.hpp"

#include "auth/token_format.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>
#include <openssl/evp.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

namespace jtgw::e2e {

namespace {

std::mutex secrets_mutex;
std::set<std::string>& secrets() {
  static std::set<std::string> all;
  return all;
}

// Command captures (mint-token prints tokens, curl bodies): kept apart from the logs that
// expect_no_secrets_in_logs scans.
const fs::path& scratch_dir() {
  static temp_dir dir;
  return dir.path();
}

fs::path new_file_in(const fs::path& dir, const std::string& stem) {
  static std::atomic<int> counter{0};
  return dir / (stem + "-" + std::to_string(++counter) + ".log");
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

// "Name: value" lines after a status line into `reply`; returns false without a status line.
bool parse_head(const std::string& head, http_reply& reply) {
  std::istringstream lines(head);
  std::string line;
  if (!std::getline(lines, line)) return false;
  if (line.rfind("HTTP/", 0) != 0 || line.size() < 12) return false;
  reply.status = std::stoi(line.substr(9, 3));
  reply.headers.clear();
  while (std::getline(lines, line)) {
    line = trim(line);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    reply.headers.emplace(lower(line.substr(0, colon)), value);
  }
  return true;
}

}  // namespace

temp_dir::temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "jtgw-e2e-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const fs::path& log_dir() {
  static temp_dir dir;
  return dir.path();
}

fs::path new_log_file(const std::string& stem) { return new_file_in(log_dir(), stem); }

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  BOOST_REQUIRE_MESSAGE(out.good(), "cannot write " << file);
}

// ---- processes -------------------------------------------------------------------------

process::process(std::vector<std::string> argv, fs::path out, fs::path err)
    : out_(std::move(out)), err_(std::move(err)) {
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  const int out_fd = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  const int err_fd = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  BOOST_REQUIRE_MESSAGE(out_fd >= 0 && err_fd >= 0, "cannot create log files for " << argv[0]);
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    // Only async-signal-safe calls between fork and exec (the test may run threads).
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out_fd);
  ::close(err_fd);
  BOOST_REQUIRE_MESSAGE(pid_ > 0, "fork failed for " << argv[0]);
}

process::~process() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

void process::send(int signal) const {
  if (pid_ > 0 && !exit_code_) ::kill(pid_, signal);
}

std::optional<int> process::wait_exit(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!exit_code_) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(10ms);
  }
  return exit_code_;
}

run_result run(const std::vector<std::string>& argv, std::chrono::seconds limit) {
  process p(argv, new_file_in(scratch_dir(), "out"), new_file_in(scratch_dir(), "err"));
  const auto code = p.wait_exit(limit);
  BOOST_REQUIRE_MESSAGE(code.has_value(), argv[0] << " did not finish within " << limit.count() << " s");
  run_result result{*code, read_file(p.out()), read_file(p.err())};
  fs::remove(p.out());
  fs::remove(p.err());
  return result;
}

std::string wait_for_match(const fs::path& file, const std::regex& pattern, process* proc,
                           std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const std::string text = read_file(file);
    std::smatch match;
    if (std::regex_search(text, match, pattern)) return match.size() > 1 ? match[1].str() : match[0].str();
    if (proc != nullptr && proc->wait_exit(0ms)) {
      BOOST_FAIL("process exited (" << *proc->wait_exit(0ms) << ") before writing the expected line to "
                                    << file << ":\n" << text << "\n" << read_file(proc->err()));
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      BOOST_FAIL("the expected line did not appear in " << file << ":\n" << text);
    }
    std::this_thread::sleep_for(20ms);
  }
}

std::string jtgw_bin() { return JTGW_BIN; }
std::string jira_sample_bin() { return JIRA_SAMPLE_BIN; }
std::string mint_token_bin() { return MINT_TOKEN_BIN; }
std::string make_legacy_store_bin() { return MAKE_LEGACY_STORE_BIN; }

// ---- jira-sample ---------------------------------------------------------------------

const fs::path& dataset_dir() {
  static temp_dir dir;
  static const fs::path data = [] {
    const fs::path out = dir.path() / "data";
    const auto made = run({jira_sample_bin(), "generate", "--issues", "40", "--seed", "11", "--out", out.string()});
    BOOST_REQUIRE_MESSAGE(made.exit_code == 0, "jira-sample generate failed: " << made.err);
    return out;
  }();
  return data;
}

const std::vector<sample_user>& sample_users() {
  static const std::vector<sample_user> users = [] {
    std::vector<sample_user> out;
    const auto json = boost::json::parse(read_file(dataset_dir() / "users.json"));
    for (const auto& u : json.as_array()) {
      const auto& o = u.as_object();
      sample_user user{std::string(o.at("email").as_string()), std::string(o.at("username").as_string()),
                       std::string(o.at("account_id").as_string()), std::string(o.at("api_token").as_string()),
                       std::string(o.at("pat").as_string()), {}};
      for (const auto& p : o.at("projects").as_array()) user.projects.emplace_back(p.as_string());
      out.push_back(std::move(user));
    }
    return out;
  }();
  return users;
}

const sample_user& user_named(const std::string& username) {
  for (const auto& u : sample_users()) {
    if (u.username == username) return u;
  }
  BOOST_FAIL("no sample user " << username);
  throw std::logic_error("unreachable");
}

jira_sample::jira_sample(std::vector<std::string> extra_args)
    : proc_([&] {
        std::vector<std::string> argv{jira_sample_bin(), "serve", "--data", dataset_dir().string(),
                                      "--listen", "127.0.0.1:0", "--access-log", "--service-credential",
                                      std::string(service_user) + ":" + service_secret};
        argv.insert(argv.end(), extra_args.begin(), extra_args.end());
        return argv;
      }(),
            new_log_file("jira-sample-out"), new_log_file("jira-sample-err")) {
  port_ = static_cast<std::uint16_t>(
      std::stoi(wait_for_match(proc_.out(), std::regex(R"(listening on http://127\.0\.0\.1:(\d+))"), &proc_)));
}

// ---- tokens --------------------------------------------------------------------------

std::string mint(const fs::path& store, const std::string& user, const std::vector<std::string>& args) {
  std::vector<std::string> argv{mint_token_bin(), "--store", store.string(), "--user", user};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto minted = run(argv);
  BOOST_REQUIRE_MESSAGE(minted.exit_code == 0, "mint-token failed: " << minted.err);
  const std::string token = trim(minted.out);
  BOOST_REQUIRE(token.rfind("jtgw_", 0) == 0);
  remember_secret(token);
  return token;
}

std::string unknown_token() {
  std::string token = auth::generate_token();
  remember_secret(token);
  return token;
}

void remember_secret(const std::string& secret) {
  std::lock_guard lock(secrets_mutex);
  secrets().insert(secret);
}

void expect_no_secrets_in_logs() {
  std::set<std::string> all;
  {
    std::lock_guard lock(secrets_mutex);
    all = secrets();
  }
  BOOST_TEST_REQUIRE(!all.empty());
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(log_dir())) {
    const std::string text = read_file(entry.path());
    ++files;
    for (const auto& secret : all) {
      BOOST_TEST(text.find(secret) == std::string::npos,
                 "a secret (" << secret.substr(0, 8) << "…) appears in " << entry.path());
    }
  }
  BOOST_TEST(files > 0u);
}

// ---- jtgw ----------------------------------------------------------------------------

std::string config_text(const gateway_options& o) {
  std::string text = o.listeners.empty() ? "[[listener]]\naddress = \"127.0.0.1\"\nport = 0\n" : o.listeners;
  text += "[server]\nthreads = 2\n";
  text += "[store]\npath = \"" + o.store.string() + "\"\n";
  text += "[jira]\nurl = \"" + o.jira_url + "\"\nflavor = \"" + o.flavor + "\"\nauth = \"" + o.auth + "\"\n";
  if (o.auth == "service") {
    text += std::string("service_username = \"") + service_user + "\"\nservice_secret = \"" + service_secret + "\"\n";
  }
  if (!o.seal_key.empty()) text += "[auth]\nseal_key_file = \"" + o.seal_key.string() + "\"\n";
  // debug: the more jtgw logs, the more a leaked secret would show.
  text += "[log]\nlevel = \"debug\"\n";
  text += o.extra;
  return text;
}

gateway_process::gateway_process(const fs::path& dir, const gateway_options& options)
    : config_(dir / "jtgw.toml"),
      proc_(
          [&] {
            write_file(config_, config_text(options));
            return std::vector<std::string>{jtgw_bin(), "serve", "--config", config_.string()};
          }(),
          new_log_file("jtgw-out"), new_log_file("jtgw-err")) {
  remember_secret(service_secret);
  wait_for_match(proc_.err(), std::regex("jtgw serving"), &proc_);
  const std::string log = read_file(proc_.err());
  const std::regex listening(R"(listening on 127\.0\.0\.1:(\d+))");
  for (std::sregex_iterator it(log.begin(), log.end(), listening), end; it != end; ++it) {
    ports_.push_back(static_cast<std::uint16_t>(std::stoi((*it)[1].str())));
  }
  BOOST_REQUIRE(!ports_.empty());
}

std::string gateway_process::url(const std::string& path, std::size_t listener) const {
  return "http://127.0.0.1:" + std::to_string(ports_.at(listener)) + path;
}

// ---- HTTP clients --------------------------------------------------------------------

std::string http_reply::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

http_reply curl(const std::string& url, const std::vector<std::string>& args) {
  const fs::path head = new_file_in(scratch_dir(), "head");
  const fs::path body = new_file_in(scratch_dir(), "body");
  std::vector<std::string> argv{"/usr/bin/curl", "-sS", "--max-time", "30", "-D", head.string(), "-o", body.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(url);
  const auto done = run(argv);
  http_reply reply;
  reply.curl_exit = done.exit_code;
  // The last response block (a 100 Continue may come first).
  const std::string heads = read_file(head);
  const auto last = heads.rfind("HTTP/");
  if (last != std::string::npos) parse_head(heads.substr(last), reply);
  reply.body = read_file(body);
  fs::remove(head);
  fs::remove(body);
  return reply;
}

std::vector<std::string> basic(const std::string& user, const std::string& secret) {
  remember_secret(base64(user + ":" + secret));
  return {"-u", user + ":" + secret};
}

std::string json_string(const std::string& body, const std::string& key) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(body, ec);
  if (ec || !json.is_object()) return {};
  const auto* value = json.as_object().if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::string error_code_of(const http_reply& reply) { return json_string(reply.body, "error"); }

std::string base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

raw_connection::raw_connection(std::uint16_t port, const std::string& bind_address) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  BOOST_REQUIRE(fd_ >= 0);
  timeval timeout{30, 0};  // a hang guard, not a timing assertion
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (!bind_address.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, bind_address.c_str(), &local.sin_addr);
    BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
  }
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
  BOOST_REQUIRE_MESSAGE(::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) == 0,
                        "connect to port " << port << ": " << std::strerror(errno));
}

raw_connection::~raw_connection() {
  if (fd_ >= 0) ::close(fd_);
}

std::string raw_connection::read_some() {
  char chunk[16 * 1024];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  BOOST_REQUIRE_MESSAGE(n > 0, "the connection closed or went silent (" << (n == 0 ? "EOF" : std::strerror(errno)) << ")");
  return std::string(chunk, static_cast<std::size_t>(n));
}

http_reply raw_connection::get(const std::string& target, const std::string& header_lines) {
  const std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header_lines + "\r\n";
  BOOST_REQUIRE(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) buffer_ += read_some();
  http_reply reply;
  BOOST_REQUIRE(parse_head(buffer_.substr(0, head_end), reply));
  buffer_.erase(0, head_end + 4);
  if (lower(reply.header("transfer-encoding")).find("chunked") != std::string::npos) {
    for (;;) {
      std::size_t line_end;
      while ((line_end = buffer_.find("\r\n")) == std::string::npos) buffer_ += read_some();
      const std::size_t size = std::stoul(buffer_.substr(0, line_end), nullptr, 16);
      while (buffer_.size() < line_end + 2 + size + 2) buffer_ += read_some();
      reply.body += buffer_.substr(line_end + 2, size);
      buffer_.erase(0, line_end + 2 + size + 2);
      if (size == 0) break;  // no trailers from our peers
    }
  } else {
    const std::string length = reply.header("content-length");
    BOOST_REQUIRE_MESSAGE(!length.empty(), "response without Content-Length or chunked framing");
    const std::size_t size = std::stoul(length);
    while (buffer_.size() < size) buffer_ += read_some();
    reply.body = buffer_.substr(0, size);
    buffer_.erase(0, size);
  }
  return reply;
}

// ---- misbehaving upstreams -----------------------------------------------------------

std::uint16_t closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

raw_upstream::raw_upstream(mode m, std::uint64_t stream_bytes, std::chrono::milliseconds piece_delay)
    : mode_(m), stream_bytes_(stream_bytes), piece_delay_(piece_delay) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  BOOST_REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  BOOST_REQUIRE(::listen(listen_fd_, 64) == 0);
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] {
    for (;;) {
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0 || stopping_) {
        if (fd >= 0) ::close(fd);
        return;
      }
      fds_.push_back(fd);  // only this thread appends; the destructor reads after join
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  });
}

raw_upstream::~raw_upstream() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  for (auto& w : workers_) w.join();
  for (int fd : fds_) ::close(fd);
  ::close(listen_fd_);
}

void raw_upstream::serve(int fd) {
  std::string request;
  char chunk[4096];
  while (request.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return;  // a readiness probe connects and leaves
    request.append(chunk, static_cast<std::size_t>(n));
  }
  if (mode_ == mode::stall) {
    while (!stopping_) std::this_thread::sleep_for(20ms);
    return;
  }
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                           std::to_string(stream_bytes_) + "\r\n\r\n";
  if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) < 0) return;
  const std::string piece(64 * 1024, 'x');
  std::uint64_t sent = 0;
  while (sent < stream_bytes_ && !stopping_) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(piece.size(), stream_bytes_ - sent));
    if (::send(fd, piece.data(), n, MSG_NOSIGNAL) != static_cast<ssize_t>(n)) return;
    sent += n;
    streaming_ = true;
    std::this_thread::sleep_for(piece_delay_);
  }
}

void make_certificate(const fs::path& dir, const std::string& name) {
  const auto made = run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                         (dir / (name + ".key")).string(), "-out", (dir / (name + ".crt")).string()});
  BOOST_REQUIRE_MESSAGE(made.exit_code == 0, "openssl req failed: " << made.err);
}

}  // namespace jtgw::e2e
