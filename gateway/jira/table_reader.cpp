#include "gateway/jira/table_reader.hpp"

#include <algorithm>

namespace jtgw::jira {

namespace json = boost::json;
using boost::system::result;

namespace {

const json::array& no_rows() {
  static const json::array empty;
  return empty;
}

bool passes_only_if(const odata::parent_link& link, const json::value& row) {
  if (link.only_if_in.empty()) return true;
  const auto* v = link.only_if_path.find(row);
  if (v == nullptr || !v->is_string()) return false;
  const std::string_view text = v->get_string();
  return std::find(link.only_if_in.begin(), link.only_if_in.end(), text) != link.only_if_in.end();
}

jira_failure envelope_failure(const std::string& endpoint, const std::string& problem) {
  return jira_failure{failure_kind::server_error, 200, {}, endpoint + ": " + problem};
}

}  // namespace

table_reader::table_reader(jira_client& client, const odata::catalog& cat, const odata::table& t, odata::flavor f,
                           jira_identity who, std::shared_ptr<const odata::catalog> owner, std::string narrowing,
                           std::size_t completion_slots, std::size_t search_slots)
    : owner_(std::move(owner)),
      client_(client),
      catalog_(cat),
      table_(t),
      flavor_(f),
      source_(t.source[std::size_t(f)]),
      who_(std::move(who)),
      fields_(search_fields(t, f)),
      narrowing_(std::move(narrowing)),
      search_slots_(std::max<std::size_t>(search_slots, 1)) {
  if (source_.rows && source_.rows->complete)
    completion_.emplace(client_, *source_.rows, who_, std::max<std::size_t>(completion_slots, 1));
  if (reads_by_id_listing(source_)) listing_.emplace(client_, source_, fields_, narrowing_, who_);
}

net::awaitable<result<void, jira_failure>> table_reader::open(const page_key& start) {
  if (listing_) co_return co_await listing_->open(start);
  if (!source_.parent) co_return result<void, jira_failure>{};
  const auto& link = *source_.parent;
  const auto& parent_table = catalog_.tables.at(link.table_index);
  const auto& parent_source = parent_table.source[std::size_t(flavor_)];
  const auto parent_fields = search_fields(parent_table, flavor_);
  std::optional<page_key> key = page_key{};
  while (key) {
    const auto target = page_target(parent_source, parent_fields, *key, nullptr);
    if (!target) co_return envelope_failure(parent_source.endpoint, "no request target");
    auto body = co_await client_.get_json(*target, who_);
    if (!body) co_return body.error();
    const auto read = read_envelope(parent_source, *key, *body);
    if (!read.problem.empty()) co_return envelope_failure(parent_source.endpoint, read.problem);
    for (const auto& row : *read.value.items) {
      if (!passes_only_if(link, row)) continue;
      if (parents_.size() >= max_parent_rows)
        co_return envelope_failure(parent_source.endpoint, "more parent rows than jtgw walks");
      parents_.push_back(row);
    }
    key = read.value.next;
  }
  co_return result<void, jira_failure>{};
}

std::optional<page_key> table_reader::after_listing(const page_key& key) const {
  if (!source_.parent || key.parent_index + 1 >= parents_.size()) return std::nullopt;
  return page_key{key.parent_index + 1, 0, {}, 0};
}

std::optional<page_key> table_reader::predicted_next(const page_key& key) const {
  // A parent's listing (a project's versions, a board's sprints) mostly fits one page:
  // the next parent's first page is the better guess.
  if (source_.parent) return after_listing(key);
  if (listing_) return listing_->predicted_next(key);
  return jira::predicted_next(source_, key);
}

net::awaitable<result<page_ptr, jira_failure>> table_reader::fetch(page_key key) {
  auto page = std::make_shared<jira_page>();
  page->key = key;
  page->items = &no_rows();
  if (listing_) {
    auto& issues = page->body.emplace_array();  // in the page's arena
    auto fetched = co_await listing_->fetch(key, issues, page->listed_at, page->next);
    if (!fetched) co_return fetched.error();
    page->items = &issues;
    co_return co_await completed(page);
  }
  const json::value* parent = nullptr;
  if (source_.parent) {
    // No parents (a user who sees no project): an empty table.
    if (key.parent_index >= parents_.size()) co_return page;
    parent = &parents_[key.parent_index];
    page->parent = parent;
  }
  const auto target = page_target(source_, fields_, key, parent, narrowing_);
  if (!target) {
    // A parent row without the value its child endpoint needs: nothing to list for it.
    page->next = after_listing(key);
    co_return page;
  }
  auto body = co_await client_.get_json(*target, who_, page->body.storage());
  if (!body) {
    const auto& failure = body.error();
    const bool empty_listing =
        source_.parent && failure.kind == failure_kind::client_error && (failure.status == 400 || failure.status == 404);
    if (!empty_listing) co_return failure;
    page->next = after_listing(key);
    co_return page;
  }
  page->body = std::move(*body);  // same arena: a move, not a copy
  const auto read = read_envelope(source_, key, page->body);
  if (!read.problem.empty()) co_return envelope_failure(source_.endpoint, read.problem);
  page->items = read.value.items;
  page->next = read.value.next ? read.value.next : after_listing(key);
  co_return co_await completed(page);
}

net::awaitable<result<page_ptr, jira_failure>> table_reader::completed(const std::shared_ptr<jira_page>& page) {
  if (completion_) {
    // The rows array lives in page->body, which this fetch owns until it returns.
    auto done = co_await completion_->complete(const_cast<json::array&>(*page->items), page->key.first_item);
    if (!done) co_return done.error();
  }
  co_return page;
}

}  // namespace jtgw::jira
