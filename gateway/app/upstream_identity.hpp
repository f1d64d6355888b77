#pragma once
// Who jtgw is towards Jira for one request, built from the authenticated principal.
//
// auth = "user": the principal's sealed Jira credential, unsealed in memory for this
// request only (Cloud: Basic email:api_token with the username as the email; Data
// Center: Bearer personal access token). auth = "service": one service credential for
// everybody, with the user named in X-Forwarded-User.
#include "auth/authenticator.hpp"
#include "auth/sealing.hpp"
#include "gateway/config/config.hpp"
#include "gateway/proxy/upstream_credential.hpp"

#include <boost/system/result.hpp>

#include <memory>
#include <optional>
#include <string>

namespace jtgw::app {

struct upstream_identity {
  proxy::upstream_credential credential;
  // Service mode: Jira acts for the authenticated user, named in X-Forwarded-User. The
  // caller names them from where it keeps the name already (the exchange's record), so
  // no request copies it once more.
  bool acts_for_user = false;
};

enum class identity_error {
  no_credential = 1,  // user mode, and the token carries no sealed Jira credential
  unseal_failed,      // the sealed credential does not open (key changed, tampered)
};

class identity_builder {
 public:
  // Service mode: `jira.service_username` / `service_secret` act for every user.
  static identity_builder service(const config::jira_config& jira);
  // User mode: unseals with `key` (the [auth] seal_key_file key).
  static identity_builder user(config::jira_flavor flavor, auth::seal_key key);

  // The identity for `who`. Errors (user mode only): no_credential, unseal_failed.
  boost::system::result<upstream_identity, identity_error> for_principal(
      const auth::principal& who) const;

 private:
  identity_builder() = default;
  config::upstream_auth mode_ = config::upstream_auth::service;
  config::jira_flavor flavor_ = config::jira_flavor::cloud;
  std::optional<proxy::upstream_credential> service_credential_;
  std::shared_ptr<const auth::seal_key> key_;
};

}  // namespace jtgw::app
