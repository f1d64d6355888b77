#pragma once
// An async Jira REST client on the gateway's upstream pool: one GET (or a POST with a JSON
// body), answered as parsed JSON or as a typed failure. It acts as the identity the caller built for the request
// (app::identity_builder: the user's own credential, or the service credential with
// X-Forwarded-User), waits out Jira's 429/503 (Retry-After, capped, then jittered
// exponential backoff, up to a limit), and reads bodies with a size limit.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/proxy/upstream_credential.hpp"
#include "gateway/proxy/upstream_pool.hpp"

namespace jtgw::jira {

/// Who the requests of one OData request go to Jira as. Copied into every fetch (fetches
/// may outlive the coroutine that started them by a cancellation's round trip).
struct jira_identity {
  proxy::upstream_credential credential;
  std::string forwarded_user;  // service mode: X-Forwarded-User; empty in user mode
  std::string request_id;      // X-Request-Id towards Jira, for correlating logs
};

struct retry_policy {
  int max_attempts = 5;                                  // first try included
  std::chrono::milliseconds max_retry_after{10'000};     // a longer Retry-After is capped
  std::chrono::milliseconds first_backoff{200};          // without Retry-After: doubles per retry
  std::chrono::milliseconds max_backoff{5'000};
  std::size_t max_body_bytes = 64 * 1024 * 1024;         // one Jira response
  std::size_t max_request_bytes = 256 * 1024;            // one POST body we send
};

enum class failure_kind {
  unreachable,          // DNS, connect, TLS, or the connection broke: 502
  timeout,              // connect or response timeout: 504
  throttled,            // 429/503 still after max_attempts: 503 with retry_after
  credential_rejected,  // 401 (or Seraph's login-failed 403): the credential is refused
  client_error,         // another 4xx (400, 403, 404): Jira refuses this request
  server_error,         // another status: 502
  too_large,            // the body exceeds max_body_bytes (or ours max_request_bytes): 502
  bad_json,             // not JSON: 502
  cancelled,            // the fetch was cancelled (the client went away)
};

struct jira_failure {
  failure_kind kind = failure_kind::unreachable;
  unsigned status = 0;                      // Jira's status when it answered
  std::chrono::seconds retry_after{0};      // throttled: what to tell the client
  std::string message;                      // for logs and error bodies; never a secret
};

/// The Retry-After header's delay (delta-seconds or an HTTP-date), or nullopt.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

/// Jira's own error text from an error body ({"errorMessages":[…],"errors":{…}}), cut to
/// 300 bytes; "" when there is none.
std::string jira_error_text(std::string_view body);

class jira_client {
 public:
  jira_client(proxy::upstream_pool& pool, retry_policy policy = {});

  /// GETs `target` (origin-form, without the base path: "/rest/api/3/field") as `who`
  /// and parses the 2xx body into `storage` (a 100-issue page is thousands of nodes: an
  /// arena such as jira_page's saves an allocation and a free per node). Failures as
  /// failure_kind says; never throws on I/O.
  /// Cancellable through the awaiting coroutine's cancellation slot.
  net::awaitable<boost::system::result<boost::json::value, jira_failure>> get_json(
      std::string target, const jira_identity& who, boost::json::storage_ptr storage = {});

  /// POSTs the JSON text `body` (Content-Type: application/json) to `target`, as get_json
  /// does a GET: same identity, retries (a POST jtgw sends only reads, so a retry is
  /// safe), limits and failures. A body over policy().max_request_bytes is not sent: too_large.
  net::awaitable<boost::system::result<boost::json::value, jira_failure>> post_json(std::string target,
                                                                                    std::string body,
                                                                                    const jira_identity& who);

  const retry_policy& policy() const noexcept { return policy_; }
  proxy::upstream_pool& pool() noexcept { return pool_; }

 private:
  net::awaitable<boost::system::result<boost::json::value, jira_failure>> exchange(beast::http::verb verb,
                                                                                   std::string target, std::string body,
                                                                                   const jira_identity& who,
                                                                                   boost::json::storage_ptr storage);

  proxy::upstream_pool& pool_;
  retry_policy policy_;
};

}  // namespace jtgw::jira
