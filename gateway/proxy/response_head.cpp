#include "gateway/proxy/response_head.hpp"

#include "gateway/http/byte_words.hpp"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

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

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// Values and names are most of a header's bytes: checked a word at a time.
namespace bw = http::byte_words;
using block = bw::word;

// Marks on the bytes that are not text: below 0x20 (CR and LF included) or DEL.
block not_text(block b) noexcept { return bw::below(b, 0x20) | bw::equal(b, 0x7f); }

// The bytes of a header being read, and what a line's end is.
class header_bytes {
 public:
  // Bytes up to `end`, at least a block's worth of them.
  explicit header_bytes(const char* end) noexcept : end_(end), last_block_(end - sizeof(block)) {}

  // The first byte at or after `p` that is not text (see is_text_char), or `end`.
  // (Inlined: the masks stay in registers across a header's lines.)
  [[gnu::always_inline]] const char* text_end(const char* p) const noexcept {
    while (p <= last_block_) {
      const block flagged = not_text(bw::load(p));
      if (flagged == 0) {
        p += sizeof(block);
        continue;
      }
      p += bw::first(flagged);
      if (*p != '\t') return p;  // HTAB is the one control a value may hold
      ++p;
    }
    while (p != end_ && is_text_char[static_cast<unsigned char>(*p)]) ++p;
    return p;
  }

  enum class line_end { crlf, other, missing };
  // What ends a line at `p`: CRLF, something else (not simple), or bytes not there yet.
  line_end at(const char* p) const noexcept {
    if (end_ - p >= 2) return p[0] == '\r' && p[1] == '\n' ? line_end::crlf : line_end::other;
    return p == end_ || *p == '\r' ? line_end::missing : line_end::other;
  }

 private:
  const char* end_;
  const char* last_block_;
};

// A fixed spelling of at most 32 bytes, compared eight bytes at a time: letters in either
// case, every other byte exact. That is Beast's iequals, and how Beast's field table
// compares the bytes of a token (it masks bit 0x20 of every byte, but a token character
// that differs from '-' or a digit in that bit alone is a control, not a token character).
class spelling {
 public:
  static constexpr std::size_t max_size = 32;

  explicit spelling(std::string_view text) : size_(text.size()) {
    if (text.size() > max_size) throw std::length_error("spelling: longer than 32 bytes");
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      const int shift = 8 * static_cast<int>(i % sizeof(block));
      const bool letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
      bytes_[i / sizeof(block)] |= block{c} << shift;
      care_[i / sizeof(block)] |= block{letter ? 0xdfu : 0xffu} << shift;
    }
    blocks_ = (text.size() + sizeof(block) - 1) / sizeof(block);
  }
  spelling() = default;

  std::size_t size() const noexcept { return size_; }
  // How many bytes starts_at reads (the spelling's rounded up to whole blocks).
  std::size_t reach() const noexcept { return blocks_ * sizeof(block); }
  // Whether the bytes at `p` begin with this spelling; `reach()` bytes must be there.
  bool starts_at(const char* p) const noexcept {
    for (std::size_t i = 0; i < blocks_; ++i)
      if ((bw::load(p + i * sizeof(block)) ^ bytes_[i]) & care_[i]) return false;
    return true;
  }
  // Whether `text` is this spelling, reading up to `end` (which must be at or after its end).
  bool is(std::string_view text, const char* end) const noexcept {
    return text.size() == size_ && static_cast<std::size_t>(end - text.data()) >= reach() && starts_at(text.data());
  }

 private:
  std::array<block, max_size / sizeof(block)> bytes_{};  // zero past the end
  std::array<block, max_size / sizeof(block)> care_{};   // the bits that must be alike; none past the end
  std::size_t size_ = 0;
  std::size_t blocks_ = 0;
};

// The names nginx and Jira send on nearly every response, each with its ':', found by the
// first four bytes of a line and a compare or two: no search for the colon, no token check,
// no hash lookup in Beast's table. A match is one of these spellings (letters in any case),
// so its bytes are token characters, and its id is what Beast's table said for it.
class known_names {
 public:
  struct known {
    spelling name_colon;
    bhttp::field id = bhttp::field::unknown;
  };

  known_names() {
    for (const std::string_view name :
         {"Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection", "ETag", "Accept-Ranges",
          "Keep-Alive", "Expires", "Cache-Control", "Pragma", "Vary", "Location", "Set-Cookie", "Content-Encoding",
          "Transfer-Encoding", "Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options",
          "X-XSS-Protection", "Referrer-Policy", "Content-Security-Policy", "Access-Control-Allow-Origin",
          "Timing-Allow-Origin",
          // Jira Data Center's and Cloud's own
          "X-AREQUESTID", "X-ANODEID", "X-ASESSIONID", "X-AUSERNAME", "X-AACCOUNTID", "X-Seraph-LoginReason",
          "ATL-TraceId", "Server-Timing"}) {
      const std::string name_colon = std::string(name) + ':';
      if (name_colon.size() < 4) throw std::length_error("known_names: a slot needs four bytes");
      auto& chain = slots_[slot(name_colon.data())];
      const auto free = std::find(chain.begin(), chain.end(), 0);
      if (free == chain.end()) throw std::length_error("known_names: a slot is full");
      if (count_ == names_.size()) throw std::length_error("known_names: too many");
      names_[count_++] = {spelling(name_colon), bhttp::string_to_field(name)};
      *free = static_cast<std::uint8_t>(count_);
    }
  }

  // The known name (with its colon) that the line at `p` begins with, or null. Reads no
  // further than `end`.
  const known* at(const char* p, const char* end) const noexcept {
    if (end - p < 4) return nullptr;
    for (const std::uint8_t i : slots_[slot(p)]) {
      if (i == 0) break;
      const known& k = names_[i - 1];
      if (static_cast<std::size_t>(end - p) >= k.name_colon.reach() && k.name_colon.starts_at(p)) return &k;
    }
    return nullptr;
  }

 private:
  // From the first four bytes with letters folded: every spelling of a name has one slot.
  static std::size_t slot(const char* p) noexcept {
    std::uint32_t four;
    std::memcpy(&four, p, sizeof four);
    return ((four | 0x20202020u) * 0x9e3779b1u) >> (32 - 7);
  }
  std::array<known, 40> names_{};
  std::size_t count_ = 0;
  std::array<std::array<std::uint8_t, 4>, 128> slots_{};  // 1 + index into names_; 0: none
};
const known_names common_names;

// The field name at the start of the line at `p`, its id, and its colon (the first byte
// that is not a token character). need_more: the name may go on past `end`; not_simple:
// not a name.
head_scan read_name(const char* p, const char* end, const char*& colon, bhttp::field& id) noexcept {
  if (const auto* known = common_names.at(p, end)) {
    colon = p + known->name_colon.size() - 1;
    id = known->id;
    return head_scan::complete;
  }
  colon = p;
  while (colon != end && is_token_char[static_cast<unsigned char>(*colon)]) ++colon;
  if (colon == end) return head_scan::need_more;
  if (colon == p || *colon != ':') return head_scan::not_simple;  // includes obs-fold (leading SP)
  id = bhttp::string_to_field(std::string_view(p, static_cast<std::size_t>(colon - p)));
  return head_scan::complete;
}

// "HTTP/1.x SSS " at `p` (13 bytes are there): the version and status of a final response
// with a body Beast's rules need not decide about.
bool parse_status_start(const char* p, response_head& head) noexcept {
  if (std::memcmp(p, "HTTP/1.", 7) != 0 || p[8] != ' ' || p[12] != ' ') return false;
  if (p[7] != '0' && p[7] != '1') return false;
  head.version = p[7] == '1' ? 11 : 10;
  if (!is_digit(p[9]) || !is_digit(p[10]) || !is_digit(p[11])) return false;
  head.status = static_cast<unsigned>((p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0'));
  // 1xx, 204 and 304 carry no body whatever they say: Beast's rules apply to them.
  return head.status >= 200 && head.status <= 599 && head.status != 204 && head.status != 304;
}

// The value between a field's colon and its line's CR, without the spaces and tabs around
// it. (Its bytes are text: the only ones up to ' ' are ' ' and HTAB.)
std::string_view trimmed_value(const char* colon, const char* cr) noexcept {
  auto ows = [](char c) { return static_cast<unsigned char>(c) <= ' '; };
  const char* first = colon + 1;
  while (first != cr && ows(*first)) ++first;
  const char* last = cr;
  while (last != first && ows(last[-1])) --last;
  return {first, static_cast<std::size_t>(last - first)};
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

const spelling keep_alive_value("keep-alive");
const spelling close_value("close");

// What a Connection (or Proxy-Connection) value says, as Beast's parser reads it. False
// when Beast would not take it as a list.
bool read_connection(std::string_view value, const char* end, bool& says_close, bool& says_keep_alive) {
  // What nearly every response says, without walking Beast's list.
  if (keep_alive_value.is(value, end)) {
    says_keep_alive = true;
    return true;
  }
  if (close_value.is(value, end)) {
    says_close = true;
    return true;
  }
  const bhttp::opt_token_list tokens{value};
  if (!bhttp::validate_list(tokens)) return false;
  for (auto token : tokens) {
    says_close = says_close || iequals(token, "close");
    says_keep_alive = says_keep_alive || iequals(token, "keep-alive");
  }
  return true;
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

// One walk over the lines: each ends at the first byte that is not text, which must be the
// CR of a CRLF; the empty line ends the header. Running out of bytes (or of `limit`) before
// that is the only way to need more.
head_scan scan_simple_response_head(std::string_view data, std::size_t limit, response_head& head) {
  const char* const begin = data.data();
  const char* const end = begin + std::min(data.size(), limit);
  const head_scan ran_out = data.size() >= limit ? head_scan::not_simple : head_scan::need_more;

  // "HTTP/1.x SSS reason"
  constexpr std::ptrdiff_t status_start = 13;
  if (end - begin < status_start) return ran_out;
  if (!parse_status_start(begin, head)) return head_scan::not_simple;
  const header_bytes bytes(end);
  using line_end = header_bytes::line_end;
  auto outcome = [ran_out](line_end e) { return e == line_end::missing ? ran_out : head_scan::not_simple; };
  const char* p = begin + status_start;
  const char* cr = bytes.text_end(p);
  if (const auto e = bytes.at(cr); e != line_end::crlf) return outcome(e);
  head.reason = std::string_view(p, static_cast<std::size_t>(cr - p));
  p = cr + 2;

  head.fields.clear();
  head.content_length.reset();
  bool says_close = false;
  bool says_keep_alive = false;
  for (;;) {
    if (p != end && *p == '\r') {  // the empty line: the end
      if (const auto e = bytes.at(p); e != line_end::crlf) return outcome(e);
      p += 2;
      break;
    }
    const char* colon;
    bhttp::field id;
    if (const auto name = read_name(p, end, colon, id); name != head_scan::complete)
      return name == head_scan::need_more ? ran_out : name;
    cr = bytes.text_end(colon + 1);
    if (const auto e = bytes.at(cr); e != line_end::crlf) return outcome(e);
    const std::string_view name(p, static_cast<std::size_t>(colon - p));
    const std::string_view value = trimmed_value(colon, cr);
    p = cr + 2;
    switch (id) {
      case bhttp::field::transfer_encoding:
        return head_scan::not_simple;
      case bhttp::field::content_length:
        if (head.content_length) return head_scan::not_simple;  // a second one
        head.content_length = parse_content_length(value);
        if (!head.content_length) return head_scan::not_simple;
        break;
      case bhttp::field::connection:
      case bhttp::field::proxy_connection:  // Beast's parser reads both alike
        if (!read_connection(value, end, says_close, says_keep_alive)) return head_scan::not_simple;
        break;
      default:
        break;
    }
    head.fields.emplace_back(id, name, value);
  }
  head.size = static_cast<std::size_t>(p - begin);
  // Close-delimited, or a Connection that says both: Beast's rules.
  if (!head.content_length || (says_close && says_keep_alive)) return head_scan::not_simple;
  head.keep_alive = head.version == 11 ? !says_close : says_keep_alive;
  return head_scan::complete;
}

}  // namespace jtgw::proxy
