#pragma once
// An HTTP response as the test clients (curl, raw_connection) see it.
#include <map>
#include <string>

namespace jtgw::test_support {

struct http_reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names, first value
  std::string body;
  int curl_exit = 0;
  // The value of header `name` (any case), "" if absent.
  std::string header(const std::string& name) const;
};

// A status line and "Name: value" lines into `reply`; false without a status line.
bool parse_head(const std::string& head, http_reply& reply);

// The string member `key` of a JSON object body ("" if none, or not JSON).
std::string json_string(const std::string& body, const std::string& key);
// The "error" member of a JSON body ("" if none).
std::string error_code_of(const http_reply& reply);

std::string lower_case(std::string text);

}  // namespace jtgw::test_support
