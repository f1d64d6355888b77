#pragma once
// The OData v4 service at /odata (HTTP side): the service document, $metadata, and every
// catalog table as an entity set, streamed from Jira through the data layer.
//
//   GET /odata/            service document (JSON)
//   GET /odata/$metadata   CSDL XML, application/xml (per user with custom fields)
//   GET /odata/{Table}     rows as OData JSON (odata.metadata=minimal), chunked, flushed
//                          as the row writer fills; server-driven paging with
//                          @odata.nextLink + $skiptoken (bound to user, table and
//                          $filter); $filter time ranges (filter.hpp) narrow the Jira search
//
// The router authenticates first (the gateway's Authenticator and denial function) and
// hands over who the caller is; everything here answers in OData's JSON error format.
// Memory per request: one row writer buffer and at most two Jira pages (prefetch), or on
// Cloud's issue searches search_slots detail pages and two id listing pages.
// With custom fields on, $metadata and the custom fields' table (Issues) are served from
// the caller's own schema (user_schemas.hpp); everything else from the shared one.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "gateway/http/exchange.hpp"
#include "gateway/jira/jira_client.hpp"
#include "gateway/jira/listing_cache.hpp"
#include "gateway/odata/catalog.hpp"
#include "gateway/odata/odata_error.hpp"
#include "gateway/odata/query_options.hpp"
#include "gateway/odata/skiptoken.hpp"
#include "gateway/odata/user_schemas.hpp"

namespace jtgw::odata {

struct service_settings {
  flavor jira_flavor = flavor::cloud;
  query_limits limits;                    // rows per response: default and cap
  std::size_t flush_bytes = 64 * 1024;    // send a chunk whenever this much is written
  bool custom_fields = false;             // [odata] include_custom_fields (needs the catalog's section)
  schema_cache_limits schema_cache;       // per-user field lists, when custom_fields
  /// Per-issue requests completing truncated lists (worklogs, comments, changelog), in
  /// flight per request at most ([odata] completion_concurrency).
  std::size_t completion_slots = 4;
  /// Cloud issue searches: detail pages by id in flight per request at most
  /// ([odata] search_concurrency; jira/id_listing.hpp).
  std::size_t search_slots = 4;
};

/// The authenticated caller of one request, as the router established it.
struct odata_caller {
  std::string user;               // binds $skiptoken; as the token record has it
  jira::jira_identity identity;   // who to be towards Jira (app::identity_builder's answer)
  /// User mode: Jira refused the user's stored credential. Builds the gateway's denial
  /// (401 + WWW-Authenticate, counted) in OData form for HTTP `version`. Empty in service
  /// mode, where a refused service credential is a 502.
  std::function<http::string_response(unsigned version)> credential_rejected;
};

/// True for "/odata" and every path below "/odata/".
bool is_odata_path(std::string_view path) noexcept;

/// Rewrites a gateway JSON error response ({"error":CODE,"message":TEXT}) into OData's
/// error format ({"error":{"code":CODE,"message":TEXT}}), keeping status and headers
/// (WWW-Authenticate, Retry-After). Used for the gateway's denials on /odata.
void to_odata_error(http::string_response& response);

/// A response carrying `error` in OData's format, with OData-Version and no-store.
http::string_response odata_error_response(const odata_error& error, unsigned version);

/// The answer to Jira failing before any byte of the response went out (logged here,
/// naming `what`): the caller's credential denial when Jira refused the user's own
/// credential, else an OData error (with Retry-After when throttled). nullopt when the
/// request was cancelled: close the connection without an answer.
std::optional<http::string_response> jira_failure_response(const jira::jira_failure& failure,
                                                           const odata_caller& caller, const http::exchange& ex,
                                                           std::string_view what);

class odata_service {
 public:
  /// `client` must outlive the service. The shared documents are generated here once.
  odata_service(catalog cat, skiptoken_codec codec, jira::jira_client& client, service_settings settings);

  /// Answers one request under /odata (see the table above). Writes exactly one response
  /// or, when Jira fails after rows went out, closes the connection mid-body so the
  /// client cannot mistake a truncated table for a complete one.
  net::awaitable<void> handle(http::exchange& ex, odata_caller caller);

  /// The catalog as loaded (without per-user custom-field columns).
  const catalog& tables() const noexcept { return schemas_.shared()->tables; }

 private:
  /// `t` is a table of `schema`, which the data layer keeps alive while it reads.
  net::awaitable<void> serve_table(http::exchange& ex, const odata_caller& caller, const schema_ptr& schema,
                                   const table& t, const std::string& service_root);

  skiptoken_codec codec_;
  jira::jira_client& client_;
  service_settings settings_;
  user_schemas schemas_;
  jira::listing_cache listings_;  // Cloud searches' id listing pages, for resumed responses
};

/// The catalog jtgw loads when the config names none: the shipped
/// connector-manifest/tables.json, at the path fixed at build time.
std::filesystem::path default_catalog_path();

}  // namespace jtgw::odata
