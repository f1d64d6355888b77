#include "gateway/proxy/response_head.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <array>

namespace jtgw::proxy {
namespace {

namespace bhttp = boost::beast::http;
using boost::beast::iequals;

// RFC 9110 tchar: what a field name is made of.
constexpr std::array<bool, 256> make_token_table() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr auto is_token_char = make_token_table();

// What a value or reason may hold: HTAB, SP, VCHAR and obs-text (0x80–0xff).
constexpr std::array<bool, 256> make_text_table() {
  std::array<bool, 256> table{};
  table['\t'] = true;
  for (int c = 0x20; c < 0x7f; ++c) table[c] = true;
  for (int c = 0x80; c < 0x100; ++c) table[c] = true;
  return table;
}
constexpr auto is_text_char = make_text_table();

constexpr std::string_view end_of_header = "\r\n\r\n";

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The text up to the line's CR, if every character is allowed text and CRLF ends it.
// `line` is one line including its CRLF.
bool text_until_crlf(std::string_view line, std::string_view& text) noexcept {
  const std::size_t end = line.size() - 2;
  for (std::size_t i = 0; i < end; ++i)
    if (!is_text_char[static_cast<unsigned char>(line[i])]) return false;
  text = line.substr(0, end);
  return true;
}

std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "HTTP/1.x SSS reason\r\n"
bool parse_status_line(std::string_view line, response_head& head) noexcept {
  constexpr std::string_view http1 = "HTTP/1.";
  // The shortest line is "HTTP/1.1 200 \r\n".
  if (line.size() < 15 || !line.starts_with(http1) || line[8] != ' ' || line[12] != ' ') return false;
  if (line[7] != '0' && line[7] != '1') return false;
  head.version = line[7] == '1' ? 11 : 10;
  if (!is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11])) return false;
  head.status = static_cast<unsigned>((line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0'));
  // 1xx, 204 and 304 carry no body whatever they say: Beast's rules apply to them.
  if (head.status < 200 || head.status > 599 || head.status == 204 || head.status == 304) return false;
  return text_until_crlf(line.substr(13), head.reason);
}

boost::optional<std::uint64_t> parse_content_length(std::string_view value) noexcept {
  // 18 digits cannot overflow 64 bits; a longer (or zero-padded) one is Beast's to judge.
  if (value.empty() || value.size() > 18) return boost::none;
  std::uint64_t n = 0;
  for (char c : value) {
    if (!is_digit(c)) return boost::none;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

}  // namespace

std::string_view response_head::find(std::string_view name) const noexcept {
  for (const auto& f : fields)
    if (iequals(f.name_string(), name)) return f.value();
  return {};
}

response_head head_of(const bhttp::response_header<>& header) {
  response_head head;
  head.version = header.version();
  head.status = header.result_int();
  head.reason = header.reason();
  for (const auto& f : header) head.fields.emplace_back(f.name(), f.name_string(), f.value());
  return head;
}

head_scan scan_simple_response_head(std::string_view data, std::size_t limit, response_head& head) {
  const auto end = data.substr(0, limit).find(end_of_header);
  if (end == std::string_view::npos) return data.size() >= limit ? head_scan::not_simple : head_scan::need_more;
  head.size = end + end_of_header.size();
  head.fields.clear();
  // Every line, the status line and the final empty one included, ends with CRLF.
  std::string_view rest = data.substr(0, head.size);
  auto next_line = [&rest]() -> std::string_view {
    const auto lf = rest.find('\n');
    if (lf == std::string_view::npos || lf == 0 || rest[lf - 1] != '\r') return {};
    const auto line = rest.substr(0, lf + 1);
    rest.remove_prefix(lf + 1);
    return line;
  };
  if (!parse_status_line(next_line(), head)) return head_scan::not_simple;

  head.content_length.reset();
  bool says_close = false;
  bool says_keep_alive = false;
  for (;;) {
    const std::string_view line = next_line();
    if (line.size() < 2) return head_scan::not_simple;  // a bare LF, or a CR without LF
    if (line.size() == 2) break;                         // the empty line: the end
    std::size_t colon = 0;
    while (is_token_char[static_cast<unsigned char>(line[colon])]) ++colon;  // stops at CR at the latest
    if (colon == 0 || line[colon] != ':') return head_scan::not_simple;       // includes obs-fold (leading SP)
    std::string_view value;
    if (!text_until_crlf(line.substr(colon + 1), value)) return head_scan::not_simple;
    const std::string_view name = line.substr(0, colon);
    value = trim_ows(value);
    const bhttp::field id = bhttp::string_to_field(name);
    switch (id) {
      case bhttp::field::transfer_encoding:
        return head_scan::not_simple;
      case bhttp::field::content_length:
        if (head.content_length) return head_scan::not_simple;  // a second one
        head.content_length = parse_content_length(value);
        if (!head.content_length) return head_scan::not_simple;
        break;
      case bhttp::field::connection:
      case bhttp::field::proxy_connection: {  // Beast's parser reads both alike
        const bhttp::opt_token_list tokens{value};
        if (!bhttp::validate_list(tokens)) return head_scan::not_simple;  // as Beast checks it
        for (auto token : tokens) {
          says_close = says_close || iequals(token, "close");
          says_keep_alive = says_keep_alive || iequals(token, "keep-alive");
        }
        break;
      }
      default:
        break;
    }
    head.fields.emplace_back(id, name, value);
  }
  // Close-delimited, or a Connection that says both: Beast's rules.
  if (!head.content_length || (says_close && says_keep_alive)) return head_scan::not_simple;
  head.keep_alive = head.version == 11 ? !says_close : says_keep_alive;
  return head_scan::complete;
}

}  // namespace jtgw::proxy
