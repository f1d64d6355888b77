#pragma once
// Sign-in verification against Jira's /myself, through the data layer's jira_client on
// the gateway's upstream pool. The credential checked is exactly the one the relay will
// later present for tokens created in the session (app::identity_builder):
//   Cloud:       GET /rest/api/3/myself, Basic username:secret (username = the
//                Atlassian account's email, secret = an API token). When Jira's answer
//                carries emailAddress, it must equal the username (ASCII case-insensitive).
//   Data Center: GET /rest/api/2/myself, Bearer secret (a personal access token). Jira's
//                "name" must equal the username (case-insensitive): the PAT names its
//                owner, and tokens must belong to that same person.
// Passwords are not tried on Data Center: the relay sends DC credentials as Bearer, so
// a token sealed around a password would fail on every request.
#include "gateway/config/config.hpp"
#include "gateway/http/net.hpp"
#include "gateway/jira/jira_client.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace jtgw::portal {

enum class sign_in_failure {
  rejected,         // Jira refused the credential (401, Seraph 403): answer 401, counts toward lockout
  other_user,       // the credential is good but belongs to someone else: 401, counts too
  unreachable,      // connect/TLS/timeout/5xx/garbage: answer 502
  throttled,        // Jira kept answering 429/503: answer 503 with Retry-After
  refused_request,  // another 4xx (e.g. 403 without a login reason): answer 502, with Jira's status
};

struct sign_in_error {
  sign_in_failure kind = sign_in_failure::unreachable;
  std::string message;  // for the client and the log; never a secret
  std::chrono::seconds retry_after{0};
};

class jira_sign_in {
 public:
  /// Uses `pool` (which must outlive it) with a short retry policy: sign-in is
  /// interactive, so one retry of a throttled answer at most.
  jira_sign_in(proxy::upstream_pool& pool, config::jira_flavor flavor);

  /// Asks Jira who `username` + `secret` are. Success: the credential works and names
  /// `username`. Failures as sign_in_failure says; never throws on I/O.
  net::awaitable<boost::system::result<void, sign_in_error>> verify(std::string_view username, std::string_view secret,
                                                                    std::string request_id);

  config::jira_flavor flavor() const noexcept { return flavor_; }

 private:
  jira::jira_client client_;
  config::jira_flavor flavor_;
};

}  // namespace jtgw::portal
