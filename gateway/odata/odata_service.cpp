#include "gateway/odata/odata_service.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>

#include "gateway/odata/csdl.hpp"
#include "gateway/odata/json_writer.hpp"

#ifndef JTGW_DEFAULT_CATALOG
#define JTGW_DEFAULT_CATALOG "connector-manifest/tables.json"
#endif

namespace jtgw::odata {

namespace bhttp = beast::http;
namespace json = boost::json;
namespace urls = boost::urls;

namespace {

constexpr std::string_view odata_prefix = "/odata";
constexpr std::string_view json_content_type = "application/json;odata.metadata=minimal";

http::string_response document(std::string body, std::string_view content_type, unsigned version) {
  http::string_response response{bhttp::status::ok, version};
  response.set(bhttp::field::content_type, content_type);
  response.set("OData-Version", "4.0");
  response.set(bhttp::field::cache_control, "no-store");
  response.body() = std::move(body);
  return response;
}

// "https://host:port/odata/" from the request's Host (validated: an authority without
// userinfo, so a client cannot steer links anywhere odd) and the listener's scheme.
std::optional<std::string> service_root(const http::exchange& ex) {
  const std::string_view host = ex.request()[bhttp::field::host];
  if (host.empty() || host.size() > 255) return std::nullopt;
  auto authority = urls::parse_authority(host);
  if (!authority || authority->has_userinfo() || authority->host().empty()) return std::nullopt;
  return std::string(ex.peer().tls ? "https://" : "http://") + std::string(host) + "/odata/";
}

}  // namespace

bool is_odata_path(std::string_view path) noexcept {
  return path == odata_prefix || path.starts_with("/odata/");
}

std::filesystem::path default_catalog_path() { return JTGW_DEFAULT_CATALOG; }

void to_odata_error(http::string_response& response) {
  json::error_code ec;
  const auto body = json::parse(response.body(), ec);
  odata_error e;
  e.status = response.result_int();
  e.code = "Error";
  if (!ec && body.is_object()) {
    const auto& o = body.get_object();
    if (const auto* code = o.if_contains("error"); code && code->is_string()) e.code = code->get_string();
    if (const auto* message = o.if_contains("message"); message && message->is_string())
      e.message = message->get_string();
  }
  response.body() = error_body(e);
  response.set(bhttp::field::content_type, "application/json");
  response.set("OData-Version", "4.0");
}

http::string_response odata_error_response(const odata_error& error, unsigned version) {
  http::string_response response{static_cast<bhttp::status>(error.status), version};
  response.set(bhttp::field::content_type, "application/json");
  response.set("OData-Version", "4.0");
  response.set(bhttp::field::cache_control, "no-store");
  response.body() = error_body(error);
  return response;
}

odata_service::odata_service(catalog cat, skiptoken_codec codec, jira::jira_client& client, service_settings settings)
    : codec_(std::move(codec)),
      client_(client),
      settings_(settings),
      schemas_(std::move(cat), settings.custom_fields, client, settings.jira_flavor, settings.schema_cache) {}

// Which error, if any, answers a request to `rest` (the path below /odata); nullopt:
// serve it. Kept apart from the coroutine so no co_await meets a temporary (g++ 12
// destroys temporaries of a co_await's full-expression twice).
namespace {

std::optional<odata_error> refusal_for(const catalog& cat, std::string_view rest, const std::string& root) {
  const std::string_view name = rest.substr(1);
  if (cat.find(name)) return std::nullopt;
  // "Issues(10001)", "Issues/$count", "$batch": OData addresses jtgw does not serve.
  const auto cut = name.find_first_of("(/");
  if (cut != std::string_view::npos && cat.find(name.substr(0, cut)))
    return odata_error{501, "NotImplemented",
                       "addressing single entities, properties or $count is not supported; read the whole entity "
                       "set (" + std::string(name.substr(0, cut)) + ")",
                       std::string(name.substr(cut))};
  if (name.starts_with("$")) return odata_error{501, "NotImplemented", std::string(name) + " is not supported", std::string(name)};
  return odata_error{404, "NotFound", "no entity set named '" + std::string(name.substr(0, 128)) + "'; see " + root, ""};
}

}  // namespace

net::awaitable<void> odata_service::handle(http::exchange& ex, odata_caller caller) {
  const unsigned version = ex.request().version();
  std::optional<odata_error> refused;
  std::optional<http::string_response> answer;
  const catalog& shared = schemas_.shared()->tables;
  const auto target = urls::parse_origin_form(ex.request().target());
  const auto root = service_root(ex);
  if (ex.request().method() != bhttp::verb::get) {
    refused = odata_error{405, "MethodNotAllowed", "the OData service is read-only: only GET is allowed", ""};
  } else if (!target) {
    refused = odata_error{400, "BadRequest", "the request target is not a valid URL", ""};
  } else if (!root) {
    refused = odata_error{400, "BadRequest", "the Host header is missing or not a valid host[:port]", ""};
  } else {
    // Decoded path below /odata: "" or "/" (service document), "/$metadata", "/Table".
    const std::string path = target->path();
    const std::string_view rest = std::string_view(path).substr(odata_prefix.size());
    bool json_refused = false;
    for (const auto& p : target->params())
      if (p.key == "$format" && p.value != "json" && !p.value.starts_with("application/json")) json_refused = true;
    if (rest.empty() || rest == "/") {
      if (json_refused)
        refused = odata_error{406, "NotAcceptable", "the service document is available as JSON only", "$format"};
      else
        answer = document(service_document(shared, *root), json_content_type, version);  // same tables for all
    } else {
      const bool metadata = rest == "/$metadata";
      if (!metadata) refused = refusal_for(shared, rest, *root);
      const std::string name(metadata ? "$metadata" : rest.substr(1));
      if (!refused) {
        // The shared schema, or the caller's own: custom-field columns for $metadata and
        // Issues, the child tables' fields (IssueSprints) found in the caller's field list.
        boost::system::result<schema_ptr, jira::jira_failure> schema = schemas_.shared();
        if ((metadata && schemas_.custom_fields()) || schemas_.per_user(name))
          schema = co_await schemas_.for_user(caller.user, caller.identity);
        if (!schema) {
          answer = jira_failure_response(schema.error(), caller, ex, name);
          if (!answer) {
            ex.close_after();
            co_return;
          }
        } else if (metadata) {
          answer = document((*schema)->metadata, "application/xml", version);
        } else {
          const table& t = *(*schema)->tables.find(name);
          co_await serve_table(ex, caller, *schema, t, *root);
          co_return;
        }
      }
    }
  }
  if (refused) {
    answer = odata_error_response(*refused, version);
    if (refused->status == 405) answer->set(bhttp::field::allow, "GET");
  }
  co_await ex.write(*answer);
}

}  // namespace jtgw::odata
