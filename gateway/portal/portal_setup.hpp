#pragma once
// Builds the portal from the gateway's configuration (start-up, may throw).
#include "gateway/portal/portal_service.hpp"

#include <memory>

namespace jtgw::portal {

/// The portal for `config`, on the gateway's store, Authenticator lockout and upstream
/// pool (all must outlive it). In auth = "user" mode it loads the seal key from
/// [auth] seal_key_file (auth::load_or_create_seal_key: throws std::runtime_error naming
/// the path when the file is unusable).
std::unique_ptr<portal_service> make_portal(const config::gateway_config& config, storage::token_store& store,
                                            auth::lockout_tracker& lockout, proxy::upstream_pool& pool);

}  // namespace jtgw::portal
