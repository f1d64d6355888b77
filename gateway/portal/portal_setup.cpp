#include "gateway/portal/portal_setup.hpp"

#include "auth/seal_key_file.hpp"

namespace jtgw::portal {

std::unique_ptr<portal_service> make_portal(const config::gateway_config& config, storage::token_store& store,
                                            auth::lockout_tracker& lockout, proxy::upstream_pool& pool) {
  std::shared_ptr<const auth::seal_key> key;
  if (config.jira.auth == config::upstream_auth::user) {
    // The same file the relay unseals with; reading it twice keeps the two owners apart.
    key = std::make_shared<const auth::seal_key>(auth::load_or_create_seal_key(config.seal_key_file));
  }
  return std::make_unique<portal_service>(portal_parts{
      .store = store, .lockout = lockout, .pool = pool, .flavor = config.jira.flavor, .seal_key = std::move(key),
      .sessions = {}});
}

}  // namespace jtgw::portal
