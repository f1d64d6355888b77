#include "gateway/jira/id_listing_reader.hpp"

#include <algorithm>

#include <boost/json/monotonic_resource.hpp>

namespace jtgw::jira {

namespace json = boost::json;
using boost::system::result;

namespace {

jira_failure envelope_failure(const std::string& endpoint, const std::string& problem) {
  return jira_failure{failure_kind::server_error, 200, {}, endpoint + ": " + problem};
}

}  // namespace

id_listing_reader::id_listing_reader(jira_client& client, const odata::table_source& source,
                                     std::vector<std::string> fields, std::string narrowing, const jira_identity& who)
    : client_(client), plan_(source, std::move(fields), std::move(narrowing)), who_(who) {}

id_listing_reader::listing_ptr id_listing_reader::kept(const std::string& token) const {
  for (const auto& [t, listing] : listings_)
    if (t == token) return listing;
  return nullptr;
}

void id_listing_reader::share(listing_cache& cache, std::string scope) {
  shared_ = &cache;
  scope_ = std::move(scope);
}

void id_listing_reader::keep(const std::string& token, listing_ptr listing) {
  listings_.emplace_back(token, std::move(listing));
  while (listings_.size() > kept_listings) listings_.pop_front();
}

net::awaitable<result<id_listing_reader::listing_ptr, jira_failure>> id_listing_reader::listing(
    const std::string& token) {
  if (auto found = kept(token)) co_return found;
  ++listing_requests_;
  // A listing page is small (5000 ids); its JSON lives only until the ids are copied out.
  boost::json::monotonic_resource arena;
  const json::storage_ptr storage(&arena);
  const auto target = plan_.listing_target(token);
  auto body = co_await client_.get_json(target, who_, storage);
  if (!body) co_return body.error();
  auto read = listing_plan::read_listing(*body, token);
  if (!read.problem.empty()) co_return envelope_failure(plan_.endpoint(), read.problem);
  auto listing = std::make_shared<const id_listing>(std::move(read.value));
  // Another fetch may have read the same page meanwhile: keep one copy.
  if (auto found = kept(token)) co_return found;
  keep(token, listing);
  if (shared_) shared_->put(scope_, target, listing);  // for the responses resuming in it
  co_return listing;
}

net::awaitable<result<void, jira_failure>> id_listing_reader::open(const page_key& start) {
  // A response resuming inside a listing page another response of the export read: from
  // the shared cache. The table's start always asks Jira (a new export, a fresh listing).
  const bool resumes = !start.next_page_token.empty() || start.start_at > 0;
  if (shared_ && resumes && !kept(start.next_page_token))
    if (auto cached = shared_->find(scope_, plan_.listing_target(start.next_page_token))) {
      keep(start.next_page_token, std::move(cached));
      co_return result<void, jira_failure>{};
    }
  auto found = co_await listing(start.next_page_token);
  if (!found) co_return found.error();
  co_return result<void, jira_failure>{};
}

std::optional<page_key> id_listing_reader::predicted_next(const page_key& key) const {
  const auto listing = kept(key.next_page_token);
  if (!listing) return std::nullopt;
  return detail_after(*listing, key);
}

net::awaitable<result<void, jira_failure>> id_listing_reader::fetch(const page_key& key, json::array& issues,
                                                                    std::vector<std::int64_t>& listed_at,
                                                                    std::optional<page_key>& next) {
  auto found = co_await listing(key.next_page_token);
  if (!found) co_return found.error();
  const listing_ptr listing = std::move(*found);  // held: the ids below point into it
  next = detail_after(*listing, key);
  const auto ids = detail_ids(*listing, key.start_at);
  if (ids.empty()) co_return result<void, jira_failure>{};
  std::vector<std::size_t> placed;
  auto searched = co_await search_by_ids(client_, plan_, ids, who_, issues, placed, detail_requests_);
  if (!searched) co_return searched.error();
  listed_at.clear();
  for (const auto at : placed) listed_at.push_back(key.start_at + std::int64_t(at));
  co_return result<void, jira_failure>{};
}

net::awaitable<result<void, jira_failure>> search_by_ids(jira_client& client, const listing_plan& plan,
                                                         std::span<const std::int64_t> ids, const jira_identity& who,
                                                         json::array& issues, std::vector<std::size_t>& placed,
                                                         std::size_t& requests) {
  std::vector<std::int64_t> wanted(ids.begin(), ids.end());
  json::array returned(issues.storage());
  std::string continuation;
  // Each request either ends the answer, or brings at least one issue of a split answer,
  // or drops at least one id Jira named as missing: 2 per id bounds a broken Jira.
  for (std::size_t sent = 0; !wanted.empty(); ++sent) {
    if (sent > 2 * ids.size()) co_return envelope_failure(plan.endpoint(), "Jira's search by id does not end");
    ++requests;
    auto target = plan.detail_target(wanted, continuation);  // named: g++ 12 and temporaries in co_await
    auto body = co_await client.get_json(std::move(target), who, issues.storage());
    if (!body) {
      // Jira refuses a search naming an issue it does not have (deleted, or hidden from
      // this user, since the listing), and names it: search again without it.
      const auto& failure = body.error();
      const auto gone = failure.kind == failure_kind::client_error && failure.status == 400
                            ? ids_named(failure.message, wanted)
                            : std::vector<std::int64_t>{};
      if (gone.empty()) co_return failure;
      std::erase_if(wanted, [&](std::int64_t id) { return std::find(gone.begin(), gone.end(), id) != gone.end(); });
      returned.clear();
      continuation.clear();
      continue;
    }
    auto read = listing_plan::read_detail(*body, continuation);
    if (!read.problem.empty()) co_return envelope_failure(plan.endpoint(), read.problem);
    for (auto& issue : *read.value.issues) returned.push_back(std::move(issue));  // same storage: no copy
    if (!read.value.continuation) break;
    continuation = std::move(*read.value.continuation);
  }
  if (auto problem = in_listing_order(returned, ids, issues, placed); !problem.empty())
    co_return envelope_failure(plan.endpoint(), problem);
  co_return result<void, jira_failure>{};
}

}  // namespace jtgw::jira
