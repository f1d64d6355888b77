#include "gateway/proxy/upstream_credential.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <utility>

namespace jtgw::proxy {
namespace {

void wipe(std::string& s) noexcept {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

}  // namespace

upstream_credential upstream_credential::basic(std::string_view user, std::string_view secret) {
  std::string plain;
  plain.reserve(user.size() + 1 + secret.size());
  plain.append(user).append(1, ':').append(secret);
  // EVP_EncodeBlock writes 4 bytes per 3 (rounded up) plus a NUL.
  std::string value = "Basic ";
  const std::size_t prefix = value.size();
  value.resize(prefix + 4 * ((plain.size() + 2) / 3) + 1);
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(value.data() + prefix),
                                      reinterpret_cast<const unsigned char*>(plain.data()),
                                      static_cast<int>(plain.size()));
  value.resize(prefix + static_cast<std::size_t>(written));
  wipe(plain);
  return upstream_credential(std::move(value));
}

upstream_credential upstream_credential::bearer(std::string_view token) {
  std::string value = "Bearer ";
  value.append(token);
  return upstream_credential(std::move(value));
}

upstream_credential::upstream_credential(std::string authorization) noexcept
    : authorization_(std::move(authorization)) {}
upstream_credential::upstream_credential(const upstream_credential&) = default;
upstream_credential::upstream_credential(upstream_credential&& other) noexcept
    : authorization_(std::exchange(other.authorization_, std::string())) {}
upstream_credential& upstream_credential::operator=(upstream_credential other) noexcept {
  wipe(authorization_);
  authorization_ = std::exchange(other.authorization_, std::string());
  return *this;
}
upstream_credential::~upstream_credential() { wipe(authorization_); }

}  // namespace jtgw::proxy
