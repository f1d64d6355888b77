#pragma once
// Server TLS contexts: TLS 1.2 and 1.3 only, forward-secret AEAD ciphers (Mozilla's
// "intermediate" profile), certificate chain + private key from PEM files.
#include "gateway/http/net.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include <memory>
#include <string>

namespace jtgw::http {

// A new context loaded from `cert_file` (PEM chain, leaf first) and `key_file` (PEM key).
// Errors: the file's open/parse error from OpenSSL, or ssl errors if the key does not
// match the certificate. Never throws; safe to call at run time (SIGHUP reload).
boost::system::result<std::shared_ptr<net::ssl::context>> make_server_tls_context(
    const std::string& cert_file, const std::string& key_file);

}  // namespace jtgw::http
