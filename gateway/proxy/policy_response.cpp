#include "gateway/proxy/policy_response.hpp"

#include "gateway/http/error_response.hpp"

#include <boost/beast/http/field.hpp>

namespace jtgw::proxy {

http::string_response policy_denial_response(const request_decision& decision, unsigned version) {
  if (decision.kind == verdict::method_not_allowed) {
    auto response = http::json_error_response(beast::http::status::method_not_allowed, "method_not_allowed",
                                              decision.reason, version);
    response.set(beast::http::field::allow, decision.allow);
    return response;
  }
  return http::json_error_response(beast::http::status::bad_request, "bad_request", decision.reason, version);
}

}  // namespace jtgw::proxy
