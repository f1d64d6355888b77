#pragma once
// HTTP calls through a real curl process (a third-party client, as users have).
#include <string>
#include <vector>

#include "tests/support/http_reply.hpp"

namespace jtgw::test_support {

// curl -sS --max-time 30 ARGS… URL, capturing the status line, headers and body of the
// last response (a 100 Continue may come first).
http_reply curl(const std::string& url, const std::vector<std::string>& args = {});
// ARGS for HTTP Basic user:secret (given to curl on its command line; tests only). The
// Basic value is remembered as a secret.
std::vector<std::string> basic(const std::string& user, const std::string& secret);

}  // namespace jtgw::test_support
