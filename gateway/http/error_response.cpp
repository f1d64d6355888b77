#include "gateway/http/error_response.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace jtgw::http {

string_response text_response(beast::http::status status, std::string_view content_type, std::string body,
                              unsigned version) {
  string_response response{status, version};
  response.set(beast::http::field::content_type, content_type);
  response.set(beast::http::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

string_response json_response(beast::http::status status, const boost::json::value& body, unsigned version) {
  return text_response(status, "application/json", boost::json::serialize(body), version);
}

boost::json::object error_body(std::string_view code, std::string_view message) {
  boost::json::object body;
  body["error"] = code;
  body["message"] = message;
  return body;
}

string_response json_error_response(beast::http::status status, std::string_view code,
                                    std::string_view message, unsigned version) {
  auto response = json_response(status, error_body(code, message), version);
  response.body() += '\n';
  return response;
}

}  // namespace jtgw::http
