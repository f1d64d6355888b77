#include "auth/token_digest.hpp"

#include <openssl/evp.h>

#include <cstdlib>

namespace jtgw::auth {

storage::token_digest digest_of(std::string_view secret) noexcept {
  storage::token_digest out{};
  unsigned int len = 0;
  // EVP_Digest is the one-shot form: no context to allocate or free on our side.
  if (EVP_Digest(secret.data(), secret.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 ||
      len != out.size()) {
    // A zero digest could collide with a zeroed record; refusing to continue is safer.
    std::abort();
  }
  return out;
}

}  // namespace jtgw::auth
