#pragma once
// Jira's response header in its common form, read without Beast's parser.
//
// Why: Beast's parser checks a header byte by byte in several passes and stores every
// field in an allocated, tree-indexed node; for the usual small JSON answer that was the
// largest single cost of a proxied request. Here one pass over the bytes recognises the
// simple case and keeps its fields as views into them:
//   - a status line "HTTP/1.0" or "HTTP/1.1", a final status 200–599 other than 204 and
//     304, and a reason of visible characters, spaces and tabs (obs-text allowed);
//   - fields "token: value" with CRLF line ends, no obs-fold, no control character
//     other than tab in a value;
//   - exactly one Content-Length of at most 18 digits and no Transfer-Encoding.
// Anything else is `not_simple`, and the relay gives the same bytes to Beast's parser,
// which decides about them (and refuses what is malformed). So this parser only ever
// recognises and never rejects: what it accepts, Beast accepts with the same meaning
// (tests/gateway/proxy/test_response_head.cpp checks that on generated headers).
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <boost/optional.hpp>

#include <cstdint>
#include <string_view>

namespace jtgw::proxy {

// One field of a response_head, shaped like Beast's fields::value_type for the rewrite.
class head_field {
 public:
  head_field(boost::beast::http::field id, std::string_view name, std::string_view value) noexcept
      : id_(id), name_(name), value_(value) {}
  boost::beast::http::field name() const noexcept { return id_; }
  std::string_view name_string() const noexcept { return name_; }
  std::string_view value() const noexcept { return value_; }

 private:
  boost::beast::http::field id_;
  std::string_view name_;
  std::string_view value_;
};

// A response header as the relay needs it, however it was read. Views point into the
// parsed bytes (or, when built from a Beast header, into its fields): valid while those are.
struct response_head {
  unsigned version = 11;  // 10 or 11
  unsigned status = 0;
  std::string_view reason;
  boost::container::small_vector<head_field, 16> fields;
  // The framing, as the reader (this one or Beast's parser) worked it out:
  boost::optional<std::uint64_t> content_length;  // empty: chunked or close-delimited (Beast's type)
  bool keep_alive = false;  // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with keep-alive
  std::size_t size = 0;     // the header's bytes still in the read buffer (0 once a parser consumed them)

  // The value of the first field with this name (case-insensitive), or empty.
  std::string_view find(std::string_view name) const noexcept;
};

// Status, reason, version and fields of a header Beast parsed, as views into it (the
// framing members are left for the caller, who has the parser).
response_head head_of(const boost::beast::http::response_header<>& header);

enum class head_scan { complete, need_more, not_simple };

// Recognises a simple response header at the start of `data` (see above) and fills
// `head`. need_more: no complete header yet within `limit` bytes, and nothing so far
// rules the simple case out; not_simple: give the bytes to Beast's parser.
// `head` is meaningful only on complete.
head_scan scan_simple_response_head(std::string_view data, std::size_t limit, response_head& head);

}  // namespace jtgw::proxy
