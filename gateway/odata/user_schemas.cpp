#include "gateway/odata/user_schemas.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "gateway/jira/table_reader.hpp"
#include "gateway/odata/csdl.hpp"
#include "gateway/odata/custom_columns.hpp"

namespace jtgw::odata {

namespace json = boost::json;
using boost::system::result;
using jira::failure_kind;
using jira::jira_failure;

namespace {

schema_ptr make_schema(catalog tables) {
  auto s = std::make_shared<served_schema>();
  s->metadata = metadata_xml(tables);
  s->tables = std::move(tables);
  return s;
}

}  // namespace

user_schemas::user_schemas(catalog base, bool custom_fields, jira::jira_client& client, flavor f,
                           schema_cache_limits limits)
    : shared_(make_schema(std::move(base))),
      custom_fields_(custom_fields && shared_->tables.custom_fields),
      child_fields_(shared_->tables.custom_fields &&
                    std::any_of(shared_->tables.custom_fields->rules.begin(), shared_->tables.custom_fields->rules.end(),
                                [](const custom_field_rule& r) { return !r.child_table.empty(); })),
      client_(client),
      flavor_(f),
      limits_(limits) {}

bool user_schemas::per_user(std::string_view table) const noexcept {
  if (custom_fields_ && table == shared_->tables.custom_fields->table) return true;
  if (!child_fields_) return false;
  const auto& rules = shared_->tables.custom_fields->rules;
  return std::any_of(rules.begin(), rules.end(), [&](const custom_field_rule& r) { return r.child_table == table; });
}

net::awaitable<result<schema_ptr, jira_failure>> user_schemas::for_user(const std::string& user,
                                                                       const jira::jira_identity& who) {
  if (!custom_fields_ && !child_fields_) co_return shared_;
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(user);
    if (it != cache_.end() && std::chrono::steady_clock::now() < it->second.expires) co_return it->second.schema;
  }
  co_return co_await build(user, who);
}

net::awaitable<result<schema_ptr, jira_failure>> user_schemas::build(const std::string& user,
                                                                    const jira::jira_identity& who) {
  const catalog& base = shared_->tables;
  const table& list = base.tables[base.custom_fields->field_list_index];
  jira::table_reader reader(client_, base, list, flavor_, who);
  json::array fields;
  std::optional<jira::page_key> key = jira::page_key{};
  while (key) {
    auto page = co_await reader.fetch(*key);
    if (!page) co_return page.error();
    const auto& items = *(*page)->items;
    if (fields.size() + items.size() > limits_.max_fields)
      co_return jira_failure{failure_kind::server_error, 200, {},
                             list.name + ": more than " + std::to_string(limits_.max_fields) + " fields"};
    for (const auto& item : items) fields.push_back(item);
    key = (*page)->next;
  }
  std::vector<skipped_field> skipped;
  catalog tables = custom_fields_ ? with_custom_columns(base, fields, skipped) : base;
  point_child_tables(tables, fields);
  auto schema = make_schema(std::move(tables));
  const auto& columns = schema->tables.tables[base.custom_fields->table_index].columns;
  const auto& before = base.tables[base.custom_fields->table_index].columns;
  spdlog::debug("odata custom fields for {}: {} columns, {} fields skipped", user, columns.size() - before.size(),
                skipped.size());
  for (const auto& s : skipped) spdlog::debug("odata custom field {} skipped: {}", s.id, s.reason);
  remember(user, schema);
  co_return schema;
}

void user_schemas::remember(const std::string& user, schema_ptr schema) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (cache_.size() >= limits_.max_users && !cache_.contains(user)) {
    std::erase_if(cache_, [&](const auto& kv) { return kv.second.expires <= now; });
    if (cache_.size() >= limits_.max_users) {
      auto oldest = std::min_element(cache_.begin(), cache_.end(), [](const auto& a, const auto& b) {
        return a.second.expires < b.second.expires;
      });
      cache_.erase(oldest);
    }
  }
  cache_[user] = entry{std::move(schema), now + limits_.ttl};
}

}  // namespace jtgw::odata
