#pragma once
// The credential jtgw presents to Jira for one request.
//
// Built by the caller from the principal: the user's own Jira credential (unsealed only
// for the request) or the configured service credential. Holds only the finished
// Authorization value, wiped from memory when the last copy goes, and never printable.
#include <memory>
#include <string>
#include <string_view>

namespace jtgw::proxy {

class upstream_credential {
 public:
  // Jira Cloud (email + API token) and Data Center username + password: HTTP Basic.
  static upstream_credential basic(std::string_view user, std::string_view secret);
  // Data Center personal access token: "Bearer <token>".
  static upstream_credential bearer(std::string_view token);

  // Copies share the one immutable value: the service credential is copied into every
  // request's plan without an allocation.
  upstream_credential(const upstream_credential&) = default;
  upstream_credential(upstream_credential&&) noexcept = default;
  upstream_credential& operator=(const upstream_credential&) = default;
  upstream_credential& operator=(upstream_credential&&) noexcept = default;
  ~upstream_credential() = default;

  // The full Authorization header value. Never log it.
  std::string_view authorization() const noexcept { return value_ ? std::string_view(value_->text) : std::string_view(); }

 private:
  struct wiped_string {
    std::string text;
    ~wiped_string();
  };
  explicit upstream_credential(std::shared_ptr<const wiped_string> value) noexcept : value_(std::move(value)) {}
  std::shared_ptr<const wiped_string> value_;  // null only when moved from
};

}  // namespace jtgw::proxy
