// odata_service::serve_table: one entity-set page streamed from Jira as OData JSON.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <spdlog/spdlog.h>

#include "gateway/jira/jql_narrowing.hpp"
#include "gateway/jira/prefetch.hpp"
#include "gateway/jira/table_reader.hpp"
#include "gateway/jira/worklog_feed_reader.hpp"
#include "gateway/odata/json_writer.hpp"
#include "gateway/odata/odata_service.hpp"
#include "gateway/odata/row_expand.hpp"
#include "gateway/odata/row_extract.hpp"

namespace jtgw::odata {

namespace bhttp = beast::http;
namespace urls = boost::urls;
using jira::failure_kind;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
// With a $filter, at most this many Jira pages are read for one response.
constexpr std::size_t max_filtered_pages_per_response = 50;

namespace {

odata_error skiptoken_problem(const boost::system::error_code& ec) {
  odata_error e{400, "BadSkipToken", "", "$skiptoken"};
  if (ec == skiptoken_error::foreign_user)
    e.message = "this $skiptoken was issued to another user; start again without it";
  else if (ec == skiptoken_error::foreign_table)
    e.message = "this $skiptoken belongs to another entity set; start again without it";
  else if (ec == skiptoken_error::foreign_query)
    e.message = "this $skiptoken was issued for another $filter; follow @odata.nextLink as given";
  else if (ec == skiptoken_error::outdated)
    e.message = "this $skiptoken was issued by an earlier version of this service; start the export again without it";
  else
    e.message = "the $skiptoken is not one this service issued, or it was altered (" + ec.message() + ")";
  return e;
}

// Jira's failure as the client sees it.
odata_error jira_problem(const jira::jira_failure& f) {
  switch (f.kind) {
    case failure_kind::throttled:
      return {503, "JiraThrottled", "Jira is rate limiting or unavailable; retry after the indicated time", ""};
    case failure_kind::timeout: return {504, "JiraTimeout", "Jira did not answer in time; try again later", ""};
    case failure_kind::client_error:
      if (f.status == 403) return {403, "JiraForbidden", "Jira refused: " + f.message, ""};
      return {502, "JiraRefused", "Jira refused jtgw's request: " + f.message, ""};
    case failure_kind::unreachable: return {502, "JiraUnreachable", f.message, ""};
    case failure_kind::credential_rejected:
      return {502, "JiraCredentialRejected", "Jira rejected jtgw's service credential", ""};
    default: return {502, "JiraBadResponse", f.message, ""};
  }
}

// Where the next response starts: `row` rows of the item at `item` of the page at `key`
// are out. Offset-paged listings resume at the exact item; cursor-paged ones re-read the
// page and skip.
page_position position_inside(const table_source& source, const jira::page_key& key, std::size_t item,
                              std::size_t row) {
  page_position p;
  p.parent_index = key.parent_index;
  p.row_skip = static_cast<std::uint32_t>(row);
  if (source.paging == paging_style::search_jql || source.paging == paging_style::plain_array) {
    p.start_at = key.start_at;
    p.next_page_token = key.next_page_token;
    p.skip = static_cast<std::uint32_t>(item);
  } else {
    p.start_at = key.start_at + static_cast<std::int64_t>(item);
  }
  return p;
}

// Where the next response starts: `row` rows of the item at `item` of `page` are out.
// Two-tier Cloud searches resume at that issue's own place in the id listing, so the
// next response reads no issue twice (its place there, not its index in the page, which
// lacks the issues that vanished since the listing).
page_position position_in_page(const table_source& source, const jira::jira_page& page, std::size_t item,
                               std::size_t row) {
  if (item >= page.listed_at.size()) return position_inside(source, page.key, item, row);
  jira::page_key at = page.key;
  at.start_at = page.listed_at[item];
  return position_inside(source, at, 0, row);
}

// Rows the items of `page` from `item` on stand for, less `row_skip` of the first.
std::int64_t rows_from(const table_source& source, const jira::jira_page& page, std::size_t item,
                       std::size_t row_skip) {
  if (!source.rows) return std::int64_t(page.items->size() - std::min(item, page.items->size()));
  std::int64_t n = 0;
  for (std::size_t i = item; i < page.items->size(); ++i) n += std::int64_t(count_rows(source, (*page.items)[i]));
  return std::max<std::int64_t>(n - std::int64_t(row_skip), 0);
}

// The nextLink: the caller's $select, $filter and $format again, then the token.
std::string next_link(const std::string& service_root, const table& t, const urls::params_view& params,
                      const std::string& token) {
  urls::url link(service_root + t.name);
  for (const auto& p : params)
    if (p.key == "$select" || p.key == "$filter" || p.key == "$format") link.params().append({p.key, p.value});
  link.params().append({"$skiptoken", token});
  return std::string(link.buffer());
}

// The response body goes out as chunks through one serializer.
class chunked_writer {
 public:
  chunked_writer(http::exchange& ex, bhttp::response<bhttp::buffer_body>& response)
      : ex_(ex), response_(response), serializer_(response) {}

  net::awaitable<error_code> header() {
    response_.body().data = nullptr;
    response_.body().size = 0;
    response_.body().more = true;
    ex_.stream().tcp().expires_after(ex_.limits().write_timeout);
    auto [ec, n] = co_await bhttp::async_write_header(ex_.stream(), serializer_, use_tuple);
    ex_.record().bytes_out += n;
    co_return ec;
  }

  // Sends `bytes` as one chunk (nothing when empty), or the last chunk when `last`.
  net::awaitable<error_code> send(std::string& bytes, bool last) {
    if (!bytes.empty()) {
      if (auto ec = co_await step(bytes.data(), bytes.size(), true)) co_return ec;
      bytes.clear();
    }
    if (last) co_return co_await step(nullptr, 0, false);
    co_return error_code{};
  }

 private:
  net::awaitable<error_code> step(char* data, std::size_t size, bool more) {
    response_.body().data = data;
    response_.body().size = size;
    response_.body().more = more;
    ex_.stream().tcp().expires_after(ex_.limits().write_timeout);
    auto [ec, n] = co_await bhttp::async_write(ex_.stream(), serializer_, use_tuple);
    ex_.record().bytes_out += n;
    // need_buffer: the serializer took the whole chunk and waits for the next one.
    co_return ec == bhttp::error::need_buffer ? error_code{} : ec;
  }

  http::exchange& ex_;
  bhttp::response<bhttp::buffer_body>& response_;
  bhttp::response_serializer<bhttp::buffer_body> serializer_;
};

}  // namespace

std::optional<http::string_response> jira_failure_response(const jira::jira_failure& f, const odata_caller& caller,
                                                           const http::exchange& ex, std::string_view what) {
  if (f.kind == failure_kind::cancelled) return std::nullopt;
  spdlog::log(f.kind == failure_kind::throttled ? spdlog::level::info : spdlog::level::warn, "odata {} {}: {}",
              ex.request_id(), what, f.message);
  const unsigned version = ex.request().version();
  if (f.kind == failure_kind::credential_rejected && caller.credential_rejected)
    return caller.credential_rejected(version);
  auto response = odata_error_response(jira_problem(f), version);
  if (f.retry_after.count() > 0) response.set(bhttp::field::retry_after, std::to_string(f.retry_after.count()));
  return response;
}

net::awaitable<void> odata_service::serve_table(http::exchange& ex, const odata_caller& caller,
                                                const schema_ptr& schema, const table& t, const std::string& root) {
  const unsigned version = ex.request().version();
  // Every early answer goes through `refused` and one write at the end of the prologue:
  // no co_await sees a temporary (g++ 12 destroys those twice).
  std::optional<http::string_response> refused;
  auto refuse = [&](const odata_error& e, std::chrono::seconds retry_after = {}) {
    refused = odata_error_response(e, version);
    if (retry_after.count() > 0) refused->set(bhttp::field::retry_after, std::to_string(retry_after.count()));
  };
  const auto target = urls::parse_origin_form(ex.request().target());
  const auto params = target->params();
  auto options = parse_query_options(t, params, ex.request()[bhttp::field::prefer], settings_.limits);
  if (!options) {
    refuse(options.error());
    co_await ex.write(*refused);
    co_return;
  }
  const auto& source = t.source[std::size_t(settings_.jira_flavor)];
  const row_filter& filter = options->filter;
  const std::string query_binding = filter.canonical();

  // Where this response starts, how many rows it may hold, and how many $top leaves.
  page_position start;
  start.page_size = static_cast<std::uint32_t>(options->page_size);
  start.remaining = options->top.value_or(-1);
  if (!options->skiptoken.empty()) {
    auto decoded = codec_.decode(caller.user, t.name, options->skiptoken, query_binding);
    if (!decoded) {
      refuse(skiptoken_problem(decoded.error()));
      co_await ex.write(*refused);
      co_return;
    }
    start = *decoded;
    if (start.page_size == 0 || start.page_size > settings_.limits.max_page_size)
      start.page_size = static_cast<std::uint32_t>(settings_.limits.max_page_size);
  }
  std::int64_t budget = start.page_size;
  if (start.remaining >= 0) budget = std::min<std::int64_t>(budget, start.remaining);
  if (filter.contradictory()) budget = 0;  // no row can pass: no need to ask Jira

  // The reader holds the schema: a fetch may outlive this coroutine by a cancellation.
  // Worklogs on Cloud bounded by Updated from below come from Jira's worklog feed (a few
  // requests for a narrow range); every other read walks the table's listing.
  const std::shared_ptr<const catalog> owner(schema, &schema->tables);
  std::shared_ptr<jira::table_reader> reader;
  std::shared_ptr<jira::page_source> pages;
  if (const auto feed = jira::worklog_feed_range(source, filter)) {
    pages = std::make_shared<jira::worklog_feed_reader>(client_, t, caller.identity, *feed, start.page_size,
                                                         settings_.search_slots, owner);
  } else {
    reader = std::make_shared<jira::table_reader>(client_, schema->tables, t, settings_.jira_flavor, caller.identity,
                                                  owner, jira::jql_narrowing(t, filter), settings_.completion_slots,
                                                  settings_.search_slots);
    reader->share_listings(listings_, caller.user);
    pages = reader;
  }
  jira::page_pipeline pipeline(pages, co_await net::this_coro::executor);
  jira::page_key key{start.parent_index, start.start_at, start.next_page_token, start.skip};
  std::size_t skip = start.skip;
  std::size_t row_skip = start.row_skip;
  // How many pages after the one awaited this response needs, `rows_left` rows still to
  // send: fetched ahead (as many as the reader allows in flight). How many rows a page
  // of a rows.each table holds is known only once it is here: none are wanted then.
  auto pages_after = [&](std::int64_t rows_left) -> std::size_t {
    if (source.rows) return 0;
    if (source.max_page_size <= 0) return 1;  // unpaged listings: the next parent's
    const auto beyond = rows_left + std::int64_t(skip) - source.max_page_size;
    return beyond <= 0 ? 0 : std::size_t((beyond + source.max_page_size - 1) / source.max_page_size);
  };
  // The pages after the one in hand this response needs beyond its rows (`rows_after`
  // still to send once they are out). Child tables: the next one only. Their pages'
  // row counts vary, so pages fetched further ahead were often not read (the response
  // ends at a page's end, see end_with_page below) and read again, lists completed again,
  // by the next response: +15% Jira requests for Worklogs on Cloud.
  auto pages_beyond = [&](std::int64_t rows_after) -> std::size_t {
    if (source.rows || source.max_page_size <= 0) return 1;
    return std::size_t((rows_after + source.max_page_size - 1) / source.max_page_size);
  };

  // The first page decides the status: Jira's failures before any byte is out are
  // proper OData errors.
  jira::page_ptr page;
  if (budget > 0) {
    const auto started = std::chrono::steady_clock::now();
    // (No co_await inside ?: — g++ 12 miscompiles temporaries there.)
    boost::system::result<jira::page_ptr, jira::jira_failure> first = jira::jira_failure{};
    boost::system::result<void, jira::jira_failure> opened;
    if (reader) opened = co_await reader->open(key);
    if (!opened)
      first = opened.error();
    else
      first = co_await pipeline.take(key, pages_after(budget));
    ex.record().upstream_time =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    if (!first) {
      refused = jira_failure_response(first.error(), caller, ex, t.name);
      if (!refused) {
        ex.close_after();
        co_return;
      }
      co_await ex.write(*refused);
      co_return;
    }
    page = std::move(*first);
  }

  bhttp::response<bhttp::buffer_body> response{bhttp::status::ok, version};
  response.set(bhttp::field::content_type, "application/json;odata.metadata=minimal");
  response.set("OData-Version", "4.0");
  response.set(bhttp::field::cache_control, "no-store");
  response.set("X-Request-Id", ex.request_id());
  if (options->page_size_preferred)
    response.set("Preference-Applied", "odata.maxpagesize=" + std::to_string(start.page_size));
  response.chunked(true);
  response.keep_alive(ex.keep_alive());
  if (!ex.keep_alive()) ex.close_after();
  ex.record().status = 200;
  chunked_writer out(ex, response);
  if (auto ec = co_await out.header()) {
    ex.close_after();
    co_return;
  }

  row_writer writer(t, options->columns, settings_.flush_bytes);
  writer.begin(context_url(root, t, options->columns, options->all_columns));
  row cells;
  std::vector<extract_problem> problems;
  std::int64_t sent = 0;
  std::optional<page_position> resume;  // where the next response starts, if anywhere
  std::size_t pages_read = 0;
  while (page) {
    const auto& items = *page->items;
    const std::int64_t rows_left = budget - sent;
    const std::int64_t rows_here = rows_from(source, *page, skip, row_skip);
    // Child tables end a response at a Jira page's end when the next page (as big as
    // this one, as far as anyone knows) would not fit: the next response then starts at
    // that page's start, so no Jira page is fetched, nor truncated list completed, twice.
    // A response may so hold fewer rows than its page size; OData allows that.
    const bool end_with_page = source.rows && page->next && rows_here > 0 && rows_left >= rows_here &&
                               rows_left - rows_here < rows_from(source, *page, 0, 0);
    if (page->next && !end_with_page && rows_left > rows_here)
      pipeline.prefetch(*page->next, pages_beyond(rows_left - rows_here));
    std::size_t item = std::min(skip, items.size());
    for (; item < items.size() && sent < budget && !resume; ++item) {
      item_rows walker(source, items[item], page->parent);
      std::size_t in_item = walker.skip(row_skip);  // rows of this item walked, sent or filtered out
      row_skip = 0;
      while (sent < budget && walker.next()) {
        ++in_item;
        extract_row(t, settings_.jira_flavor, walker.scope(), cells, &problems);
        if (!filter.matches(cells)) continue;  // Jira's answer is a superset: keep exactly the range
        ++sent;
        writer.write_row(cells);
        if (writer.wants_flush())
          if (auto ec = co_await out.send(writer.buffer(), false)) {
            ex.close_after();
            co_return;
          }
      }
      // Full before this item's end: the next response resumes inside it.
      if (sent >= budget && walker.next()) resume = position_in_page(source, *page, item, in_item);
    }
    if (end_with_page && !resume) {
      resume = position_inside(source, *page->next, 0, 0);
      break;
    }
    if (sent >= budget) {
      if (!resume && item < items.size())
        resume = position_in_page(source, *page, item, 0);
      else if (!resume && page->next)
        resume = position_inside(source, *page->next, 0, 0);
      break;
    }
    if (!page->next) break;
    if (!filter.empty() && ++pages_read >= max_filtered_pages_per_response) {
      // Jira's rows keep falling outside the range: answer what there is (OData allows a
      // short page) rather than keep the client waiting without a byte.
      resume = position_inside(source, *page->next, 0, 0);
      break;
    }
    key = *page->next;
    skip = 0;
    row_skip = 0;
    auto more = co_await pipeline.take(key, pages_after(budget - sent));
    if (!more) {
      // Rows are out: the only honest signal left is a body that never completes.
      spdlog::warn("odata {} {}: Jira failed after {} rows: {}", ex.request_id(), t.name, sent, more.error().message);
      ex.close_after();
      co_return;
    }
    page = std::move(*more);
  }
  if (!problems.empty())
    spdlog::info("odata {} {}: {} cells null because Jira sent an unexpected shape (first: column {})",
                 ex.request_id(), t.name, problems.size(), t.columns[problems.front().column].name);

  std::string link;
  const bool top_done = start.remaining >= 0 && start.remaining - sent <= 0;
  if (resume && !top_done) {
    resume->page_size = start.page_size;
    resume->remaining = start.remaining >= 0 ? start.remaining - sent : -1;
    auto token = codec_.encode(caller.user, t.name, *resume, query_binding);
    if (!token) {
      // Without a link the client would take the table as complete: break the body instead.
      spdlog::warn("odata {} {}: cannot encode the next $skiptoken: {}", ex.request_id(), t.name,
                   token.error().message());
      ex.close_after();
      co_return;
    }
    link = next_link(root, t, params, *token);
  }
  writer.finish(link);
  if (auto ec = co_await out.send(writer.buffer(), true)) ex.close_after();
}

}  // namespace jtgw::odata
