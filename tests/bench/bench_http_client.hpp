#pragma once
// The benchmarks' sequential keep-alive HTTP client: one connection, GET only, the body
// returned whole. A status other than 200 throws (a benchmark stops at the first error).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <stdexcept>
#include <string>

namespace jtgw::bench {

class http_client {
 public:
  http_client(const std::string& host, const std::string& port) : stream_(ioc_) {
    boost::asio::ip::tcp::resolver resolver(ioc_);
    stream_.connect(resolver.resolve(host, port));
  }

  // GET target; returns the body. Throws std::runtime_error naming the target, status and
  // the start of the body for a status other than 200, and Beast's errors for I/O failures.
  std::string get(const std::string& target, const std::string& authorization, const std::string& prefer = {}) {
    namespace bhttp = boost::beast::http;
    bhttp::request<bhttp::empty_body> request{bhttp::verb::get, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    request.set(bhttp::field::authorization, authorization);
    if (!prefer.empty()) request.set(bhttp::field::prefer, prefer);
    bhttp::write(stream_, request);
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(512 * 1024 * 1024);  // a 1,000-row OData page of wide rows fits easily
    bhttp::read(stream_, buffer_, parser);
    if (parser.get().result_int() != 200)
      throw std::runtime_error(target.substr(0, 80) + ": " + std::to_string(parser.get().result_int()) + " " +
                               parser.get().body().substr(0, 300));
    return std::move(parser.get().body());
  }

 private:
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace jtgw::bench
