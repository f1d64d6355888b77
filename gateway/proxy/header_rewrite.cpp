#include "gateway/proxy/header_rewrite.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <cstdio>

namespace jtgw::proxy {
namespace {

namespace bhttp = boost::beast::http;
using bhttp::field;
using boost::beast::iequals;

// The header names a message's Connection lines list (RFC 9110 §7.6.1): hop-by-hop for
// this message only. Collected once per message (Jira and nginx send "Connection:
// keep-alive" on every response), as views into the fields' values. Every field is seen:
// in a response_head's wire order, same-named lines need not be adjacent.
class connection_names {
 public:
  // Fields: Beast's fields or a response_head's (both give name() and value()).
  template <class Fields>
  explicit connection_names(const Fields& fields) {
    for (const auto& f : fields)
      if (f.name() == field::connection)
        for (auto token : bhttp::token_list(f.value())) names_.push_back(token);
  }
  bool contains(std::string_view name) const {
    return std::any_of(names_.begin(), names_.end(), [&](std::string_view n) { return iequals(n, name); });
  }

 private:
  boost::container::small_vector<std::string_view, 8> names_;
};

// Hop-by-hop in either direction: the fixed list, every Proxy-* header, and the headers
// named in Connection.
template <class Field>
bool hop_by_hop(const connection_names& named, const Field& f) {
  switch (f.name()) {
    case field::connection:
    case field::keep_alive:
    case field::te:
    case field::trailer:
    case field::transfer_encoding:
    case field::upgrade:
    case field::proxy_connection:
      return true;
    default:
      break;
  }
  const auto name = f.name_string();
  return iequals(name.substr(0, 6), "proxy-") || named.contains(name);
}

// "name: value\r\n" with one size check instead of four appends' (a header is a few
// dozen of these; `out` keeps its capacity from request to request).
void append_field(std::string& out, std::string_view name, std::string_view value) {
  const std::size_t at = out.size();
  out.resize(at + name.size() + value.size() + 4);
  char* p = out.data() + at;
  p = std::copy(name.begin(), name.end(), p);
  *p++ = ':';
  *p++ = ' ';
  p = std::copy(value.begin(), value.end(), p);
  *p++ = '\r';
  *p = '\n';
}

}  // namespace

void write_upstream_request_header(std::string& out, const bhttp::request_header<>& header,
                                   std::string_view target_prefix, std::string_view target,
                                   const forward_context& ctx, bool chunked) {
  out.clear();
  out.append(header.method_string()).append(" ").append(target_prefix).append(target).append(" HTTP/1.1\r\n");
  append_field(out, "Host", ctx.upstream_host);
  const connection_names named(header);
  for (const auto& f : header) {
    switch (f.name()) {
      case field::expect:         // the relay answers 100-continue itself
      case field::authorization:  // replaced by the upstream credential
      case field::cookie:
      case field::host:           // → X-Forwarded-Host
        continue;
      default:
        break;
    }
    const auto name = f.name_string();
    if (iequals(name, "X-Forwarded-User") || iequals(name, "X-Forwarded-For") ||
        iequals(name, "X-Forwarded-Proto") || iequals(name, "X-Forwarded-Host") || iequals(name, "X-Request-Id") ||
        hop_by_hop(named, f))
      continue;
    append_field(out, name, f.value());
  }
  append_field(out, "Authorization", ctx.credential->authorization());
  // Multiple X-Forwarded-For lines are one comma-separated list; fold them into one.
  out.append("X-Forwarded-For: ");
  for (const auto& f : header)
    if (iequals(f.name_string(), "X-Forwarded-For")) out.append(f.value()).append(", ");
  out.append(ctx.client_address).append("\r\n");
  append_field(out, "X-Forwarded-Proto", ctx.client_tls ? "https" : "http");
  if (const auto host = header[field::host]; !host.empty()) append_field(out, "X-Forwarded-Host", host);
  append_field(out, "X-Request-Id", ctx.request_id);
  if (!ctx.forwarded_user.empty()) append_field(out, "X-Forwarded-User", ctx.forwarded_user);
  if (chunked) out.append("Transfer-Encoding: chunked\r\n");
  out.append("\r\n");
}

void write_client_response_header(std::string& out, const response_head& header, const response_context& ctx) {
  out.clear();
  char code[4];
  const unsigned status = header.status;
  code[0] = static_cast<char>('0' + status / 100 % 10);
  code[1] = static_cast<char>('0' + status / 10 % 10);
  code[2] = static_cast<char>('0' + status % 10);
  code[3] = ' ';
  out.append(ctx.version >= 11 ? "HTTP/1.1 " : "HTTP/1.0 ").append(code, sizeof code);
  const auto reason = header.reason;
  out.append(reason.empty() ? std::string_view(bhttp::obsolete_reason(bhttp::int_to_status(status))) : reason).append("\r\n");
  const connection_names named(header.fields);
  for (const auto& f : header.fields) {
    if (f.name() == field::set_cookie || (ctx.chunked && f.name() == field::content_length)) continue;
    const auto name = f.name_string();
    if (iequals(name, "X-Request-Id") || iequals(name, "X-Jtgw-Token-Expires") || hop_by_hop(named, f)) continue;
    append_field(out, name, f.value());
  }
  append_field(out, "X-Request-Id", ctx.request_id);
  if (ctx.token_expires) append_field(out, "X-Jtgw-Token-Expires", rfc3339_utc(*ctx.token_expires));
  if (ctx.chunked) out.append("Transfer-Encoding: chunked\r\n");
  // HTTP/1.1 is persistent unless it says close; HTTP/1.0 only when it says keep-alive.
  if (ctx.version >= 11 && !ctx.keep_alive) out.append("Connection: close\r\n");
  if (ctx.version < 11 && ctx.keep_alive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
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
