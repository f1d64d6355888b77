#pragma once
// The client side of the admin socket, for `jtgw tokens|policy|audit|backup`: one
// request, one JSON answer, every step under a deadline.
#include <boost/beast/http/verb.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <filesystem>
#include <string>

namespace jtgw::admin {

struct admin_reply {
  unsigned status = 0;       // HTTP status
  boost::json::value body;   // the parsed JSON answer
};

/// Why a call got no answer, in words for the operator.
struct admin_call_error {
  std::string message;
};
/// result<…, admin_call_error>::value() throws std::runtime_error with the message.
[[noreturn]] void throw_exception_from_error(const admin_call_error& e, const boost::source_location& loc);

/// Connects to `socket`, sends `method target` with `body` (JSON when not empty), and
/// reads the answer within `timeout` overall. Any HTTP status is a success (the body
/// says what went wrong). Errors, each a plain sentence naming the socket:
/// "no jtgw is listening on SOCKET" (missing file, or refused), "permission denied on
/// SOCKET: …" (not in jtgw's group), a timeout, a closed connection, a non-JSON answer.
boost::system::result<admin_reply, admin_call_error> call_admin(const std::filesystem::path& socket,
                                                                boost::beast::http::verb method,
                                                                const std::string& target, const std::string& body,
                                                                std::chrono::milliseconds timeout);

}  // namespace jtgw::admin
