#include "tests/gateway/proxy/relay_support.hpp"

#include "gateway/proxy/policy_response.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <boost/url/parse.hpp>

#include <boost/beast/core/detail/base64.hpp>

#include <fstream>

namespace jtgw::proxy::test {
namespace {

namespace bhttp = beast::http;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Writes `bytes` of the pattern raw on the exchange's stream, chunked or with a length.
net::awaitable<void> stream_body(http::exchange& ex, std::uint64_t bytes, bool chunked) {
  std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
  head += chunked ? "Transfer-Encoding: chunked\r\n\r\n" : "Content-Length: " + std::to_string(bytes) + "\r\n\r\n";
  ex.record().status = 200;
  auto [ec, n] = co_await net::async_write(ex.stream(), net::buffer(head), use_tuple);
  std::string block(64 * 1024, '\0');
  for (std::uint64_t sent = 0; !ec && sent < bytes;) {
    const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), bytes - sent));
    for (std::size_t i = 0; i < size; ++i) block[i] = pattern_byte(sent + i);
    char line[32];
    const int line_size = std::snprintf(line, sizeof line, "%zx\r\n", size);
    std::array<net::const_buffer, 3> pieces{net::buffer(line, chunked ? line_size : 0), net::buffer(block.data(), size),
                                            net::buffer("\r\n", chunked ? 2 : 0)};
    ex.stream().tcp().expires_after(std::chrono::seconds(30));
    std::tie(ec, n) = co_await net::async_write(ex.stream(), pieces, use_tuple);
    sent += size;
  }
  if (!ec && chunked) std::tie(ec, n) = co_await net::async_write(ex.stream(), net::buffer("0\r\n\r\n", 5), use_tuple);
  if (ec) ex.close_after();
}

class peer_handler final : public http::request_handler {
 public:
  net::awaitable<void> handle(http::exchange& ex) override {
    const auto& req = ex.request();
    auto url = boost::urls::parse_origin_form(req.target());
    const std::string path = url ? std::string(url->path()) : std::string();
    const auto params = url ? url->params() : boost::urls::params_view();

    if (ends_with(path, "/stall")) {
      net::steady_timer wait(co_await net::this_coro::executor, std::chrono::minutes(2));
      co_await wait.async_wait(use_tuple);
      ex.close_after();
      co_return;
    }
    if (ends_with(path, "/stream")) {
      const auto bytes = std::stoull((*params.find("bytes")).value);
      const bool chunked = (*params.find("framing")).value == "chunked";
      co_await stream_body(ex, bytes, chunked);
      co_return;
    }
    if (const auto at = path.rfind("/status/"); at != std::string::npos) {
      const unsigned code = static_cast<unsigned>(std::stoul(path.substr(at + 8)));
      http::string_response response(static_cast<bhttp::status>(code), req.version());
      if (code != 204 && code != 304) {
        response.set(bhttp::field::content_type, "application/json");
        response.body() = R"({"errorMessages":["status )" + std::to_string(code) + R"("]})";
      }
      if (params.contains("seraph")) response.set("X-Seraph-LoginReason", "AUTHENTICATED_FAILED");
      co_await ex.write(response);
      co_return;
    }

    auto body = co_await ex.read_body();
    boost::json::array headers;
    for (const auto& f : req) headers.push_back(boost::json::array{f.name_string(), f.value()});
    boost::json::object echo{{"method", req.method_string()},
                             {"target", req.target()},
                             {"headers", std::move(headers)},
                             {"body_bytes", body ? body->size() : 0},
                             {"body_hash", std::to_string(fnv1a(body ? *body : std::string()))}};
    http::string_response response(bhttp::status::ok, req.version());
    response.set(bhttp::field::content_type, "application/json");
    response.set(bhttp::field::set_cookie, "upstream-session=1; Path=/");
    response.set("X-Upstream", "1");
    response.body() = boost::json::serialize(echo);
    co_await ex.write(response);
  }
};

}  // namespace

std::shared_ptr<http::request_handler> jira_peer() { return std::make_shared<peer_handler>(); }

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

net::awaitable<void> relay_route::handle(http::exchange& ex) {
  ex.record().route = "rest";
  const auto decision = decide_request(ex.request().method(), ex.request().target());
  if (decision.kind != verdict::forward) {
    auto response = policy_denial_response(decision, ex.request().version());
    co_await ex.write(response);
    co_return;
  }
  relay_request plan = plan_;
  plan.upstream_target = decision.forward_target(ex.request().target());
  const auto outcome = co_await relay(ex, plan, pool_);
  last_.store(outcome.status);
}

relay_status relay_route::await_status(relay_status expected) const {
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (last_.load() != expected && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(5ms);
  return last_.load();
}

relay_gateway::relay_gateway(upstream_config config, relay_request plan, http::server_limits limits) {
  work_.emplace(pool_ioc_.get_executor());
  pool_thread_ = std::thread([this] { pool_ioc_.run(); });
  pool_ = std::make_unique<upstream_pool>(pool_ioc_.get_executor(), std::move(config));
  route_ = std::make_shared<relay_route>(*pool_, std::move(plan));
  server_ = std::make_unique<test_server>(route_, limits);
  endpoint_ = server_->listen();
}

relay_gateway::~relay_gateway() {
  server_.reset();
  pool_.reset();
  work_.reset();
  pool_ioc_.stop();
  pool_thread_.join();
}

// Runs curl with `args` against `url`; headers of the final response and the body.
curl_reply curl(const std::string& args, const std::string& url) {
  temp_dir dir;
  const auto head = (dir.path() / "head").string();
  const auto body = (dir.path() / "body").string();
  const auto run = run_command(curl_base() + args + " -D " + head + " -o " + body + " '" + url + "' 2>&1");
  curl_reply reply;
  reply.exit_code = run.exit_code;
  std::ifstream head_file(head);
  std::string line;
  while (std::getline(head_file, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("HTTP/", 0) == 0) {  // a new (interim or final) response starts
      reply.headers.clear();
      reply.status = static_cast<unsigned>(std::stoul(line.substr(9, 3)));
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[name].push_back(line.substr(line.find_first_not_of(' ', colon + 1)));
  }
  std::ifstream body_file(body, std::ios::binary);
  reply.body.assign(std::istreambuf_iterator<char>(body_file), {});
  return reply;
}

// The echo's request headers as name (lower-case) → values.
std::map<std::string, std::vector<std::string>> echoed_headers(const std::string& body) {
  std::map<std::string, std::vector<std::string>> out;
  const auto echo = boost::json::parse(body).as_object();
  for (const auto& pair : echo.at("headers").as_array()) {
    std::string name(pair.as_array()[0].as_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[name].emplace_back(pair.as_array()[1].as_string());
  }
  return out;
}

std::string base64(std::string_view text) {
  std::string out(boost::beast::detail::base64::encoded_size(text.size()), '\0');
  out.resize(boost::beast::detail::base64::encode(out.data(), text.data(), text.size()));
  return out;
}

relay_setup::relay_setup(relay_request plan, upstream_config config, http::server_limits peer_limits,
                         http::server_limits gateway_limits)
    : peer(jira_peer(), peer_limits) {
  peer_endpoint = peer.listen();
  if (config.base_url.empty()) config.base_url = url_of(peer_endpoint, false, "/jira/");
  gateway.emplace(std::move(config), std::move(plan), gateway_limits);
}

unsigned raw_status(const tcp::endpoint& endpoint, const std::string& bytes) {
  unsigned status = 0;
  run_client([&]() -> net::awaitable<void> {
    const auto got = co_await send_raw(endpoint, bytes, std::chrono::seconds(5));
    status = status_of(got.data);
  });
  return status;
}

std::string curl_reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second.front();
}

relay_request user_plan() {
  relay_request plan{.upstream_target = {}, .credential = upstream_credential::basic("alice", "jira-secret")};
  return plan;
}

test_ca make_ca(const std::filesystem::path& dir, const std::string& name) {
  test_ca ca{(dir / (name + ".crt")).string(), (dir / (name + ".key")).string()};
  const auto made = run_command(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=" + name +
      " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout " + ca.key +
      " -out " + ca.cert + " 2>&1");
  BOOST_REQUIRE_MESSAGE(made.exit_code == 0, "openssl (CA) failed: " << made.output);
  return ca;
}

cert_files make_leaf(const std::filesystem::path& dir, const test_ca& ca, const std::string& name,
                     const std::string& dns_name) {
  cert_files leaf{(dir / (name + ".crt")).string(), (dir / (name + ".key")).string()};
  const std::string csr = (dir / (name + ".csr")).string();
  const std::string ext = (dir / (name + ".ext")).string();
  std::ofstream(ext) << "subjectAltName=DNS:" << dns_name << "\nbasicConstraints=CA:FALSE\n"
                     << "extendedKeyUsage=serverAuth\n";
  const auto made = run_command(
      "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" + dns_name + " -keyout " +
      leaf.key + " -out " + csr + " 2>&1 && openssl x509 -req -in " + csr + " -CA " + ca.cert + " -CAkey " +
      ca.key + " -CAcreateserial -days 2 -extfile " + ext + " -out " + leaf.cert + " 2>&1");
  BOOST_REQUIRE_MESSAGE(made.exit_code == 0, "openssl (leaf) failed: " << made.output);
  return leaf;
}

std::uint16_t closed_port() {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();  // closed when the acceptor goes
}

std::size_t peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6));
  return 0;
}

}  // namespace jtgw::proxy::test
