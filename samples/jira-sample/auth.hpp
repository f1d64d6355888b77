#pragma once
// Who is calling: Jira Cloud (v3) takes Basic email:api_token; Data Center (v2) takes
// Bearer PAT or Basic username:password; Agile takes either. A configured service
// credential may act as the user named in X-Forwarded-User (jtgw's service mode).
#include <optional>
#include <string>
#include <string_view>

#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {

enum class credential_kind { cloud, data_center, any };

struct service_credential {
    std::string user, secret;
};

struct auth_result {
    std::int32_t user = none;  // index into dataset::users when authenticated
    std::string failure;       // why not, when user == none (never contains a secret)
};

class authenticator {
public:
    authenticator(const dataset& d, std::optional<service_credential> service);

    /// Resolves the Authorization (and, for the service credential, X-Forwarded-User)
    /// header values to a user. Secrets are compared with CRYPTO_memcmp. On failure,
    /// `failure` says what was wrong without echoing any secret.
    auth_result authenticate(std::string_view authorization, std::string_view forwarded_user,
                             credential_kind kind) const;

private:
    std::int32_t find_user(std::string_view name_email_or_account) const;

    const dataset& d_;
    std::optional<service_credential> service_;
};

/// Constant-time equality for secrets (CRYPTO_memcmp; lengths compared first).
bool secret_equal(std::string_view a, std::string_view b) noexcept;

/// Decodes an RFC 7617 Basic credential ("Basic base64(user:pass)").
/// Returns nullopt if the scheme is not Basic or the base64 / colon is malformed.
std::optional<std::pair<std::string, std::string>> parse_basic(std::string_view authorization);

}  // namespace jtgw::jira_sample
