#include "gateway/http/tls_context.hpp"

#include <boost/asio/ssl/error.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace jtgw::http {
namespace {

// TLS 1.2 suites of Mozilla's intermediate profile: ECDHE key exchange, AEAD only.
// TLS 1.3 suites are OpenSSL's defaults, which are all fine.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

error_code last_ssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return net::ssl::error::unspecified_system_error;
  return error_code(static_cast<int>(code), net::error::get_ssl_category());
}

}  // namespace

boost::system::result<std::shared_ptr<net::ssl::context>> make_server_tls_context(
    const std::string& cert_file, const std::string& key_file) {
  std::shared_ptr<net::ssl::context> ctx;
  try {
    ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_server);
  } catch (const boost::system::system_error& e) {
    return e.code();
  }
  error_code ec;
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1 | net::ssl::context::no_compression |
                       net::ssl::context::single_dh_use,
                   ec);
  if (ec) return ec;
  SSL_CTX* native = ctx->native_handle();
  // The option bits above are deprecated in OpenSSL 3; the version floor is what holds.
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) return last_ssl_error();
  if (SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1) return last_ssl_error();
  // The server picks the suite: clients may list weak ones first.
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) return ec;
  ctx->use_private_key_file(key_file, net::ssl::context::pem, ec);
  if (ec) return ec;
  if (SSL_CTX_check_private_key(native) != 1) return last_ssl_error();
  return ctx;
}

}  // namespace jtgw::http
