#include "gateway/app/upstream_identity.hpp"

namespace jtgw::app {

identity_builder identity_builder::service(const config::jira_config& jira) {
  identity_builder b;
  b.mode_ = config::upstream_auth::service;
  b.flavor_ = jira.flavor;
  b.service_credential_ = proxy::upstream_credential::basic(jira.service_username, jira.service_secret);
  return b;
}

identity_builder identity_builder::user(config::jira_flavor flavor, auth::seal_key key) {
  identity_builder b;
  b.mode_ = config::upstream_auth::user;
  b.flavor_ = flavor;
  b.key_ = std::make_shared<const auth::seal_key>(std::move(key));
  return b;
}

boost::system::result<upstream_identity, identity_error> identity_builder::for_principal(
    const auth::principal& who) const {
  if (mode_ == config::upstream_auth::service) {
    return upstream_identity{*service_credential_, true};
  }
  if (who.sealed_credential.empty()) return identity_error::no_credential;
  // Bound to the owner as stored in the record, as mint-token and the portal seal it.
  auto secret = auth::unseal(*key_, who.sealed_credential, who.user);
  if (!secret) return identity_error::unseal_failed;
  if (flavor_ == config::jira_flavor::cloud) {
    return upstream_identity{proxy::upstream_credential::basic(who.user, secret->view()), false};
  }
  return upstream_identity{proxy::upstream_credential::bearer(secret->view()), false};
}

}  // namespace jtgw::app
