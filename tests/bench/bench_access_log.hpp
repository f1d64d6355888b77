#pragma once
// Upstream requests of a benchmark run, counted exactly from jira-sample's access log
// (`serve --access-log`: one JSON line per request, written to the log the bench keeps).
#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>

#include "tests/support/files.hpp"

namespace jtgw::bench {

// Issue searches, per-issue listings (/issue/...) and the worklog feed (/worklog/updated
// and /worklog/list); other requests are not counted.
struct request_count {
  std::int64_t search = 0, per_issue = 0, feed = 0;
  std::int64_t total() const { return search + per_issue + feed; }
};

// The requests logged in `log` from byte offset `from` on.
inline request_count count_requests(const std::filesystem::path& log, std::size_t from) {
  request_count c;
  std::istringstream in(jtgw::test_support::read_file(log).substr(from));
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"status\"") == std::string::npos) continue;
    if (line.find("/search") != std::string::npos) ++c.search;
    else if (line.find("/worklog/updated") != std::string::npos || line.find("/worklog/list") != std::string::npos)
      ++c.feed;
    else if (line.find("/issue/") != std::string::npos) ++c.per_issue;
  }
  return c;
}

// Requests per 1,000 rows.
inline double per_thousand(std::int64_t requests, std::int64_t rows) {
  return rows ? 1000.0 * double(requests) / double(rows) : 0.0;
}

}  // namespace jtgw::bench
