#pragma once
// The schema each caller is served: the catalog and its $metadata. Without custom fields
// everyone gets the one built at start-up. With [odata] include_custom_fields, the
// custom fields' table (Issues) and $metadata are per user: the catalog plus one column
// per custom field Jira's field list shows that user (GET /field as the user, or in
// service mode as the service credential with X-Forwarded-User), cached briefly per
// user, bounded in entries and in time. What is cached is Jira's field schema, never an
// authentication result: the router verifies the token on every request before this.
// The child tables of the custom_fields rules (IssueSprints: the sprint field, whose id
// differs between sites) are per user whatever include_custom_fields says: their rows
// come from the field the user's list shows (point_child_tables).
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include <boost/system/result.hpp>

#include "gateway/http/net.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/odata/catalog.hpp"

namespace jtgw::odata {

struct served_schema {
  catalog tables;
  std::string metadata;  // CSDL XML of `tables`
};
using schema_ptr = std::shared_ptr<const served_schema>;

struct schema_cache_limits {
  std::chrono::seconds ttl{60};      // how long one user's field list is reused
  std::size_t max_users = 256;       // entries (~100 KB each: catalog + CSDL); oldest go first
  std::size_t max_fields = 20'000;   // one field list; more is a Jira answer jtgw refuses
};

class user_schemas {
 public:
  /// `base` is the catalog as loaded. `custom_fields` requires base.custom_fields (the
  /// caller checks that at start-up). `client` must outlive this object.
  user_schemas(catalog base, bool custom_fields, jira::jira_client& client, flavor f, schema_cache_limits limits = {});

  /// The schema every caller shares: the catalog as loaded. The service document and
  /// every table without custom-field columns use it.
  const schema_ptr& shared() const noexcept { return shared_; }

  /// True when `table` (an entity set name) is served per user: custom fields are on
  /// and it is the table they go to, or it is a custom_fields rule's child table.
  bool per_user(std::string_view table) const noexcept;

  /// The schema for `user` (the cache key; the token owner the router authenticated),
  /// reading Jira as `who`: shared() when no table is per user (no Jira request), else
  /// the cached one, or one built now from Jira's field list (every page of the
  /// catalog's field_list table): custom-field columns when they are on, and the child
  /// tables pointed at their fields. Fields no rule maps are logged at debug level.
  /// Errors: the jira_client's (and the table_reader's envelope errors); server_error
  /// when the list holds more than max_fields fields.
  net::awaitable<boost::system::result<schema_ptr, jira::jira_failure>> for_user(const std::string& user,
                                                                                const jira::jira_identity& who);

  bool custom_fields() const noexcept { return custom_fields_; }

 private:
  net::awaitable<boost::system::result<schema_ptr, jira::jira_failure>> build(const std::string& user,
                                                                             const jira::jira_identity& who);
  void remember(const std::string& user, schema_ptr schema);

  struct entry {
    schema_ptr schema;
    std::chrono::steady_clock::time_point expires;
  };

  schema_ptr shared_;
  bool custom_fields_;
  bool child_fields_;  // the catalog has custom_fields rules with a child_table
  jira::jira_client& client_;
  flavor flavor_;
  schema_cache_limits limits_;
  std::mutex mutex_;  // requests run on several threads
  std::unordered_map<std::string, entry> cache_;
};

}  // namespace jtgw::odata
