#include "gateway/http/request_checks.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

namespace jtgw::http {

bool has_obs_fold(std::string_view header_block) noexcept {
  for (std::size_t pos = header_block.find('\n'); pos != std::string_view::npos;
       pos = header_block.find('\n', pos + 1)) {
    if (pos + 1 < header_block.size() && (header_block[pos + 1] == ' ' || header_block[pos + 1] == '\t'))
      return true;
  }
  return false;
}

std::optional<request_rejection> check_request_header(const request_header& header) {
  using beast::http::field;
  using beast::http::status;
  if (header.method() == beast::http::verb::connect)
    return request_rejection{status::bad_request, "bad_request", "CONNECT is not supported"};
  const auto target = header.target();
  if (target.empty() || target.front() != '/')
    return request_rejection{status::bad_request, "bad_request",
                             "the request target must be a path (origin-form)"};
  // Beast rejects Content-Length with Transfer-Encoding; what remains ambiguous is a
  // Transfer-Encoding that does not end the framing with exactly one "chunked".
  const auto te_count = header.count(field::transfer_encoding);
  if (te_count > 1 ||
      (te_count == 1 && !beast::iequals(header[field::transfer_encoding], "chunked")))
    return request_rejection{status::bad_request, "bad_request",
                             "only Transfer-Encoding: chunked is accepted"};
  if (header.version() >= 11 && header.count(field::host) != 1)
    return request_rejection{status::bad_request, "bad_request",
                             "HTTP/1.1 requests need exactly one Host header"};
  return std::nullopt;
}

request_rejection rejection_for_parse_error(const error_code& ec) noexcept {
  using beast::http::status;
  if (ec == beast::http::error::header_limit)
    return {status::request_header_fields_too_large, "header_too_large",
            "the request header is too large"};
  if (ec == beast::http::error::body_limit)
    return {status::payload_too_large, "body_too_large", "the request body is too large"};
  if (ec == beast::http::error::bad_content_length ||
      ec == beast::http::error::multiple_content_length ||
      ec == beast::http::error::bad_transfer_encoding)
    return {status::bad_request, "bad_request", "conflicting or malformed message framing"};
  return {status::bad_request, "bad_request", "malformed request header"};
}

request_rejection rejection_for_body_error(const error_code& ec) noexcept {
  using beast::http::status;
  if (ec == beast::http::error::body_limit)
    return {status::payload_too_large, "body_too_large", "the request body is too large"};
  return {status::bad_request, "bad_request", "malformed request body"};
}

}  // namespace jtgw::http
