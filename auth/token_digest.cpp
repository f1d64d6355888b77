#include "auth/token_digest.hpp"

#include <openssl/evp.h>

#include <cstdlib>
#include <memory>

namespace jtgw::auth {
namespace {

struct md_deleter {
  void operator()(EVP_MD* md) const noexcept { EVP_MD_free(md); }
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

// OpenSSL 3 looks EVP_sha256() up in its provider store on every use (a lock and a
// table search, then a context per call): fetch it once, keep one context per thread.
const EVP_MD* sha256() noexcept {
  static const std::unique_ptr<EVP_MD, md_deleter> md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  return md.get();
}

}  // namespace

storage::token_digest digest_of(std::string_view secret) noexcept {
  thread_local const std::unique_ptr<EVP_MD_CTX, md_deleter> ctx(EVP_MD_CTX_new());
  storage::token_digest out{};
  unsigned int len = 0;
  if (!sha256() || !ctx || EVP_DigestInit_ex2(ctx.get(), sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), secret.data(), secret.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1 || len != out.size()) {
    // A zero digest could collide with a zeroed record; refusing to continue is safer.
    std::abort();
  }
  return out;
}

}  // namespace jtgw::auth
