#pragma once
// The SHA-256 digest under which a token is stored: the store never sees a secret.

#include "storage/token_store.hpp"

#include <string_view>

namespace jtgw::auth {

/// SHA-256 of `secret` (the whole token string, prefix included).
/// Never fails: SHA-256 over memory cannot fail in OpenSSL short of memory exhaustion,
/// in which case the process aborts rather than return a digest that matches nothing.
storage::token_digest digest_of(std::string_view secret) noexcept;

}  // namespace jtgw::auth
