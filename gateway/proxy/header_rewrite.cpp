#include "gateway/proxy/header_rewrite.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace jtgw::proxy {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::field;

// Collects the header names listed in Connection (RFC 9110 §7.6.1): they are hop-by-hop
// for this message only. Copied out because erasing invalidates the views.
std::vector<std::string> named_in_connection(const bhttp::fields& fields) {
  std::vector<std::string> names;
  // Walk every field: same-named lines are not adjacent in Beast's insertion-order list.
  for (const auto& f : fields)
    if (f.name() == field::connection)
      for (auto token : bhttp::token_list(f.value())) names.emplace_back(token);
  return names;
}

// Removes hop-by-hop headers, those named in Connection, and every Proxy-* header.
void strip_hop_by_hop(bhttp::fields& fields) {
  for (const auto& name : named_in_connection(fields)) fields.erase(name);
  for (field f : {field::connection, field::keep_alive, field::te, field::trailer,
                  field::transfer_encoding, field::upgrade, field::proxy_connection})
    fields.erase(f);
  std::vector<std::string> proxy_headers;
  for (const auto& f : fields)
    if (boost::beast::iequals(f.name_string().substr(0, 6), "proxy-"))
      proxy_headers.emplace_back(f.name_string());
  for (const auto& name : proxy_headers) fields.erase(name);
}

}  // namespace

void rewrite_request_header(bhttp::request_header<>& header, const forward_context& ctx) {
  const auto client_host = header.find(field::host) != header.end()
                               ? std::string(header[field::host])
                               : std::string();
  strip_hop_by_hop(header);
  header.erase(field::expect);  // the relay answers 100-continue itself
  header.erase(field::authorization);
  header.erase(field::cookie);
  header.erase("X-Forwarded-User");

  header.set(field::authorization, ctx.credential->authorization());
  header.set(field::host, ctx.upstream_host);

  // Multiple X-Forwarded-For lines are one comma-separated list; fold them into one.
  std::string forwarded_for;
  for (const auto& f : header)
    if (boost::beast::iequals(f.name_string(), "X-Forwarded-For")) forwarded_for.append(f.value()).append(", ");
  forwarded_for.append(ctx.client_address);
  header.set("X-Forwarded-For", forwarded_for);
  header.set("X-Forwarded-Proto", ctx.client_tls ? "https" : "http");
  if (client_host.empty())
    header.erase("X-Forwarded-Host");
  else
    header.set("X-Forwarded-Host", client_host);
  header.set("X-Request-Id", ctx.request_id);
  if (!ctx.forwarded_user.empty()) header.set("X-Forwarded-User", ctx.forwarded_user);
}

void rewrite_response_header(bhttp::response_header<>& header,
                             std::optional<std::chrono::sys_seconds> token_expires) {
  strip_hop_by_hop(header);
  header.erase(field::set_cookie);
  if (token_expires) header.set("X-Jtgw-Token-Expires", rfc3339_utc(*token_expires));
}

std::string rfc3339_utc(std::chrono::sys_seconds when) {
  using namespace std::chrono;
  const auto day = floor<days>(when);
  const year_month_day date{day};
  const hh_mm_ss<seconds> time{when - day};
  char text[64];  // room for any int the formatter might see
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long long>(time.hours().count()), static_cast<long long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  return text;
}

}  // namespace jtgw::proxy
