// The client's one Beast-over-unix-socket exchange (kept apart from the server's TU).
#include "gateway/admin/admin_client.hpp"

#include "gateway/http/net.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/throw_exception.hpp>

#include <stdexcept>

namespace jtgw::admin {
namespace {

using local = net::local::stream_protocol;
namespace bhttp = beast::http;
constexpr net::as_tuple_t<net::use_awaitable_t<>> use_tuple{};
// An answer larger than this is not one jtgw sends (a page of tokens is well below it).
constexpr std::uint64_t max_answer_bytes = 256u << 20;

std::string connect_failure(const std::filesystem::path& socket, const error_code& ec) {
  if (ec == net::error::not_found || ec == boost::system::errc::no_such_file_or_directory ||
      ec == net::error::connection_refused)
    return "no jtgw is listening on " + socket.string();
  if (ec == net::error::access_denied || ec == boost::system::errc::permission_denied)
    return "permission denied on " + socket.string() +
           ": admin commands need write access to the socket (be root or in jtgw's group)";
  return "cannot connect to " + socket.string() + ": " + ec.message();
}

}  // namespace

void throw_exception_from_error(const admin_call_error& e, const boost::source_location& loc) {
  boost::throw_exception(std::runtime_error(e.message), loc);
}

boost::system::result<admin_reply, admin_call_error> call_admin(const std::filesystem::path& socket,
                                                                bhttp::verb method, const std::string& target,
                                                                const std::string& body,
                                                                std::chrono::milliseconds timeout) {
  net::io_context ioc(1);
  std::string failure;
  bhttp::response<bhttp::string_body> response;

  auto exchange = [&]() -> net::awaitable<void> {
    beast::basic_stream<local> stream(ioc);
    stream.expires_after(timeout);  // one deadline for the whole exchange
    auto [connect_error] = co_await stream.async_connect(local::endpoint(socket.string()), use_tuple);
    if (connect_error) {
      failure = connect_failure(socket, connect_error);
      co_return;
    }
    bhttp::request<bhttp::string_body> request{method, target, 11};
    request.set(bhttp::field::host, "jtgw-admin");
    if (!body.empty()) request.set(bhttp::field::content_type, "application/json");
    request.body() = body;
    request.keep_alive(false);
    request.prepare_payload();
    auto [write_error, written] = co_await bhttp::async_write(stream, request, use_tuple);
    if (write_error) {
      failure = "cannot send to " + socket.string() + ": " + write_error.message();
      co_return;
    }
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(max_answer_bytes);
    auto [read_error, read] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (read_error == beast::error::timeout) {
      failure = "jtgw did not answer on " + socket.string() + " within " + std::to_string(timeout.count() / 1000) + " s";
      co_return;
    }
    if (read_error) {
      failure = "no answer from " + socket.string() + ": " + read_error.message();
      co_return;
    }
    response = parser.release();
  };
  net::co_spawn(ioc, exchange(), [&](std::exception_ptr e) {
    if (e) failure = "admin call failed";
  });
  ioc.run();
  if (!failure.empty()) return admin_call_error{failure};

  admin_reply reply;
  reply.status = response.result_int();
  error_code ec;
  reply.body = boost::json::parse(response.body(), ec);
  if (ec) return admin_call_error{"jtgw answered " + std::to_string(reply.status) + " without JSON on " + socket.string()};
  return reply;
}

}  // namespace jtgw::admin
