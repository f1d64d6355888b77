#include "gateway/portal/portal_service.hpp"

#include "gateway/http/access_log.hpp"
#include "gateway/portal/api_support.hpp"
#include "gateway/portal/assets.hpp"

#include <spdlog/spdlog.h>

namespace jtgw::portal {

namespace {

namespace bh = beast::http;

// Route labels for the access log and metrics: fixed words, never paths.
constexpr std::string_view route_page = "portal_page";
constexpr std::string_view route_asset = "portal_asset";
constexpr std::string_view route_api = "portal_api";

constexpr std::string_view assets_prefix = "/assets/";
constexpr std::string_view token_prefix = "/api/tokens/";

bool read_only(bh::verb method) noexcept { return method == bh::verb::get || method == bh::verb::head; }

http::string_response method_not_allowed(std::string_view allow, unsigned version) {
  auto response = api_error(bh::status::method_not_allowed, "method_not_allowed",
                            "this method is not allowed here; allowed: " + std::string(allow), version);
  response.set(bh::field::allow, allow);
  return response;
}

}  // namespace

storage::clock_time now_ms() noexcept {
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

bool is_portal_path(std::string_view path) noexcept {
  return path == "/" || path.starts_with(assets_prefix) || path == "/api" || path.starts_with("/api/");
}

portal_service::portal_service(portal_parts parts)
    : parts_(std::move(parts)), sessions_(parts_.sessions), jira_(parts_.pool, parts_.flavor) {}

net::awaitable<void> portal_service::handle(http::exchange& ex) {
  const std::string_view path = http::path_without_query(ex.request().target());
  if (path == "/api" || path.starts_with("/api/")) {
    ex.record().route = route_api;
    co_await handle_api(ex, path);
    co_return;
  }
  ex.record().route = path == "/" ? route_page : route_asset;
  auto response = serve_asset(ex, path);
  co_await ex.write(response);
}

http::string_response portal_service::serve_asset(const http::exchange& ex, std::string_view path) const {
  const unsigned version = ex.request().version();
  if (!read_only(ex.request().method())) return method_not_allowed("GET, HEAD", version);
  const std::string_view name = path == "/" ? std::string_view("index.html") : path.substr(assets_prefix.size());
  // Bare script, style and icon names only under /assets/ ("/assets/../x", "/assets/a/b"
  // and the embedded .tds template name nothing); the page itself is "/".
  const bool servable = path == "/" || (name.find('/') == std::string_view::npos &&
                                        (name.ends_with(".js") || name.ends_with(".css") || name.ends_with(".svg")));
  const asset* file = servable ? find_asset(name) : nullptr;
  if (file == nullptr) {
    return api_error(bh::status::not_found, "not_found", "no such page", version);
  }
  http::string_response response{bh::status::ok, version};
  response.set(bh::field::content_type, file->content_type);
  add_page_headers(response);
  response.body() = std::string(file->bytes);
  return response;
}

std::optional<portal_service::signed_in> portal_service::session_of(const http::exchange& ex, storage::clock_time now) {
  const auto cookie = cookie_value(ex.request(), session_cookie_name(ex.peer().tls));
  if (!cookie) return std::nullopt;
  auto view = sessions_.find(*cookie, now);
  if (!view) return std::nullopt;
  return signed_in{std::string(*cookie), std::move(*view)};
}

net::awaitable<void> portal_service::handle_api(http::exchange& ex, std::string_view path) {
  const auto& request = ex.request();
  const unsigned version = request.version();
  const auto method = request.method();
  const auto who = session_of(ex, now_ms());
  if (who) ex.record().user = who->view.user;

  // The checks every state-changing call passes, in this order: signed in (401), from
  // this site (403), carrying the session's CSRF token (403).
  auto refuse_change = [&]() -> std::optional<http::string_response> {
    if (!who) return api_error(bh::status::unauthorized, "not_signed_in", "sign in first", version);
    if (!same_origin(request)) {
      return api_error(bh::status::forbidden, "cross_origin", "requests from other sites are refused", version);
    }
    if (!csrf_matches(who->view, request["X-CSRF-Token"])) {
      return api_error(bh::status::forbidden, "csrf", "the X-CSRF-Token header is missing or wrong; reload the page",
                       version);
    }
    return std::nullopt;
  };
  auto not_signed_in = [&] { return api_error(bh::status::unauthorized, "not_signed_in", "sign in first", version); };

  http::string_response response;
  if (path == "/api/session") {
    if (read_only(method)) {
      response = who ? session_status(ex, *who) : not_signed_in();
    } else if (method == bh::verb::post) {
      response = co_await sign_in(ex);
    } else if (method == bh::verb::delete_) {
      // Signing out without a session just clears the cookie; with one, CSRF applies.
      auto refused = who ? refuse_change() : std::nullopt;
      response = refused ? std::move(*refused) : sign_out(ex, who);
    } else {
      response = method_not_allowed("GET, HEAD, POST, DELETE", version);
    }
  } else if (path == "/api/tokens") {
    if (read_only(method)) {
      response = who ? list_tokens(ex, *who) : not_signed_in();
    } else if (method == bh::verb::post) {
      if (auto refused = refuse_change()) {
        response = std::move(*refused);
      } else if (!is_json_content_type(request)) {
        response = api_error(bh::status::unsupported_media_type, "unsupported_media_type",
                             "send the body as Content-Type: application/json", version);
      } else if (ex.parser().content_length().value_or(0) > max_api_body) {
        response = api_error(bh::status::payload_too_large, "body_too_large",
                             "the body may be at most " + std::to_string(max_api_body) + " bytes", version);
      } else if (auto body = co_await ex.read_body(); !body || body->size() > max_api_body) {
        response = api_error(body ? bh::status::payload_too_large : bh::status::bad_request, "bad_body",
                             "the request body could not be read, or it is too large", version);
      } else {
        response = create_token(ex, *who, *body);
      }
    } else {
      response = method_not_allowed("GET, HEAD, POST", version);
    }
  } else if (path.starts_with(token_prefix)) {
    if (method != bh::verb::delete_) {
      response = method_not_allowed("DELETE", version);
    } else if (auto refused = refuse_change()) {
      response = std::move(*refused);
    } else {
      response = revoke_token(ex, *who, path.substr(token_prefix.size()));
    }
  } else if (path == "/api/tableau.tds") {
    if (!read_only(method)) {
      response = method_not_allowed("GET, HEAD", version);
    } else {
      response = who ? tableau_source(ex, *who) : not_signed_in();
    }
  } else {
    response = api_error(bh::status::not_found, "not_found", "no such API resource", version);
  }
  co_await ex.write(response);
}

void portal_service::audit(std::string_view kind, std::string_view user, std::string_view token_id,
                           std::string_view detail) {
  const storage::audit_event event{
      .at = now_ms(), .kind = std::string(kind), .actor = std::string(user), .user = std::string(user),
      .token_id = std::string(token_id), .detail = std::string(detail)};
  spdlog::info("audit {} user={} token={} {}", kind, user, token_id, detail);
  if (auto written = parts_.store.append_audit(event); !written) {
    spdlog::error("audit {} for {} not recorded: {}", kind, user, written.error().message());
  }
}

}  // namespace jtgw::portal
