#include "gateway/portal/jira_sign_in.hpp"

#include "storage/meta_codec.hpp"

#include <boost/json.hpp>

namespace jtgw::portal {

namespace {

jira::retry_policy sign_in_policy() {
  jira::retry_policy policy;
  policy.max_attempts = 2;
  policy.max_retry_after = std::chrono::seconds{2};
  policy.first_backoff = std::chrono::milliseconds{200};
  policy.max_backoff = std::chrono::seconds{1};
  policy.max_body_bytes = 256 * 1024;  // /myself is a few hundred bytes plus groups
  return policy;
}

sign_in_error failure_of(const jira::jira_failure& failure) {
  using jira::failure_kind;
  switch (failure.kind) {
    case failure_kind::credential_rejected:
      return {sign_in_failure::rejected, "Jira did not accept this username and token", {}};
    case failure_kind::throttled:
      return {sign_in_failure::throttled, "Jira is busy (rate limited); try again shortly",
              std::max(failure.retry_after, std::chrono::seconds{1})};
    case failure_kind::client_error:
      return {sign_in_failure::refused_request,
              "Jira refused the sign-in check with HTTP " + std::to_string(failure.status), {}};
    default:
      return {sign_in_failure::unreachable, "Jira could not be reached: " + failure.message, {}};
  }
}

std::string_view string_field(const boost::json::value& body, std::string_view key) {
  const auto* object = body.if_object();
  if (object == nullptr) return {};
  const auto* field = object->if_contains(key);
  if (field == nullptr || !field->is_string()) return {};
  return field->get_string();
}

}  // namespace

jira_sign_in::jira_sign_in(proxy::upstream_pool& pool, config::jira_flavor flavor)
    : client_(pool, sign_in_policy()), flavor_(flavor) {}

net::awaitable<boost::system::result<void, sign_in_error>> jira_sign_in::verify(std::string_view username,
                                                                                std::string_view secret,
                                                                                std::string request_id) {
  const bool cloud = flavor_ == config::jira_flavor::cloud;
  jira::jira_identity who{
      .credential = cloud ? proxy::upstream_credential::basic(username, secret)
                          : proxy::upstream_credential::bearer(secret),
      .forwarded_user = {},
      .request_id = std::move(request_id),
  };
  // A named argument, not a temporary: g++ 12 may destroy temporaries in a co_await twice.
  std::string target = cloud ? "/rest/api/3/myself" : "/rest/api/2/myself";
  auto answer = co_await client_.get_json(std::move(target), who);
  if (!answer) co_return failure_of(answer.error());

  // Cloud may hide emailAddress (profile visibility): then Jira's acceptance of
  // email:token is the proof. Data Center always names the PAT's owner.
  const std::string_view named = string_field(*answer, cloud ? "emailAddress" : "name");
  if (!cloud && named.empty()) {
    co_return sign_in_error{sign_in_failure::unreachable, "Jira's /myself answer names no user", {}};
  }
  if (!named.empty() && !storage::equal_folded(named, username)) {
    co_return sign_in_error{sign_in_failure::other_user,
                            cloud ? "this API token belongs to another Atlassian account than the email given"
                                  : "this personal access token belongs to another Jira user than the username given",
                            {}};
  }
  co_return boost::system::result<void, sign_in_error>{};
}

}  // namespace jtgw::portal
