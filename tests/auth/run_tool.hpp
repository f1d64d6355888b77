#pragma once
// Test support: run one of tests/tools' programs and capture its stdout.

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace jtgw::auth::test {

struct tool_run {
  int exit_code = -1;
  std::string out;
};

/// Runs `program args...` through /bin/sh with each argument single-quoted; waits for it.
inline tool_run run_tool(const std::string& program, const std::vector<std::string>& args) {
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  std::string command = quote(program);
  for (const auto& a : args) command += " " + quote(a);
  tool_run result;
  FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_REQUIRE_MESSAGE(pipe != nullptr, "cannot run " << program);
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) result.out.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace jtgw::auth::test
