#include "tests/support/http_reply.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <sstream>

namespace jtgw::test_support {

namespace {

std::string trim_line_end(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string http_reply::header(const std::string& name) const {
  auto it = headers.find(lower_case(name));
  return it == headers.end() ? std::string() : it->second;
}

bool parse_head(const std::string& head, http_reply& reply) {
  std::istringstream lines(head);
  std::string line;
  if (!std::getline(lines, line)) return false;
  if (line.rfind("HTTP/", 0) != 0 || line.size() < 12) return false;
  reply.status = std::stoi(line.substr(9, 3));
  reply.headers.clear();
  while (std::getline(lines, line)) {
    line = trim_line_end(line);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    reply.headers.emplace(lower_case(line.substr(0, colon)), value);
  }
  return true;
}

std::string json_string(const std::string& body, const std::string& key) {
  boost::system::error_code ec;
  const auto json = boost::json::parse(body, ec);
  if (ec || !json.is_object()) return {};
  const auto* value = json.as_object().if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::string error_code_of(const http_reply& reply) { return json_string(reply.body, "error"); }

}  // namespace jtgw::test_support
