#pragma once
// HTTP types and Jira-style JSON responses. The request/response types are the same
// Beast types jtgw::http uses, so the handler plugs into its server unchanged.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace jtgw::jira_sample {

namespace http = boost::beast::http;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// A response with `body` as application/json.
response json_response(http::status status, std::string body);
/// Jira's error envelope: {"errorMessages":[message],"errors":{}}.
response error_response(http::status status, std::string_view message);
/// Jira's field-error envelope: {"errorMessages":[],"errors":{field: message}}.
response field_error_response(http::status status, std::string_view field, std::string_view message);

}  // namespace jtgw::jira_sample
