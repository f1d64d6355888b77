#pragma once
// Dataset files on disk (layout and meaning: samples/jira-sample/README.md).
#include <boost/json/value.hpp>
#include <filesystem>

#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {

/// Writes every dataset file into `dir` (created if missing; existing files replaced).
/// Output is byte-identical for identical datasets. Throws std::runtime_error on I/O errors.
void write_dataset(const dataset& d, const std::filesystem::path& dir);

/// Reads a directory written by write_dataset and index()es it.
/// Throws std::runtime_error naming the file (and line for .jsonl) on any missing file,
/// malformed JSON, missing key or dangling reference.
dataset read_dataset(const std::filesystem::path& dir);

/// The fields.json content: GET /field's facts in the dataset's neutral spelling.
boost::json::value fields_file();

}  // namespace jtgw::jira_sample
