#include "gateway/jira/worklog_feed.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

namespace jtgw::jira {

namespace json = boost::json;
using boost::system::result;

namespace {

// The `since` parameter of a nextPage URL, when it has one.
std::optional<std::int64_t> since_of_url(const json::value* next) {
  if (next == nullptr || !next->is_string()) return std::nullopt;
  const auto url = boost::urls::parse_uri_reference(std::string_view(next->get_string()));
  if (!url) return std::nullopt;
  const auto params = url->params();
  const auto it = params.find("since");
  if (it == params.end() || !(*it).has_value) return std::nullopt;
  const json::value text((*it).value);
  return json_integer(&text);
}

bool before(const feed_entry& a, const feed_entry& b) {
  return a.updated != b.updated ? a.updated < b.updated : a.worklog_id < b.worklog_id;
}

}  // namespace

std::optional<std::int64_t> json_integer(const json::value* v) noexcept {
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= std::uint64_t(std::numeric_limits<std::int64_t>::max()))
    return std::int64_t(v->get_uint64());
  if (!v->is_string()) return std::nullopt;
  const auto& s = v->get_string();
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return n;
}

std::int64_t feed_cursor::since() const noexcept {
  if (worklog_id == std::numeric_limits<std::int64_t>::max()) return updated;
  return updated == std::numeric_limits<std::int64_t>::min() ? updated : updated - 1;
}

std::string worklog_feed_target(std::int64_t since) {
  return "/rest/api/3/worklog/updated?since=" + std::to_string(std::max<std::int64_t>(since, 0));
}

result<feed_page, std::string> parse_feed_page(const json::value& body) {
  const auto* o = body.if_object();
  if (o == nullptr) return std::string("the worklog feed's answer is not an object");
  const auto* values = o->if_contains("values");
  if (values == nullptr || !values->is_array()) return std::string("the worklog feed's answer has no values array");
  if (values->get_array().size() > worklog_feed_max_entries)
    return "the worklog feed's page lists " + std::to_string(values->get_array().size()) + " entries";
  feed_page page;
  page.entries.reserve(values->get_array().size());
  for (const auto& v : values->get_array()) {
    const auto* entry = v.if_object();
    const auto id = entry ? json_integer(entry->if_contains("worklogId")) : std::nullopt;
    const auto updated = entry ? json_integer(entry->if_contains("updatedTime")) : std::nullopt;
    if (!id || !updated) return std::string("a worklog feed entry lacks a numeric worklogId or updatedTime");
    page.entries.push_back({*id, *updated});
  }
  const auto since = json_integer(o->if_contains("since"));
  const auto until = json_integer(o->if_contains("until"));
  const auto* last = o->if_contains("lastPage");
  if (!since || !until || last == nullptr || !last->is_bool())
    return std::string("the worklog feed's answer lacks since, until or lastPage");
  page.since = *since;
  page.until = *until;
  page.last_page = last->get_bool();
  page.next_since = since_of_url(o->if_contains("nextPage")).value_or(*until);
  // A page that is not the last must move forward, or following it would loop for ever.
  if (!page.last_page && page.next_since <= page.since)
    return std::string("the worklog feed's next page does not move past since");
  return page;
}

feed_step step_feed(const feed_page& page, const feed_cursor& cursor, std::int64_t upper) {
  feed_step out;
  out.done = page.last_page;
  for (const auto& e : page.entries) {
    if (e.updated > upper) out.done = true;
    else if (cursor.precedes(e)) out.take.push_back(e);
  }
  std::sort(out.take.begin(), out.take.end(), before);
  return out;
}

std::string worklog_list_body(std::span<const feed_entry> entries) {
  json::array ids;
  ids.reserve(entries.size());
  for (const auto& e : entries) ids.emplace_back(e.worklog_id);
  return json::serialize(json::object{{"ids", std::move(ids)}});
}

result<json::array, std::string> order_like_feed(json::value listed, std::span<const feed_entry> entries) {
  auto* rows = listed.if_array();
  if (rows == nullptr) return std::string("the worklog list's answer is not an array");
  std::unordered_map<std::int64_t, std::size_t> at;  // worklog id -> index in rows
  at.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const auto* row = (*rows)[i].if_object();
    const auto id = row ? json_integer(row->if_contains("id")) : std::nullopt;
    if (!id) return std::string("a worklog in the worklog list's answer has no id");
    at.emplace(*id, i);
  }
  json::array out;
  out.reserve(std::min(entries.size(), rows->size()));
  for (const auto& e : entries)
    if (const auto it = at.find(e.worklog_id); it != at.end()) {
      out.push_back(std::move((*rows)[it->second]));
      at.erase(it);  // an id listed twice is taken once (its first copy)
    }
  return out;
}

}  // namespace jtgw::jira
