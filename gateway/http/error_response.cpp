#include "gateway/http/error_response.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace jtgw::http {

string_response json_error_response(beast::http::status status, std::string_view code,
                                    std::string_view message, unsigned version) {
  string_response response{status, version};
  response.set(beast::http::field::content_type, "application/json");
  response.set(beast::http::field::cache_control, "no-store");
  boost::json::object body;
  body["error"] = code;
  body["message"] = message;
  response.body() = boost::json::serialize(body);
  response.body() += '\n';
  return response;
}

}  // namespace jtgw::http
