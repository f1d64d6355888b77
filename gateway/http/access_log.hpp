#pragma once
// One JSON line per request on a dedicated spdlog logger named "access".
// What never appears: the Authorization header, cookies, query strings (they may carry
// secrets such as tokens or JQL with personal data), request or response bodies.
#include "gateway/http/exchange.hpp"

#include <spdlog/logger.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace jtgw::http {

struct access_entry {
  std::chrono::system_clock::time_point time;  // when the request header arrived
  std::string_view request_id;
  std::string_view client;  // the client's address as text
  std::string_view method;
  std::string_view target;  // as received; the query is stripped when the line is built
  const exchange_record* record = nullptr;
  std::chrono::microseconds total{0};
};

// The path part of a request target: everything before the first '?' or '#'.
std::string_view path_without_query(std::string_view target) noexcept;

// One JSON object, no trailing newline, keys in this order: time (RFC 3339 UTC with
// milliseconds), request_id, client, user, token_id, method, path (no query, at most
// 1024 bytes), status, bytes_in, bytes_out, upstream_ms, total_ms. Strings are JSON-escaped.
// The line lives in a buffer of the calling thread: valid until its next call.
std::string_view access_log_line(const access_entry& entry);

// The "access" logger: the registered one if the program configured it, else a new one
// on stdout that prints the message only. Its lines are buffered: whoever runs the server
// flushes them periodically (spdlog::flush_every) and calls flush_access_log() on exit.
std::shared_ptr<spdlog::logger> access_logger();

// Writes out the access log lines still buffered (at shutdown; safe to call any time).
void flush_access_log();

}  // namespace jtgw::http
