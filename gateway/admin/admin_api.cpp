#include "gateway/admin/admin_api.hpp"

#include "gateway/admin/admin_json.hpp"
#include "gateway/http/error_response.hpp"
#include "storage/audit_log.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>

#include <charconv>
#include <filesystem>
#include <map>
#include <vector>

namespace jtgw::admin {
namespace {

namespace json = boost::json;
using beast::http::status;
using beast::http::verb;

// A matched request: path parameters, query parameters (decoded) and the body.
struct route_args {
  std::map<std::string, std::string, std::less<>> path;
  std::map<std::string, std::string, std::less<>> query;
  std::string_view body;
  std::string_view actor;  // recorded in audit events

  std::optional<std::string_view> param(std::string_view name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

// A failed request: its status and message, turned into the JSON error body once.
struct failure {
  status code;
  std::string error;
  std::string message;
};
using answer = std::variant<json::value, failure>;

failure bad_request(std::string message) { return {status::bad_request, "bad_request", std::move(message)}; }
failure store_failure(const boost::system::error_code& ec) {
  return {status::internal_server_error, "store_error", "the token store failed: " + ec.message()};
}

storage::clock_time now() { return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()); }

std::optional<std::size_t> parse_count(std::string_view text, std::size_t max) {
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value == 0 || value > max) return std::nullopt;
  return value;
}

void audit(storage::token_store& store, const route_args& args, std::string_view kind, std::string user,
           std::string token_id, std::string detail) {
  storage::audit_event event;
  event.kind = kind;
  event.actor = args.actor;
  event.user = std::move(user);
  event.token_id = std::move(token_id);
  event.detail = std::move(detail);
  // The operation is done; a failed audit write is logged by record_audit and must not
  // make the admin believe it failed.
  (void)storage::record_audit(store, std::move(event));
}

std::optional<json::object> parse_body_object(std::string_view body) {
  boost::system::error_code ec;
  auto value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

answer list_tokens(storage::token_store& store, const route_args& args) {
  auto policy = store.get_policy();
  if (!policy) return store_failure(policy.error());
  json::array tokens;
  std::string next_cursor;
  if (auto user = args.param("user")) {
    if (user->empty()) return bad_request("user must not be empty");
    auto records = store.list_by_user(*user);
    if (!records) return store_failure(records.error());
    for (const auto& record : *records) tokens.push_back(token_json(record, *policy));
  } else {
    std::size_t limit = default_token_page;
    if (auto text = args.param("limit")) {
      auto parsed = parse_count(*text, storage::max_page_limit);
      if (!parsed) return bad_request("limit must be 1 to " + std::to_string(storage::max_page_limit));
      limit = *parsed;
    }
    auto page = store.list_all(args.param("cursor").value_or(""), limit);
    if (!page) {
      if (page.error() == storage::store_error::invalid_argument) return bad_request("the cursor is malformed");
      return store_failure(page.error());
    }
    for (const auto& record : page->records) tokens.push_back(token_json(record, *policy));
    next_cursor = std::move(page->next_cursor);
  }
  return json::object{{"tokens", std::move(tokens)}, {"next_cursor", next_cursor}};
}

answer revoke_token(storage::token_store& store, const route_args& args) {
  const std::string& id = args.path.find("id")->second;
  auto revoked = store.revoke(id);
  if (!revoked) {
    if (revoked.error() == storage::store_error::not_found)
      return failure{status::not_found, "not_found", "no token has the id " + id};
    return store_failure(revoked.error());
  }
  audit(store, args, storage::audit_kind::token_revoked, revoked->user, revoked->id, "");
  return json::object{{"revoked", revoked->id}, {"user", revoked->user}, {"label", revoked->label}};
}

answer revoke_user(storage::token_store& store, const route_args& args) {
  const std::string& user = args.path.find("user")->second;
  auto count = store.revoke_user(user);
  if (!count) return store_failure(count.error());
  audit(store, args, storage::audit_kind::user_revoked, user, "", "count=" + std::to_string(*count));
  return json::object{{"user", user}, {"revoked", *count}};
}

json::object policy_json(const std::optional<storage::lifetime_policy>& policy) {
  if (!policy) return {{"max_days", nullptr}, {"set_at", nullptr}};
  return {{"max_days", policy->max_days}, {"set_at", time_json(policy->set_at)}};
}

answer get_policy(storage::token_store& store, const route_args&) {
  auto policy = store.get_policy();
  if (!policy) return store_failure(policy.error());
  return policy_json(*policy);
}

answer set_policy(storage::token_store& store, const route_args& args) {
  auto body = parse_body_object(args.body);
  const json::value* days = body ? body->if_contains("max_days") : nullptr;
  if (!days || !days->is_int64() || days->as_int64() < 1 || days->as_int64() > max_policy_days)
    return bad_request("the body must be {\"max_days\": N} with N from 1 to " + std::to_string(max_policy_days));
  const storage::lifetime_policy policy{static_cast<std::uint32_t>(days->as_int64()), now()};
  if (auto set = store.set_policy(policy); !set) return store_failure(set.error());
  audit(store, args, storage::audit_kind::policy_set, "", "", "max_days=" + std::to_string(policy.max_days));
  return policy_json(policy);
}

answer clear_policy(storage::token_store& store, const route_args& args) {
  if (auto cleared = store.clear_policy(); !cleared) return store_failure(cleared.error());
  audit(store, args, storage::audit_kind::policy_cleared, "", "", "");
  return policy_json(std::nullopt);
}

answer query_audit(storage::token_store& store, const route_args& args) {
  storage::audit_query query;
  const auto at = now();
  for (auto [name, bound] : {std::pair{"since", &query.since}, std::pair{"until", &query.until}}) {
    if (auto text = args.param(name)) {
      *bound = parse_time(*text, at);
      if (!*bound) return bad_request(std::string(name) + " must be YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or an age like 12h");
    }
  }
  if (auto user = args.param("user")) query.user = std::string(*user);
  if (auto kind = args.param("kind")) query.kind = std::string(*kind);
  if (auto text = args.param("limit")) {
    auto limit = parse_count(*text, storage::max_audit_limit);
    if (!limit) return bad_request("limit must be 1 to " + std::to_string(storage::max_audit_limit));
    query.limit = *limit;
  }
  auto events = store.query_audit(query);
  if (!events) return store_failure(events.error());
  json::array out;
  for (const auto& event : *events) out.push_back(event_json(event));
  return json::object{{"events", std::move(out)}};
}

answer backup(storage::token_store& store, const route_args& args) {
  auto body = parse_body_object(args.body);
  const json::value* dir_value = body ? body->if_contains("dir") : nullptr;
  if (!dir_value || !dir_value->is_string() || dir_value->as_string().empty())
    return bad_request("the body must be {\"dir\": \"/absolute/path\"}");
  const std::filesystem::path dir(std::string(dir_value->as_string()));
  // Relative to what? The service's working directory means nothing to the admin.
  if (!dir.is_absolute()) return bad_request("the backup directory must be an absolute path");
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(dir, ec)))
    return failure{status::conflict, "exists", dir.string() + " already exists; name a new directory"};
  if (auto done = store.backup_to(dir); !done)
    return failure{status::internal_server_error, "backup_failed",
                   "cannot back up to " + dir.string() + " (does its parent exist, and may jtgw write there?): " +
                       done.error().message()};
  audit(store, args, storage::audit_kind::backup, "", "", "dir=" + dir.string());
  return json::object{{"backup", dir.string()}};
}

using route_function = answer (*)(storage::token_store&, const route_args&);

struct route_entry {
  admin_route route;
  route_function handle;
};

// The one table: admin_routes() exposes its first columns.
const route_entry routes[] = {
    {{verb::get, "/tokens", "list tokens (all, paged with cursor/limit, or ?user=)", "/tokens?limit=10", ""}, list_tokens},
    {{verb::delete_, "/tokens/{id}", "revoke one token", "/tokens/tok-example", ""}, revoke_token},
    {{verb::delete_, "/users/{user}/tokens", "revoke every token of a user", "/users/alice/tokens", ""}, revoke_user},
    {{verb::get, "/policy", "show the max-lifetime policy", "/policy", ""}, get_policy},
    {{verb::put, "/policy", "set the max lifetime in days", "/policy", R"({"max_days": 10})"}, set_policy},
    {{verb::delete_, "/policy", "clear the max-lifetime policy", "/policy", ""}, clear_policy},
    {{verb::get, "/audit", "query the audit log (since/until/user/kind/limit)", "/audit?since=7d&limit=10", ""}, query_audit},
    {{verb::post, "/backup", "back up the store to a new directory", "/backup", R"({"dir": "/nonexistent-parent/backup"})"}, backup},
};

const std::vector<admin_route>& route_table() {
  static const std::vector<admin_route> table = [] {
    std::vector<admin_route> out;
    for (const auto& entry : routes) out.push_back(entry.route);
    return out;
  }();
  return table;
}

// Matches decoded path segments against a pattern, filling {parameters}.
bool match(std::string_view pattern, const std::vector<std::string>& segments, route_args& args) {
  std::size_t i = 0;
  // Patterns are ours and plain: "/a/{b}/c" split at '/' (braces are not URL characters).
  for (std::size_t start = 1; start <= pattern.size();) {
    std::size_t end = pattern.find('/', start);
    if (end == std::string_view::npos) end = pattern.size();
    const std::string_view p = pattern.substr(start, end - start);
    start = end + 1;
    if (i == segments.size()) return false;
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (segments[i].empty()) return false;
      args.path[std::string(p.substr(1, p.size() - 2))] = segments[i];
    } else if (p != segments[i]) {
      return false;
    }
    ++i;
  }
  return i == segments.size();
}

admin_response json_response(status code, const json::value& body, unsigned version) {
  admin_response response{code, version};
  response.set(beast::http::field::content_type, "application/json");
  response.body() = json::serialize(body);
  response.body() += '\n';
  return response;
}

}  // namespace

std::span<const admin_route> admin_routes() noexcept { return route_table(); }

admin_response admin_api::handle(const admin_request& request, std::string_view actor) {
  const unsigned version = request.version();
  auto target = boost::urls::parse_origin_form(request.target());
  if (!target) return http::json_error_response(status::bad_request, "bad_request", "the request target is malformed", version);

  std::vector<std::string> segments;
  for (auto segment : target->segments()) segments.push_back(segment);
  route_args args;
  for (auto param : target->params()) args.query[param.key] = param.value;
  args.body = request.body();
  args.actor = actor;

  bool path_known = false;
  for (const auto& entry : routes) {
    route_args matched = args;
    if (!match(entry.route.pattern, segments, matched)) continue;
    path_known = true;
    if (entry.route.method != request.method()) continue;
    auto result = entry.handle(store_, matched);
    if (auto* failed = std::get_if<failure>(&result))
      return http::json_error_response(failed->code, failed->error, failed->message, version);
    return json_response(status::ok, std::get<json::value>(result), version);
  }
  if (path_known)
    return http::json_error_response(status::method_not_allowed, "method_not_allowed",
                                     "that method is not allowed on this path", version);
  return http::json_error_response(status::not_found, "not_found", "no admin route has this path", version);
}

}  // namespace jtgw::admin
