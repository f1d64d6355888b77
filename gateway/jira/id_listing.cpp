#include "gateway/jira/id_listing.hpp"

#include <algorithm>
#include <charconv>

#include "gateway/jira/worklog_feed.hpp"
#include "gateway/jira/worklog_feed_items.hpp"

namespace jtgw::jira {

namespace json = boost::json;

namespace {

const odata::json_pointer& issues_at() {
  static const odata::json_pointer p = odata::json_pointer::parse("/issues").value();
  return p;
}

// The source as the listing asks: only the table's jql (its ORDER BY included), pages of
// ids_per_listing. Other parameters (expand=changelog) would only make the listing heavy.
odata::table_source listing_source(const odata::table_source& source) {
  odata::table_source out = source;
  out.max_page_size = ids_per_listing;
  std::erase_if(out.query, [](const auto& p) { return p.first != "jql"; });
  return out;
}

// The source as a detail search asks: every parameter but the table's jql (page_target
// then sends the `id in (...)` narrowing as the jql), pages of issue_ids_per_search.
odata::table_source detail_source(const odata::table_source& source) {
  odata::table_source out = source;
  out.max_page_size = std::int64_t(issue_ids_per_search);
  std::erase_if(out.query, [](const auto& p) { return p.first == "jql"; });
  return out;
}

page_key cursor_key(std::string_view token) { return page_key{0, 0, std::string(token), 0}; }

}  // namespace

bool reads_by_id_listing(const odata::table_source& source) noexcept {
  return source.paging == odata::paging_style::search_jql && !source.parent;
}

listing_plan::listing_plan(const odata::table_source& source, std::vector<std::string> fields, std::string narrowing)
    : listing_(listing_source(source)),
      detail_(detail_source(source)),
      fields_(std::move(fields)),
      narrowing_(std::move(narrowing)) {}

std::string listing_plan::listing_target(std::string_view token) const {
  static const std::vector<std::string> id_only{"id"};
  // No placeholders in a parentless search endpoint: page_target cannot fail here.
  return page_target(listing_, id_only, cursor_key(token), nullptr, narrowing_).value_or(listing_.endpoint);
}

std::string listing_plan::detail_target(std::span<const std::int64_t> ids, std::string_view continuation) const {
  return page_target(detail_, fields_, cursor_key(continuation), nullptr, issue_ids_jql(ids)).value_or(detail_.endpoint);
}

listing_plan::listing_result listing_plan::read_listing(const json::value& body, std::string_view token) {
  listing_result out;
  const auto read = read_envelope(odata::paging_style::search_jql, issues_at(), cursor_key(token), body);
  if (!read.problem.empty()) return {{}, read.problem};
  if (std::int64_t(read.value.items->size()) > ids_per_listing)
    return {{}, "Jira's id listing holds more issues than asked for"};
  out.value.ids.reserve(read.value.items->size());
  for (const auto& issue : *read.value.items) {
    const auto id = item_id(issue);
    if (!id) return {{}, "Jira's id listing holds an issue without an id"};
    out.value.ids.push_back(*id);
  }
  if (read.value.next) out.value.next_token = read.value.next->next_page_token;
  return out;
}

listing_plan::detail_result listing_plan::read_detail(json::value& body, std::string_view continuation) {
  const auto read = read_envelope(odata::paging_style::search_jql, issues_at(), cursor_key(continuation), body);
  if (!read.problem.empty()) return {{}, read.problem};
  detail_result out;
  // The items are inside `body`, which the caller passed as mutable.
  out.value.issues = const_cast<json::array*>(read.value.items);
  if (read.value.next) out.value.continuation = read.value.next->next_page_token;
  return out;
}

std::span<const std::int64_t> detail_ids(const id_listing& listing, std::int64_t start) {
  const auto size = std::int64_t(listing.ids.size());
  if (start < 0 || start >= size) return {};
  const auto count = std::min<std::int64_t>(std::int64_t(issue_ids_per_search), size - start);
  return std::span<const std::int64_t>(listing.ids).subspan(std::size_t(start), std::size_t(count));
}

std::optional<page_key> detail_after(const id_listing& listing, const page_key& key) {
  const auto next = std::max<std::int64_t>(key.start_at, 0) + std::int64_t(issue_ids_per_search);
  if (next < std::int64_t(listing.ids.size())) return page_key{key.parent_index, next, key.next_page_token, 0};
  if (listing.next_token) return page_key{key.parent_index, 0, *listing.next_token, 0};
  return std::nullopt;
}

std::string in_listing_order(json::array& returned, std::span<const std::int64_t> asked, json::array& out,
                             std::vector<std::size_t>& placed) {
  std::vector<json::value*> slots(asked.size(), nullptr);
  for (auto& issue : returned) {
    const auto id = item_id(issue);
    if (!id) return "Jira's search returned an issue without an id";
    const auto at = std::find(asked.begin(), asked.end(), *id);
    if (at == asked.end()) return "Jira's search by id returned issue " + std::to_string(*id) + ", not asked for";
    auto& slot = slots[std::size_t(at - asked.begin())];
    if (slot != nullptr) return "Jira's search by id returned issue " + std::to_string(*id) + " twice";
    slot = &issue;
  }
  out.reserve(out.size() + returned.size());
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (slots[i] == nullptr) continue;
    out.push_back(std::move(*slots[i]));
    placed.push_back(i);
  }
  return {};
}

std::vector<std::int64_t> ids_named(std::string_view jira_text, std::span<const std::int64_t> asked) {
  std::vector<std::int64_t> out;
  for (std::size_t open = jira_text.find('\''); open != std::string_view::npos;) {
    const auto close = jira_text.find('\'', open + 1);
    if (close == std::string_view::npos) break;
    const auto quoted = jira_text.substr(open + 1, close - open - 1);
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(quoted.data(), quoted.data() + quoted.size(), id);
    if (ec == std::errc() && end == quoted.data() + quoted.size() &&
        std::find(asked.begin(), asked.end(), id) != asked.end() && std::find(out.begin(), out.end(), id) == out.end())
      out.push_back(id);
    open = jira_text.find('\'', close + 1);
  }
  return out;
}

}  // namespace jtgw::jira
