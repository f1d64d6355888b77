#include "tests/support/curl_client.hpp"

#include "tests/support/base64.hpp"
#include "tests/support/files.hpp"
#include "tests/support/log_files.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/secrets.hpp"

namespace jtgw::test_support {

http_reply curl(const std::string& url, const std::vector<std::string>& args) {
  const auto head = new_scratch_file("head");
  const auto body = new_scratch_file("body");
  std::vector<std::string> argv{"/usr/bin/curl", "-sS", "--max-time", "30", "-D", head.string(), "-o", body.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back(url);
  const auto done = run(argv);
  http_reply reply;
  reply.curl_exit = done.exit_code;
  const std::string heads = read_file(head);
  const auto last = heads.rfind("HTTP/");
  if (last != std::string::npos) parse_head(heads.substr(last), reply);
  reply.body = read_file(body);
  std::filesystem::remove(head);
  std::filesystem::remove(body);
  return reply;
}

std::vector<std::string> basic(const std::string& user, const std::string& secret) {
  remember_secret(base64(user + ":" + secret));
  return {"-u", user + ":" + secret};
}

}  // namespace jtgw::test_support
