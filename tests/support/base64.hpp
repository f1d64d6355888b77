#pragma once
// Standard padded base64 (OpenSSL), to build Authorization values in tests.
#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace jtgw::test_support {

inline std::string base64(std::string_view raw) {
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(raw.data()), static_cast<int>(raw.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// "Basic " + base64("user:secret"): an HTTP Basic Authorization value (RFC 7617).
inline std::string basic_authorization(std::string_view user_colon_secret) {
  return "Basic " + base64(user_colon_secret);
}

}  // namespace jtgw::test_support
