// The admin socket in-process: its mode, stale and live sockets, limits, keep-alive,
// the client's plain failure messages; and the small helpers (times, tables, config).
#include "gateway/admin/admin_client.hpp"
#include "gateway/admin/admin_commands.hpp"
#include "gateway/admin/admin_json.hpp"
#include "gateway/admin/admin_server.hpp"
#include "gateway/admin/text_table.hpp"
#include "tests/storage/temp_store.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

using namespace jtgw;
using namespace jtgw::storage::testing;
namespace fs = std::filesystem;
using verb = boost::beast::http::verb;
using namespace std::chrono_literals;

namespace {

struct socket_fixture {
  temp_dir dir;
  std::unique_ptr<storage::token_store> store = open_store(dir.store_path());
  fs::path socket = dir.path() / "admin.sock";

  std::unique_ptr<admin::admin_server> start(unsigned mode = 0660) {
    return admin::start_admin_socket(socket, true, mode, *store);
  }
};

// A raw unix-socket connection, for what the client never sends.
class raw_unix {
 public:
  explicit raw_unix(const fs::path& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    BOOST_TEST_REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    timeval wait{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  }
  ~raw_unix() { ::close(fd_); }
  void send(const std::string& bytes) { BOOST_TEST_REQUIRE(::write(fd_, bytes.data(), bytes.size()) == ssize_t(bytes.size())); }
  // Sends what the peer takes of `bytes`: a server that refuses a request (413) may answer
  // and close before it has read all of it, so the rest meets a closed socket (EPIPE).
  void send_until_refused(const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n < 0) {
        BOOST_TEST_REQUIRE((errno == EPIPE || errno == ECONNRESET));
        return;
      }
      sent += static_cast<std::size_t>(n);
    }
  }
  // Reads until `count` responses' status lines are in, or the peer closes.
  std::string read_until_closed() {
    std::string out;
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd_, buffer, sizeof buffer)) > 0;) out.append(buffer, std::size_t(n));
    return out;
  }
  // True when the peer ends the connection (end of stream or reset) within SO_RCVTIMEO's
  // 10 s, whatever it sends before; false when the wait runs out.
  bool closed_by_peer() {
    char buffer[4096];
    ssize_t n;
    while ((n = ::read(fd_, buffer, sizeof buffer)) > 0) {
    }
    return n == 0 || errno == ECONNRESET;
  }

 private:
  int fd_ = -1;
};

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(admin_socket, socket_fixture)

BOOST_AUTO_TEST_CASE(socket_has_the_configured_mode_and_answers) {
  for (unsigned mode : {0660u, 0600u}) {
    auto server = start(mode);
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat(socket.c_str(), &st) == 0);
    BOOST_TEST(S_ISSOCK(st.st_mode));
    BOOST_TEST((st.st_mode & 0777) == mode);
    auto reply = admin::call_admin(socket, verb::get, "/policy", "", 10s);
    BOOST_TEST_REQUIRE(reply.has_value(), reply.error().message);
    BOOST_TEST(reply->status == 200u);
    BOOST_TEST(reply->body.as_object().at("max_days").is_null());
    server->stop();
    BOOST_TEST(!fs::exists(socket));  // removed on stop
  }
}

BOOST_AUTO_TEST_CASE(a_stale_socket_is_replaced_a_live_one_is_not) {
  {  // a socket file nobody listens on, as a crashed jtgw leaves it
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
    BOOST_TEST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    ::close(fd);
  }
  auto server = start();
  BOOST_TEST(admin::call_admin(socket, verb::get, "/policy", "", 10s).has_value());
  try {
    start();
    BOOST_FAIL("a second server took a live socket");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("another process is listening") != std::string::npos, e.what());
  }
  // The first still serves.
  BOOST_TEST(admin::call_admin(socket, verb::get, "/policy", "", 10s).has_value());
}

// start() on a running server: refused, even when the socket file is gone and nothing
// else would stop it (it would replace the state the running thread serves from).
BOOST_AUTO_TEST_CASE(starting_a_running_server_again_is_refused) {
  auto server = start();
  fs::remove(socket);
  BOOST_CHECK_THROW(server->start(), std::logic_error);
  server->stop();
}

BOOST_AUTO_TEST_CASE(other_files_and_impossible_paths_are_refused) {
  std::ofstream(socket) << "not a socket";
  BOOST_CHECK_THROW(start(), std::runtime_error);
  BOOST_TEST(fs::is_regular_file(socket));  // untouched
  socket = dir.path() / "missing-dir" / "admin.sock";
  BOOST_CHECK_THROW(start(), std::runtime_error);
  socket = dir.path() / std::string(120, 'x');
  BOOST_CHECK_THROW(start(), std::runtime_error);
  // The default path without its directory only disables the socket.
  BOOST_TEST(!admin::start_admin_socket(dir.path() / "no-run-dir" / "admin.sock", false, 0660, *store));
}

BOOST_AUTO_TEST_CASE(client_failures_are_plain_sentences) {
  auto missing = admin::call_admin(socket, verb::get, "/policy", "", 5s);
  BOOST_TEST_REQUIRE(!missing.has_value());
  BOOST_TEST(missing.error().message == "no jtgw is listening on " + socket.string());
}

BOOST_AUTO_TEST_CASE(keep_alive_limits_and_malformed_requests) {
  auto server = start();
  {
    raw_unix connection(socket);
    connection.send("GET /policy HTTP/1.1\r\nHost: x\r\n\r\nGET /policy HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string out = connection.read_until_closed();
    BOOST_TEST(count_of(out, "HTTP/1.1 200") == 2u, out);
  }
  {
    raw_unix connection(socket);
    connection.send_until_refused("PUT /policy HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + std::string(100000, ' '));
    BOOST_TEST(connection.read_until_closed().rfind("HTTP/1.1 413", 0) == 0u);
  }
  {
    raw_unix connection(socket);
    connection.send("GET /policy HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n");
    BOOST_TEST(connection.read_until_closed().rfind("HTTP/1.1 431", 0) == 0u);
  }
  {
    raw_unix connection(socket);
    connection.send("NOT HTTP AT ALL\r\n\r\n");
    BOOST_TEST(connection.read_until_closed().rfind("HTTP/1.1 400", 0) == 0u);
  }
}

// stop() closes open admin connections, so an admin tool is not left waiting on a gateway
// that is going away, and releases every descriptor the server used: the listener, the
// connections, the io_context's own.
BOOST_AUTO_TEST_CASE(stop_closes_open_connections_and_releases_every_descriptor) {
  // Sockets, epoll, eventfd and timerfd descriptors: what the server opens. Files are left
  // out, so a RocksDB background job opening one cannot disturb the count.
  const auto open_descriptors = [] {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator("/proc/self/fd")) {
      std::error_code ec;
      const std::string target = fs::read_symlink(entry.path(), ec).string();
      if (target.starts_with("socket:") || target.starts_with("anon_inode:")) ++count;
    }
    return count;
  };
  const auto before = open_descriptors();
  {
    auto server = start();
    raw_unix idle(socket);  // connected, nothing sent: the server waits for a request
    raw_unix halfway(socket);
    halfway.send("GET /policy HTTP/1.1\r\nHost: x\r\n");  // a header cut off
    // Accepted in order: once a third connection is answered, the two before it are served.
    BOOST_TEST_REQUIRE(admin::call_admin(socket, verb::get, "/policy", "", 10s).has_value());
    server->stop();
    BOOST_TEST(idle.closed_by_peer());
    BOOST_TEST(halfway.closed_by_peer());
  }
  BOOST_TEST(open_descriptors() == before);
}

BOOST_AUTO_TEST_CASE(times_parse_in_every_documented_form_and_nothing_else) {
  const storage::clock_time now{std::chrono::sys_days{std::chrono::year{2025} / 3 / 10}};
  using std::chrono::sys_days;
  BOOST_TEST((admin::parse_time("2025-03-02", now) == storage::clock_time{sys_days{std::chrono::year{2025} / 3 / 2}}));
  BOOST_TEST((admin::parse_time("2025-03-02T10:15:00Z", now) ==
              storage::clock_time{sys_days{std::chrono::year{2025} / 3 / 2}} + 10h + 15min));
  BOOST_TEST((admin::parse_time("2025-03-02T10:15:00.250Z", now) ==
              storage::clock_time{sys_days{std::chrono::year{2025} / 3 / 2}} + 10h + 15min + 250ms));
  BOOST_TEST((admin::parse_time("7d", now) == now - std::chrono::days{7}));
  BOOST_TEST((admin::parse_time("12h", now) == now - 12h));
  BOOST_TEST((admin::parse_time("90m", now) == now - 90min));
  for (std::string bad : {"", "yesterday", "2025-02-30", "2025-3-2", "2025-03-02T25:00:00Z", "2025-03-02T10:15:00",
                          "2025-03-02T10:15:00+01:00", "-1d", "7w", "2025-03-02T-1:15:00Z"})
    BOOST_TEST(!admin::parse_time(bad, now).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(tables_align_and_neutralise_control_characters) {
  admin::text_table table({"LABEL", "ID"});
  table.add({"evil\x1b[31m\nlabel", "tok-1"});
  table.add({std::string(100, 'x'), "tok-2"});
  std::ostringstream out;
  table.print(out);
  const std::string text = out.str();
  BOOST_TEST(text.find('\x1b') == std::string::npos);
  BOOST_TEST(count_of(text, "\n") == 3u);  // one line per row, the newline in the label is gone
  BOOST_TEST(text.find(std::string(admin::text_table::max_cell - 3, 'x') + "...") != std::string::npos);
  BOOST_TEST(admin::short_time("2025-03-02T10:15:00.000Z") == "2025-03-02 10:15Z");
}

BOOST_AUTO_TEST_CASE(socket_path_comes_from_the_config_admin_table_only) {
  const auto file = dir.path() / "jtgw.toml";
  // The rest of the file names a secret file the admin cannot read: not our business.
  std::ofstream(file) << "[jira]\nservice_secret_file = \"/root/nope\"\n[admin]\nsocket = \"run/admin.sock\"\n";
  BOOST_TEST(admin::socket_from_config(file) == dir.path() / "run/admin.sock");
  std::ofstream(file, std::ios::trunc) << "[store]\npath = \"/x\"\n";
  BOOST_TEST(admin::socket_from_config(file) == fs::path("/run/jtgw/admin.sock"));
  std::ofstream(file, std::ios::trunc) << "[admin]\nsocket = 5\n";
  BOOST_CHECK_THROW(admin::socket_from_config(file), std::runtime_error);
  BOOST_CHECK_THROW(admin::socket_from_config(dir.path() / "missing.toml"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
