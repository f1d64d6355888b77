#pragma once
// bench_child_tables' filtered-Worklogs case: what it needs from the dataset and the
// catalog, apart from the export loop itself.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

namespace jtgw::bench {

/// The earliest and latest `updated` of the dataset's worklogs (worklogs.jsonl), UTC ms.
std::pair<std::int64_t, std::int64_t> worklog_updated_span(const std::filesystem::path& data);

/// The catalog at `catalog_file` without Worklogs' worklog_feed: a jtgw serving it reads
/// every filtered Worklogs range by walking the issue search (the baseline).
std::string catalog_without_feed(const std::filesystem::path& catalog_file);

/// "/odata/Worklogs?$filter=Updated ge LO[ and Updated lt HI]", percent-encoded.
std::string filtered_worklogs(std::int64_t lower, std::optional<std::int64_t> upper);

}  // namespace jtgw::bench
