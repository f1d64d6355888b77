#pragma once
// Builds a whole sample dataset from (issues, seed) alone: same inputs, same bytes.
#include <cstdint>

#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {

/// Generates `issue_count` issues (and their worklogs, comments, histories, links) plus the
/// fixed catalog (projects, users, statuses, boards, sprints, ...). Deterministic for
/// (issue_count, seed). The result is already index()ed.
/// Throws std::invalid_argument if issue_count < 0 or > 10,000,000.
dataset generate(std::int64_t issue_count, std::uint64_t seed);

}  // namespace jtgw::jira_sample
