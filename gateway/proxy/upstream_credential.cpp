#include "gateway/proxy/upstream_credential.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>

namespace jtgw::proxy {

upstream_credential::wiped_string::~wiped_string() {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
}

upstream_credential upstream_credential::basic(std::string_view user, std::string_view secret) {
  // "user:secret" is assembled in this thread's scratch string (kept for the next
  // request, wiped after each use) and encoded straight into the value.
  thread_local std::string plain;
  plain.assign(user).append(1, ':').append(secret);
  auto value = std::make_shared<wiped_string>();
  constexpr std::string_view scheme = "Basic ";
  // EVP_EncodeBlock writes 4 bytes per 3 (rounded up) plus a NUL.
  value->text.resize(scheme.size() + 4 * ((plain.size() + 2) / 3) + 1);
  std::copy(scheme.begin(), scheme.end(), value->text.begin());
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(value->text.data() + scheme.size()),
                                      reinterpret_cast<const unsigned char*>(plain.data()),
                                      static_cast<int>(plain.size()));
  value->text.resize(scheme.size() + static_cast<std::size_t>(written));
  OPENSSL_cleanse(plain.data(), plain.size());
  return upstream_credential(std::move(value));
}

upstream_credential upstream_credential::bearer(std::string_view token) {
  auto value = std::make_shared<wiped_string>();
  value->text.reserve(7 + token.size());
  value->text.append("Bearer ").append(token);
  return upstream_credential(std::move(value));
}

}  // namespace jtgw::proxy
