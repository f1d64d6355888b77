// OpenSSL 3.0's EVP interface allocates the provider's SHA-256 state on every
// EVP_DigestInit_ex2 and frees it on the next (with an ENGINE lookup besides): some 500
// instructions and a heap allocation per request before any hashing. The default
// provider's SHA-256 is these very SHA256_Init/Update/Final functions (SHA-NI or AVX2
// where the CPU has them); called directly, they hash on a context on the stack.
// OpenSSL 3 deprecates them in favour of EVP but keeps them; should they go, EVP with a
// context per thread (this file's history) is the fallback.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "auth/token_digest.hpp"

#include <openssl/sha.h>

#include <cstdlib>

namespace jtgw::auth {

storage::token_digest digest_of(std::string_view secret) noexcept {
  static_assert(std::tuple_size_v<storage::token_digest> == SHA256_DIGEST_LENGTH);
  storage::token_digest out{};
  SHA256_CTX ctx;
  if (SHA256_Init(&ctx) != 1 || SHA256_Update(&ctx, secret.data(), secret.size()) != 1 ||
      SHA256_Final(out.data(), &ctx) != 1) {
    // A zero digest could collide with a zeroed record; refusing to continue is safer.
    std::abort();
  }
  // No wipe of ctx here: SHA256_Final already wiped the buffered input, and what stays
  // (the final state, which is the digest, and the length) is not secret.
  return out;
}

}  // namespace jtgw::auth
