#include "gateway/jira/worklog_feed_items.hpp"

#include <algorithm>

#include <boost/json/object.hpp>

namespace jtgw::jira {

namespace json = boost::json;

namespace {

// Stores `v` at `p` inside `root`, making objects of whatever is missing or not an object.
void place_at(json::value& root, const odata::json_pointer& p, json::value v) {
  json::value* at = &root;
  for (const auto& token : p.tokens) {
    if (!at->is_object()) *at = json::object{};
    at = &at->get_object()[token];
  }
  *at = std::move(v);
}

}  // namespace

std::vector<std::int64_t> issue_ids_of(const json::array& worklogs) {
  std::vector<std::int64_t> ids;
  ids.reserve(worklogs.size());
  for (const auto& w : worklogs)
    if (const auto* o = w.if_object())
      if (const auto id = json_integer(o->if_contains("issueId"))) ids.push_back(*id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::string issue_ids_jql(std::span<const std::int64_t> ids) {
  std::string jql = "id in (";
  for (std::size_t i = 0; i < ids.size(); ++i) jql.append(i ? ", " : "").append(std::to_string(ids[i]));
  return jql + ")";
}

std::optional<std::int64_t> item_id(const json::value& issue) {
  const auto* o = issue.if_object();
  return o ? json_integer(o->if_contains("id")) : std::nullopt;
}

json::array items_for_worklogs(json::array worklogs, const std::unordered_map<std::int64_t, json::value>& issues_by_id,
                               const odata::json_pointer& list, const odata::json_pointer* total) {
  json::array items;
  items.reserve(worklogs.size());
  for (auto& w : worklogs) {
    const auto* o = w.if_object();
    const auto issue_id = o ? json_integer(o->if_contains("issueId")) : std::nullopt;
    const auto issue = issue_id ? issues_by_id.find(*issue_id) : issues_by_id.end();
    if (issue == issues_by_id.end()) continue;
    json::value item = issue->second;
    place_at(item, list, json::array{std::move(w)});
    if (total != nullptr) place_at(item, *total, 1);
    items.push_back(std::move(item));
  }
  return items;
}

std::string feed_cursor_text(const feed_cursor& c) {
  return "feed:" + std::to_string(c.updated) + ":" + std::to_string(c.worklog_id);
}

std::optional<feed_cursor> parse_feed_cursor_text(std::string_view text) {
  constexpr std::string_view prefix = "feed:";
  if (!text.starts_with(prefix)) return std::nullopt;
  text.remove_prefix(prefix.size());
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const json::value updated_text(text.substr(0, colon)), id_text(text.substr(colon + 1));
  const auto updated = json_integer(&updated_text);
  const auto id = json_integer(&id_text);
  if (!updated || !id) return std::nullopt;
  return feed_cursor{*updated, *id};
}

}  // namespace jtgw::jira
