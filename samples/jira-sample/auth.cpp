#include "samples/jira-sample/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <strings.h>

namespace jtgw::jira_sample {
namespace {

constexpr std::size_t max_credential = 4096;

bool starts_with_scheme(std::string_view header, std::string_view scheme) {
    return header.size() > scheme.size() && header[scheme.size()] == ' ' &&
           ::strncasecmp(header.data(), scheme.data(), scheme.size()) == 0;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

bool secret_equal(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::pair<std::string, std::string>> parse_basic(std::string_view authorization) {
    if (!starts_with_scheme(authorization, "Basic")) return std::nullopt;
    const auto encoded = trim(authorization.substr(6));
    if (encoded.empty() || encoded.size() > max_credential || encoded.size() % 4 != 0) return std::nullopt;
    std::string decoded(encoded.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                  reinterpret_cast<const unsigned char*>(encoded.data()), int(encoded.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts padding as zero bytes; drop them.
    std::size_t length = std::size_t(n);
    if (encoded.back() == '=') --length;
    if (encoded.size() >= 2 && encoded[encoded.size() - 2] == '=') --length;
    decoded.resize(length);
    const auto colon = decoded.find(':');
    if (colon == std::string::npos) return std::nullopt;
    return std::pair{decoded.substr(0, colon), decoded.substr(colon + 1)};
}

authenticator::authenticator(const dataset& d, std::optional<service_credential> service)
    : d_(d), service_(std::move(service)) {}

std::int32_t authenticator::find_user(std::string_view who) const {
    for (std::size_t u = 0; u < d_.users.size(); ++u) {
        const auto& x = d_.users[u];
        if (x.username == who || x.email == who || x.account_id == who) return std::int32_t(u);
    }
    return none;
}

auth_result authenticator::authenticate(std::string_view authorization, std::string_view forwarded_user,
                                        credential_kind kind) const {
    authorization = trim(authorization);
    if (authorization.empty()) return {none, "no credentials"};
    if (starts_with_scheme(authorization, "Bearer")) {
        if (kind == credential_kind::cloud) return {none, "Bearer tokens are not accepted by /rest/api/3"};
        const auto token = trim(authorization.substr(7));
        std::int32_t found = none;
        for (std::size_t u = 0; u < d_.users.size(); ++u)  // every user compared: no early exit
            if (secret_equal(token, d_.users[u].pat)) found = std::int32_t(u);
        if (found == none) return {none, "unknown personal access token"};
        return {found, {}};
    }
    auto basic = parse_basic(authorization);
    if (!basic) return {none, "malformed Authorization header"};
    const auto& [name, secret] = *basic;
    if (service_ && name == service_->user) {
        if (!secret_equal(secret, service_->secret)) return {none, "wrong service credential"};
        if (forwarded_user.empty()) return {none, "the service credential needs X-Forwarded-User"};
        const auto acting = find_user(trim(forwarded_user));
        if (acting == none) return {none, "X-Forwarded-User names no known user"};
        return {acting, {}};
    }
    for (std::size_t u = 0; u < d_.users.size(); ++u) {
        const auto& x = d_.users[u];
        if (kind != credential_kind::data_center && x.email == name)
            return secret_equal(secret, x.api_token) ? auth_result{std::int32_t(u), {}}
                                                     : auth_result{none, "wrong email or API token"};
        if (kind != credential_kind::cloud && x.username == name)
            return secret_equal(secret, x.password) ? auth_result{std::int32_t(u), {}}
                                                    : auth_result{none, "wrong username or password"};
    }
    return {none, kind == credential_kind::cloud ? "unknown email (Cloud takes email:api_token)" : "unknown user"};
}

}  // namespace jtgw::jira_sample
