#pragma once
// Strict reading of one TOML table: every key must be declared, every value typed and
// bounded, and every complaint is a config_error naming the key's dotted path.
// Internal to gateway/config (config.cpp is its only user).
#include "gateway/config/config.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jtgw::config::detail {

class table_reader {
 public:
  // `path` is the table's dotted path ("" for the root, "listener[0]", "jira").
  // Throws config_error at once if the table holds a key outside `allowed`.
  table_reader(const toml::table& table, std::string path, const std::filesystem::path& file,
               std::initializer_list<std::string_view> allowed);

  // The table under `key`, or nullptr if absent; a non-table value is an error.
  const toml::table* table(std::string_view key) const;
  // The array of tables under `key` ([[key]]); empty if absent.
  std::vector<const toml::table*> table_array(std::string_view key) const;

  std::optional<std::string> string(std::string_view key) const;
  std::string required_string(std::string_view key) const;
  // Integers in [min, max]; anything else names the range.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  // true or false; nothing else (not 0/1, not "true").
  std::optional<bool> boolean(std::string_view key) const;
  // A non-empty string naming a file or directory, resolved against the config file's
  // directory when relative. Absent or "" gives an empty path.
  std::filesystem::path path(std::string_view key) const;
  // One of `choices`; returns its index.
  std::optional<std::size_t> choice(std::string_view key,
                                    std::initializer_list<std::string_view> choices) const;

  std::string key_path(std::string_view key) const;
  [[noreturn]] void fail(std::string_view key, const std::string& problem) const;

 private:
  const toml::node* node(std::string_view key) const;
  [[noreturn]] void fail_at(std::string_view key, const std::string& problem,
                            const toml::source_region& where) const;

  const toml::table& table_;
  std::string path_;
  const std::filesystem::path& file_;
};

// "LINE:COL" of a source position, or "" when toml++ does not know it.
std::string position(const toml::source_region& where);

}  // namespace jtgw::config::detail
