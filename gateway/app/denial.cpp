#include "gateway/app/denial.hpp"

#include "gateway/http/error_response.hpp"

#include <algorithm>

namespace jtgw::app {

refusal refusal_of(const auth::denial& denial) {
  using auth::denial_reason;
  refusal r;
  r.message = denial.message;
  switch (denial.reason) {
    case denial_reason::missing: r.code = code_missing; break;
    case denial_reason::malformed: r.code = code_malformed; break;
    case denial_reason::unknown_or_revoked: r.code = code_unknown; break;
    case denial_reason::wrong_user: r.code = code_wrong_user; break;
    case denial_reason::expired: r.code = code_expired; break;
    case denial_reason::locked_out:
      r.code = code_locked_out;
      r.retry_after = denial.retry_after;
      break;
    case denial_reason::store_error:
      r.code = code_store_error;
      // The store's own words are for the server log; the client learns only this.
      r.message = "the token store is unavailable; try again later";
      break;
  }
  return r;
}

beast::http::status refusal_status(std::string_view code) noexcept {
  if (code == code_locked_out) return beast::http::status::too_many_requests;
  if (code == code_store_error) return beast::http::status::service_unavailable;
  return beast::http::status::unauthorized;
}

http::string_response denial_response(const refusal& r, unsigned version,
                                      http::counter_family& auth_outcomes) {
  const auto status = refusal_status(r.code);
  auto response = http::json_error_response(status, r.code, r.message, version);
  if (status == beast::http::status::unauthorized) {
    response.set(beast::http::field::www_authenticate, www_authenticate_value);
  } else if (status == beast::http::status::too_many_requests) {
    const auto seconds = std::max<std::chrono::seconds::rep>(1, r.retry_after.count());
    response.set(beast::http::field::retry_after, std::to_string(seconds));
  }
  response.set(beast::http::field::cache_control, "no-store");
  auth_outcomes.add({{"reason", std::string(r.code)}});
  return response;
}

}  // namespace jtgw::app
