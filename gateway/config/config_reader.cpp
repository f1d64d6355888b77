#include "gateway/config/config_reader.hpp"

#include <algorithm>

namespace jtgw::config::detail {

namespace {

std::string type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return "a date/time";
    default: return "nothing";
  }
}

std::string joined(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::string position(const toml::source_region& where) {
  if (where.begin.line == 0) return {};
  return std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
}

table_reader::table_reader(const toml::table& table, std::string path,
                           const std::filesystem::path& file,
                           std::initializer_list<std::string_view> allowed)
    : table_(table), path_(std::move(path)), file_(file) {
  for (auto&& [key, value] : table_) {
    const auto name = key.str();
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      fail_at(name, "unknown key (allowed here: " + joined(allowed) + ")", key.source());
    }
  }
}

std::string table_reader::key_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void table_reader::fail(std::string_view key, const std::string& problem) const {
  const toml::node* n = node(key);
  fail_at(key, problem, n ? n->source() : table_.source());
}

void table_reader::fail_at(std::string_view key, const std::string& problem,
                           const toml::source_region& where) const {
  throw config_error(file_.string(), key_path(key), problem, position(where));
}

const toml::node* table_reader::node(std::string_view key) const { return table_.get(key); }

const toml::table* table_reader::table(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return nullptr;
  if (const auto* t = n->as_table()) return t;
  fail(key, "must be a table ([" + std::string(key) + "]), not " + type_name(*n));
}

std::vector<const toml::table*> table_reader::table_array(std::string_view key) const {
  std::vector<const toml::table*> out;
  const toml::node* n = node(key);
  if (!n) return out;
  const auto* array = n->as_array();
  if (!array || !array->is_array_of_tables()) {
    fail(key, "must be an array of tables ([[" + std::string(key) + "]]), not " + type_name(*n));
  }
  for (const auto& element : *array) out.push_back(element.as_table());
  return out;
}

std::optional<std::string> table_reader::string(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (const auto* s = n->as_string()) return s->get();
  fail(key, "must be a string, not " + type_name(*n));
}

std::string table_reader::required_string(std::string_view key) const {
  auto value = string(key);
  if (!value) fail(key, "is required");
  if (value->empty()) fail(key, "must not be empty");
  return *value;
}

std::optional<std::int64_t> table_reader::integer(std::string_view key, std::int64_t min,
                                                  std::int64_t max) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  const auto* i = n->as_integer();
  if (!i) fail(key, "must be an integer, not " + type_name(*n));
  const std::int64_t value = i->get();
  if (value < min || value > max) {
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                  " (got " + std::to_string(value) + ")");
  }
  return value;
}

std::optional<bool> table_reader::boolean(std::string_view key) const {
  const toml::node* n = node(key);
  if (!n) return std::nullopt;
  if (const auto* b = n->as_boolean()) return b->get();
  fail(key, "must be true or false, not " + type_name(*n));
}

std::filesystem::path table_reader::path(std::string_view key) const {
  auto value = string(key);
  if (!value || value->empty()) return {};
  if (value->find('\0') != std::string::npos) fail(key, "must not contain a NUL character");
  std::filesystem::path p(*value);
  if (p.is_relative()) p = file_.parent_path() / p;
  return p.lexically_normal();
}

std::optional<std::size_t> table_reader::choice(std::string_view key,
                                                std::initializer_list<std::string_view> choices) const {
  auto value = string(key);
  if (!value) return std::nullopt;
  const auto* it = std::find(choices.begin(), choices.end(), *value);
  if (it == choices.end()) {
    fail(key, "must be one of " + joined(choices) + " (got \"" + *value + "\")");
  }
  return static_cast<std::size_t>(it - choices.begin());
}

}  // namespace jtgw::config::detail
