// Sign-in, session status and sign-out of the portal API.
#include "auth/basic_credentials.hpp"
#include "auth/expiry.hpp"
#include "gateway/portal/api_support.hpp"
#include "gateway/portal/portal_service.hpp"
#include "gateway/portal/token_rules.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstring>

namespace jtgw::portal {

namespace {

namespace bh = beast::http;

std::string_view trim_blanks(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Wipes a buffer that held a secret when the scope ends, however it ends.
struct wipe_on_exit {
  void* data;
  std::size_t size;
  ~wipe_on_exit() { OPENSSL_cleanse(data, size); }
};

// The username as it will own tokens and as Tableau users type it as the Basic user-id:
// trimmed, UTF-8 without control characters, and without ':' (RFC 7617: a user-id with
// a colon cannot be sent in Basic). Returns the problem, or "" when fine.
std::string username_problem(std::string_view username) {
  if (username.empty()) return "enter your username";
  if (username.size() > max_username_bytes) {
    return "the username may be at most " + std::to_string(max_username_bytes) + " bytes long";
  }
  if (username.find(':') != std::string_view::npos) return "a username cannot contain ':'";
  if (auth::check_utf8_text(username) != auth::basic_error::ok) {
    return "the username must be UTF-8 text without control characters";
  }
  return {};
}

}  // namespace

net::awaitable<http::string_response> portal_service::sign_in(http::exchange& ex) {
  const auto& request = ex.request();
  const unsigned version = request.version();
  if (!same_origin(request)) {
    co_return api_error(bh::status::forbidden, "cross_origin", "requests from other sites are refused", version);
  }
  if (!is_json_content_type(request)) {
    co_return api_error(bh::status::unsupported_media_type, "unsupported_media_type",
                        "send the body as Content-Type: application/json", version);
  }
  if (ex.parser().content_length().value_or(0) > max_api_body) {
    co_return api_error(bh::status::payload_too_large, "body_too_large",
                        "the body may be at most " + std::to_string(max_api_body) + " bytes", version);
  }
  auto body = co_await ex.read_body();
  if (!body || body->size() > max_api_body) {
    co_return api_error(body ? bh::status::payload_too_large : bh::status::bad_request, "bad_body",
                        "the request body could not be read, or it is too large", version);
  }
  wipe_on_exit wipe_body{body->data(), body->size()};

  // The parsed JSON (the secret included) lives only in these two buffers, wiped on return.
  std::array<unsigned char, 4 * max_api_body> arena{};
  std::array<unsigned char, max_api_body> scratch{};
  wipe_on_exit wipe_arena{arena.data(), arena.size()};
  wipe_on_exit wipe_scratch{scratch.data(), scratch.size()};
  boost::json::monotonic_resource resource(arena.data(), arena.size());

  std::string username;
  auth::secret_buffer secret;
  {
    auto parsed = parse_json_object(*body, &resource, scratch);
    if (!parsed) co_return api_error(bh::status::bad_request, "bad_json", parsed.error(), version);
    if (auto extra = unknown_field(*parsed, {"username", "secret"})) {
      co_return api_error(bh::status::bad_request, "unknown_field", "unknown field \"" + *extra + "\"", version, *extra);
    }
    const auto* user_value = parsed->if_contains("username");
    const auto* secret_value = parsed->if_contains("secret");
    if (user_value == nullptr || !user_value->is_string()) {
      co_return api_error(bh::status::bad_request, "invalid_field", "username must be a string", version, "username");
    }
    username = std::string(trim_blanks(user_value->get_string()));
    if (auto problem = username_problem(username); !problem.empty()) {
      co_return api_error(bh::status::bad_request, "invalid_field", problem, version, "username");
    }
    if (secret_value == nullptr || !secret_value->is_string() || secret_value->get_string().empty()) {
      co_return api_error(bh::status::bad_request, "invalid_field", "enter your Jira API token or personal access token",
                          version, "secret");
    }
    const std::string_view text = secret_value->get_string();
    if (text.size() > max_secret_bytes) {
      co_return api_error(bh::status::bad_request, "invalid_field",
                          "the token may be at most " + std::to_string(max_secret_bytes) + " bytes long", version,
                          "secret");
    }
    secret = auth::secret_buffer(text.size());
    std::memcpy(secret.data(), text.data(), text.size());
  }

  const std::string& address = ex.peer().address;
  if (const auto wait = parts_.lockout.locked_for(username, address, now_ms())) {
    const auto seconds = std::chrono::ceil<std::chrono::seconds>(*wait);
    auto response = api_error(bh::status::too_many_requests, "locked_out",
                              "too many failed attempts; try again in " + std::to_string(seconds.count()) + " seconds",
                              version);
    response.set(bh::field::retry_after, std::to_string(std::max<long long>(seconds.count(), 1)));
    co_return response;
  }

  // Named arguments, not temporaries: g++ 12 may destroy temporaries in a co_await twice.
  std::string request_id = ex.request_id();
  auto verified = co_await jira_.verify(username, secret.view(), std::move(request_id));
  if (!verified) {
    const auto& failure = verified.error();
    switch (failure.kind) {
      case sign_in_failure::rejected:
      case sign_in_failure::other_user:
        parts_.lockout.record_failure(username, address, now_ms());
        audit("session.sign_in_failed", username, {}, failure.message + " from " + address);
        co_return api_error(bh::status::unauthorized, "wrong_credentials", failure.message, version);
      case sign_in_failure::throttled: {
        auto response = api_error(bh::status::service_unavailable, "jira_busy", failure.message, version);
        response.set(bh::field::retry_after, std::to_string(failure.retry_after.count()));
        co_return response;
      }
      case sign_in_failure::refused_request:
      case sign_in_failure::unreachable:
        break;
    }
    spdlog::warn("sign-in of {}: {}", username, failure.message);
    co_return api_error(bh::status::bad_gateway, "jira_unreachable",
                        "jtgw could not check your credentials with Jira: " + failure.message, version);
  }

  // Service mode acts with the service credential: the user's secret is not kept.
  if (!parts_.seal_key) secret = auth::secret_buffer{};
  auto session = sessions_.create(username, std::move(secret), now_ms());
  if (!session) {
    const bool full = session.error() == session_error::full;
    if (!full) spdlog::error("sign-in of {}: no random bytes for a session id", username);
    co_return api_error(bh::status::service_unavailable, full ? "too_many_sessions" : "internal_error",
                        full ? "too many people are signed in; try again later" : "jtgw could not start a session",
                        version);
  }
  ex.record().user = username;
  audit("session.sign_in", username, {}, "from " + address);

  boost::json::object answer;
  answer["csrf_token"] = session->view.csrf_token;
  answer["username"] = session->view.user;
  answer["expires_at"] = auth::to_rfc3339(session->view.expires_at);
  auto response = json_answer(bh::status::ok, answer, version);
  const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(sessions_.limits().lifetime);
  response.set(bh::field::set_cookie, session_cookie(ex.peer().tls, session->id, lifetime));
  co_return response;
}

http::string_response portal_service::session_status(const http::exchange& ex, const signed_in& who) const {
  const auto now = now_ms();
  boost::json::object answer;
  answer["username"] = who.view.user;
  answer["csrf_token"] = who.view.csrf_token;
  answer["expires_at"] = auth::to_rfc3339(who.view.expires_at);
  // What the create dialog may offer: today … the policy's limit (UTC).
  const auto policy = parts_.store.get_policy();
  const auto bounds = bounds_at(now, policy ? *policy : std::nullopt);
  answer["today"] = format_date(bounds.earliest);
  answer["max_expires"] = bounds.latest ? boost::json::value(format_date(*bounds.latest)) : nullptr;
  answer["max_days"] = bounds.max_days ? boost::json::value(*bounds.max_days) : nullptr;
  return json_answer(beast::http::status::ok, answer, ex.request().version());
}

http::string_response portal_service::sign_out(const http::exchange& ex, const std::optional<signed_in>& who) {
  if (who) {
    sessions_.remove(who->id);  // wipes the Jira secret
    spdlog::info("portal: {} signed out", who->view.user);
  }
  http::string_response response{bh::status::no_content, ex.request().version()};
  add_api_headers(response);
  response.set(bh::field::set_cookie, session_cookie(ex.peer().tls, "", std::chrono::seconds{0}));
  return response;
}

}  // namespace jtgw::portal
