// The token calls of the portal API: list, create, revoke, and the Tableau data source.
#include "auth/expiry.hpp"
#include "auth/token_digest.hpp"
#include "auth/token_format.hpp"
#include "gateway/http/error_response.hpp"
#include "gateway/portal/api_support.hpp"
#include "gateway/portal/assets.hpp"
#include "gateway/portal/portal_service.hpp"
#include "gateway/portal/tableau_tds.hpp"
#include "gateway/portal/token_rules.hpp"
#include "storage/meta_codec.hpp"

#include <boost/json/array.hpp>
#include <boost/url/parse.hpp>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace jtgw::portal {

namespace {

namespace bh = beast::http;

boost::json::value time_or_null(const std::optional<storage::clock_time>& t) {
  return t ? boost::json::value(auth::to_rfc3339(*t)) : boost::json::value(nullptr);
}

// One token as the API shows it: never the secret or its digest.
//   created    RFC 3339 (UTC, ms) or null for legacy records
//   expires    the token's own expiry date "YYYY-MM-DD" (valid through that UTC day) or null
//   expires_at the instant it stops working, own expiry capped by the admin's policy, or null
//   last_used  RFC 3339 or null
boost::json::object token_json(const storage::token_record& record,
                               const std::optional<storage::lifetime_policy>& policy) {
  boost::json::object token;
  token["id"] = record.id;
  token["label"] = record.label;
  token["created"] = time_or_null(record.created);
  token["expires"] = record.expires ? boost::json::value(format_date(*record.expires)) : nullptr;
  token["expires_at"] = time_or_null(auth::effective_expiry(record, policy));
  token["last_used"] = time_or_null(record.last_used);
  return token;
}

http::string_response store_failed(std::string_view what, const boost::system::error_code& ec, unsigned version) {
  spdlog::error("portal: {}: token store failure: {}", what, ec.message());
  return api_error(bh::status::service_unavailable, "store_error", "the token store is not available; try again later",
                   version);
}

}  // namespace

http::string_response portal_service::list_tokens(const http::exchange& ex, const signed_in& who) const {
  const unsigned version = ex.request().version();
  const auto policy = parts_.store.get_policy();
  if (!policy) return store_failed("list", policy.error(), version);
  const auto records = parts_.store.list_by_user(who.view.user);
  if (!records) return store_failed("list", records.error(), version);
  boost::json::array tokens;
  for (const auto& record : *records) tokens.push_back(token_json(record, *policy));
  return json_answer(bh::status::ok, tokens, version);
}

http::string_response portal_service::create_token(http::exchange& ex, const signed_in& who, std::string_view body) {
  const unsigned version = ex.request().version();
  auto parsed = parse_json_object(body, {});
  if (!parsed) return api_error(bh::status::bad_request, "bad_json", parsed.error(), version);
  if (auto extra = unknown_field(*parsed, {"label", "expires"})) {
    return api_error(bh::status::bad_request, "unknown_field", "unknown field \"" + *extra + "\"", version, *extra);
  }
  auto invalid = [&](const field_error& e) {
    return api_error(bh::status::bad_request, "invalid_field", e.message, version, e.field);
  };

  const auto* label_value = parsed->if_contains("label");
  if (label_value != nullptr && !label_value->is_string()) return invalid({"label", "the label must be a string"});
  auto label = check_label(label_value != nullptr ? std::string_view(label_value->get_string()) : std::string_view{});
  if (!label) return invalid(label.error());

  const auto* expires_value = parsed->if_contains("expires");
  if (expires_value != nullptr && !expires_value->is_string() && !expires_value->is_null()) {
    return invalid({"expires", "expires must be a date string \"YYYY-MM-DD\" or null"});
  }
  const auto now = now_ms();
  const auto policy = parts_.store.get_policy();
  if (!policy) return store_failed("create", policy.error(), version);
  auto expires = check_expiry(expires_value != nullptr && expires_value->is_string()
                                  ? std::optional<std::string_view>(expires_value->get_string())
                                  : std::nullopt,
                              bounds_at(now, *policy));
  if (!expires) return invalid(expires.error());

  storage::token_record record;
  record.version = 2;
  record.user = who.view.user;
  record.label = std::move(*label);
  record.created = now;
  record.expires = *expires;
  if (parts_.seal_key) {
    auto sealed = sessions_.seal_secret(who.id, *parts_.seal_key, now);
    if (!sealed) return api_error(bh::status::unauthorized, "not_signed_in", "your session ended; sign in again", version);
    if (!*sealed) {
      spdlog::error("portal: sealing the Jira credential of {} failed: {}", who.view.user, sealed->error().message());
      return api_error(bh::status::internal_server_error, "internal_error", "jtgw could not protect your Jira credential",
                       version);
    }
    record.sealed_credential = std::move(**sealed);
  }

  std::string token;
  try {
    token = auth::generate_token();
    record.id = auth::generate_token_id();
  } catch (const std::runtime_error& e) {  // the RNG failed: never issue a weak token
    spdlog::error("portal: no random bytes for a token: {}", e.what());
    return api_error(bh::status::internal_server_error, "internal_error", "jtgw could not create a token", version);
  }
  record.digest = auth::digest_of(token);

  if (auto created = parts_.store.create(record); !created) {
    OPENSSL_cleanse(token.data(), token.size());
    if (created.error() == storage::store_error::duplicate_label) {
      return api_error(bh::status::conflict, "duplicate_label",
                       "you already have a token labelled \"" + record.label + "\" (labels are compared ignoring case)",
                       version, "label");
    }
    return store_failed("create", created.error(), version);
  }
  audit("token.create", record.user, record.id,
        "label=\"" + record.label + "\" expires=" + (record.expires ? format_date(*record.expires) : "never"));

  auto answer = token_json(record, *policy);
  answer.erase("last_used");
  answer["token"] = token;  // the only time it is ever shown
  OPENSSL_cleanse(token.data(), token.size());
  return json_answer(bh::status::created, answer, version);
}

http::string_response portal_service::revoke_token(http::exchange& ex, const signed_in& who, std::string_view id) {
  const unsigned version = ex.request().version();
  auto not_found = [&] {
    return api_error(bh::status::not_found, "not_found", "you have no token with this id", version);
  };
  if (id.empty() || id.size() > storage::max_id_bytes) return not_found();
  // Someone else's token answers exactly like a missing one: ids are not an oracle.
  auto record = parts_.store.find_by_id(id);
  if (!record) {
    return record.error() == storage::store_error::not_found ? not_found()
                                                             : store_failed("revoke", record.error(), version);
  }
  if (!storage::equal_folded(record->user, who.view.user)) return not_found();
  if (auto removed = parts_.store.revoke(id); !removed) {
    return removed.error() == storage::store_error::not_found ? not_found()
                                                              : store_failed("revoke", removed.error(), version);
  }
  ex.record().token_id = record->id;
  audit("token.revoke", who.view.user, record->id, "by owner, label=\"" + record->label + "\"");
  http::string_response response{bh::status::no_content, version};
  add_api_headers(response);
  return response;
}

http::string_response portal_service::tableau_source(const http::exchange& ex, const signed_in& who) const {
  const unsigned version = ex.request().version();
  // The URL the browser reached us at is the one Tableau should use too.
  const std::string_view host = ex.request()[bh::field::host];
  const auto authority = boost::urls::parse_authority(host);
  if (host.empty() || !authority || authority->has_userinfo()) {
    return api_error(bh::status::bad_request, "bad_host", "the Host header is missing or malformed", version);
  }
  const std::string odata_url = std::string(ex.peer().tls ? "https://" : "http://") + std::string(host) + "/odata/";
  const asset* shipped = find_asset("jira.tds");
  auto tds = shipped != nullptr ? tableau_tds(shipped->bytes, odata_url, who.view.user) : std::nullopt;
  if (!tds) {
    spdlog::error("portal: the embedded connector-manifest/jira.tds lacks its GATEWAY/YOUR_JIRA_USERNAME placeholders");
    return api_error(bh::status::internal_server_error, "internal_error", "the data source template is broken", version);
  }
  auto response = http::text_response(bh::status::ok, "application/xml; charset=utf-8", std::move(*tds), version);
  add_api_headers(response);
  response.set(bh::field::content_disposition, "attachment; filename=\"" + std::string(tds_file_name) + "\"");
  return response;
}

}  // namespace jtgw::portal
