#include "samples/jira-sample/responses.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>

namespace jtgw::jira_sample {

response json_response(http::status status, std::string body) {
    response res{status, 11};
    res.set(http::field::content_type, "application/json;charset=UTF-8");
    res.set(http::field::cache_control, "no-cache, no-store, no-transform");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response error_response(http::status status, std::string_view message) {
    boost::json::object body{{"errorMessages", boost::json::array{boost::json::string_view(message)}},
                             {"errors", boost::json::object{}}};
    return json_response(status, boost::json::serialize(body));
}

response field_error_response(http::status status, std::string_view field, std::string_view message) {
    boost::json::object errors;
    errors[field] = message;
    boost::json::object body{{"errorMessages", boost::json::array{}}, {"errors", std::move(errors)}};
    return json_response(status, boost::json::serialize(body));
}

}  // namespace jtgw::jira_sample
