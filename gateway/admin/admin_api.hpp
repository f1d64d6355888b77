#pragma once
// The admin API: JSON over HTTP/1.1, served only on the admin unix socket (whose file
// permissions are the admin check; see admin_server.hpp). Every route is in one table,
// admin_routes(), which the help text and the tests read. No route creates a token:
// tokens are created only by their owners on the portal (DESIGN.md, Token lifecycle).
//
// Routes (bodies and answers are JSON; errors are {"error": CODE, "message": TEXT}):
//   GET    /tokens?user=&cursor=&limit=   token metadata, never secrets or digests;
//                                        without user: one page of all tokens and
//                                        next_cursor ("" on the last page)
//   DELETE /tokens/{id}                  revoke one token          (audit token.revoke)
//   DELETE /users/{user}/tokens          revoke all of a user's    (audit token.revoke_user)
//   GET    /policy                       {"max_days": N|null, "set_at": TIME|null}
//   PUT    /policy  {"max_days": N}      set the max lifetime      (audit policy.set)
//   DELETE /policy                       clear it                  (audit policy.clear)
//   GET    /audit?since=&until=&user=&kind=&limit=   events, oldest first
//   POST   /backup  {"dir": "/abs/path"} consistent copy while serving (audit store.backup)
#include "gateway/http/net.hpp"
#include "storage/audit_log.hpp"
#include "storage/token_store.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include <span>
#include <string_view>

namespace jtgw::admin {

using admin_request = beast::http::request<beast::http::string_body>;
using admin_response = beast::http::response<beast::http::string_body>;

/// Bounds on what one request may ask for.
inline constexpr std::size_t default_token_page = 500;
inline constexpr std::uint32_t max_policy_days = 36'500;  // 100 years: beyond it, clear the policy

/// One row of the route table. The examples are a plausible request for that route:
/// `jtgw` prints them in help, and the route tests send each one.
struct admin_route {
  beast::http::verb method;
  std::string_view pattern;  // segments in {braces} are parameters (percent-decoded)
  std::string_view summary;
  std::string_view example_target;
  std::string_view example_body;
};

/// Every route the admin API serves, in matching order.
std::span<const admin_route> admin_routes() noexcept;

/// Answers admin requests against one store. Thread-safe as the store is.
class admin_api {
 public:
  /// The store must outlive the API.
  explicit admin_api(storage::token_store& store) noexcept : store_(store) {}

  /// Answers one request. Never throws except std::bad_alloc: bad input is a 400, an
  /// unknown route 404 (405 when only the method is wrong), a missing token 404, a
  /// backup directory that exists 409, a store failure 500 (its message names it).
  /// Keep-alive and Content-Length are left to the caller. `actor` names who asked (the
  /// socket peer, e.g. "admin uid=1000 (ann)"); it is recorded in audit events.
  admin_response handle(const admin_request& request, std::string_view actor = storage::admin_actor);

 private:
  storage::token_store& store_;
};

}  // namespace jtgw::admin
