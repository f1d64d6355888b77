#pragma once
// The credential jtgw presents to Jira for one request.
//
// Built by the caller from the principal: the user's own Jira credential (unsealed only
// for the request) or the configured service credential. Holds only the finished
// Authorization value, wiped from memory when destroyed, and never printable.
#include <string>
#include <string_view>

namespace jtgw::proxy {

class upstream_credential {
 public:
  // Jira Cloud (email + API token) and Data Center username + password: HTTP Basic.
  static upstream_credential basic(std::string_view user, std::string_view secret);
  // Data Center personal access token: "Bearer <token>".
  static upstream_credential bearer(std::string_view token);

  upstream_credential(const upstream_credential&);
  upstream_credential(upstream_credential&&) noexcept;
  upstream_credential& operator=(upstream_credential) noexcept;
  ~upstream_credential();

  // The full Authorization header value. Never log it.
  std::string_view authorization() const noexcept { return authorization_; }

 private:
  explicit upstream_credential(std::string authorization) noexcept;
  std::string authorization_;
};

}  // namespace jtgw::proxy
