#pragma once
// The fixed part of every dataset: projects, users, statuses, types, priorities, ...
#include <cstdint>

#include "samples/jira-sample/model.hpp"
#include "samples/jira-sample/prng.hpp"

namespace jtgw::jira_sample {

/// Start of the dataset's time range (2022-01-03T00:00Z) and its "now" (2025-01-17T12:00Z).
millis dataset_start();
millis dataset_now();

/// Fills users (credentials drawn from `rng`), projects, issue types, statuses and their
/// categories, priorities, resolutions, link types, select options, versions, components,
/// boards and sprints. `issue_count` only scales the number of sprints.
void fill_catalog(dataset& out, prng& rng, std::int64_t issue_count);

}  // namespace jtgw::jira_sample
