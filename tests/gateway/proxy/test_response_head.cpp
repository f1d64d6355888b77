// The simple response-header reader: what it recognises, what it leaves to Beast, and
// that whatever it recognises Beast's parser reads the same way.
#include "gateway/proxy/header_rewrite.hpp"
#include "gateway/proxy/response_head.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace {

namespace bhttp = boost::beast::http;
using namespace jtgw::proxy;

constexpr std::size_t limit = 64 * 1024;

const std::string nginx_header =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx/1.22.1\r\n"
    "Date: Sun, 29 Nov 2026 19:14:32 GMT\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 2044\r\n"
    "Last-Modified: Sun, 29 Nov 2026 19:14:30 GMT\r\n"
    "Connection: keep-alive\r\n"
    "ETag: \"6a1b2c3d-7fc\"\r\n"
    "Accept-Ranges: bytes\r\n"
    "\r\n";

// Beast's reading of a response header (as the relay configures its parser), if it reads one.
struct beast_reading {
  bhttp::response_parser<bhttp::buffer_body> parser;
  std::size_t used = 0;
};

// Null when Beast refuses it.
std::unique_ptr<beast_reading> read_with_beast(const std::string& text) {
  auto r = std::make_unique<beast_reading>();
  r->parser.header_limit(limit);
  r->parser.body_limit(boost::none);
  boost::system::error_code ec;
  r->used = r->parser.put(boost::asio::buffer(text), ec);
  if (ec || !r->parser.is_header_done()) return nullptr;
  return r;
}

// Both readings must say the same about everything the relay uses.
void require_same_meaning(const std::string& text, const response_head& head) {
  const auto beast = read_with_beast(text);
  BOOST_TEST_REQUIRE(beast != nullptr, "Beast refuses what the simple reader accepted:\n" << text);
  const auto& h = beast->parser.get();
  BOOST_TEST(head.size == beast->used);
  BOOST_TEST(head.status == h.result_int());
  BOOST_TEST(head.version == h.version());
  // Beast gives the status's standard reason for an empty one; so does the rewrite.
  BOOST_TEST((head.reason.empty() ? std::string_view(bhttp::obsolete_reason(h.result())) : head.reason) ==
             std::string_view(h.reason()));
  BOOST_TEST(!beast->parser.chunked());
  BOOST_TEST_REQUIRE(beast->parser.content_length().has_value());
  BOOST_TEST_REQUIRE(head.content_length.has_value());
  BOOST_TEST(*head.content_length == *beast->parser.content_length());
  BOOST_TEST(head.keep_alive == beast->parser.keep_alive());
  // The same fields in the same order per name (Beast files a repeated name right after
  // its first occurrence; the wire order of different names carries no meaning).
  auto by_name = [](const auto& fields) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : fields) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.emplace_back(name + "|" + std::to_string(static_cast<int>(f.name())), std::string(f.value()));
    }
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    return out;
  };
  BOOST_TEST((by_name(head.fields) == by_name(h)));
}

head_scan scan(const std::string& text, response_head& head) {
  return scan_simple_response_head(text, limit, head);
}

BOOST_AUTO_TEST_CASE(a_typical_answer_is_read_whole) {
  const std::string with_body = nginx_header + "{\"a\":1}";  // the views point into it
  response_head head;
  BOOST_TEST_REQUIRE((scan(with_body, head) == head_scan::complete));
  BOOST_TEST(head.size == nginx_header.size());  // the body is not part of it
  BOOST_TEST(head.status == 200u);
  BOOST_TEST(head.reason == "OK");
  BOOST_TEST_REQUIRE(head.content_length.has_value());
  BOOST_TEST(*head.content_length == 2044u);
  BOOST_TEST(head.keep_alive);
  BOOST_TEST(head.fields.size() == 8u);
  BOOST_TEST(head.find("etag") == "\"6a1b2c3d-7fc\"");
  BOOST_TEST(head.find("X-Absent").empty());
  require_same_meaning(nginx_header, head);
}

BOOST_AUTO_TEST_CASE(an_incomplete_header_needs_more) {
  response_head head;
  for (std::size_t n = 0; n < nginx_header.size(); ++n)
    BOOST_TEST((scan(nginx_header.substr(0, n), head) == head_scan::need_more), "prefix of " << n << " bytes");
  // No end within the limit: Beast's parser reports the limit.
  const std::string endless = "HTTP/1.1 200 OK\r\nX-Long: " + std::string(limit, 'a');
  BOOST_TEST((scan(endless, head) == head_scan::not_simple));
}

BOOST_AUTO_TEST_CASE(keep_alive_follows_the_version_and_connection) {
  struct example {
    std::string status_line;
    std::string connection;  // empty: no Connection field
    bool keep_alive;
  };
  const std::array<example, 6> examples{{
      {"HTTP/1.1 200 OK", "", true},
      {"HTTP/1.1 200 OK", "close", false},
      {"HTTP/1.1 200 OK", "Keep-Alive", true},
      {"HTTP/1.0 200 OK", "", false},
      {"HTTP/1.0 200 OK", "keep-alive", true},
      {"HTTP/1.0 200 OK", "Close", false},
  }};
  for (const auto& e : examples) {
    std::string text = e.status_line + "\r\nContent-Length: 0\r\n";
    if (!e.connection.empty()) text += "Connection: " + e.connection + "\r\n";
    text += "\r\n";
    response_head head;
    BOOST_TEST_REQUIRE((scan(text, head) == head_scan::complete), text);
    BOOST_TEST(head.keep_alive == e.keep_alive, text);
    require_same_meaning(text, head);
  }
}

BOOST_AUTO_TEST_CASE(everything_else_is_left_to_beast) {
  const std::string ok = "HTTP/1.1 200 OK\r\n";
  const std::string length = "Content-Length: 5\r\n";
  const std::array<std::string, 27> cases{{
      ok + "Transfer-Encoding: chunked\r\n\r\n",
      ok + length + "Transfer-Encoding: chunked\r\n\r\n",
      ok + length + length + "\r\n",
      ok + "Content-Length: 5, 5\r\n\r\n",
      ok + "Content-Length: +5\r\n\r\n",
      ok + "Content-Length: 5 5\r\n\r\n",
      ok + "Content-Length: 1234567890123456789\r\n\r\n",  // 19 digits
      ok + "Content-Type: text/plain\r\n\r\n",              // close-delimited
      "HTTP/1.1 100 Continue\r\n" + length + "\r\n",
      "HTTP/1.1 204 No Content\r\n" + length + "\r\n",
      "HTTP/1.1 304 Not Modified\r\n" + length + "\r\n",
      "HTTP/1.1 600 Odd\r\n" + length + "\r\n",
      "HTTP/2.0 200 OK\r\n" + length + "\r\n",
      "HTTP/1.1 200\r\n" + length + "\r\n",  // no space before an empty reason
      "HTTP/1.1 2x0 OK\r\n" + length + "\r\n",
      "HTTP/1.1 200 O\x01K\r\n" + length + "\r\n",
      ok + length + "X-Folded: a\r\n b\r\n\r\n",  // obs-fold
      ok + length + "X-Bare: a\nX-Next: b\r\n\r\n",
      ok + length + "X-Cr: a\rb\r\n\r\n",
      ok + length + std::string("X-Nul: a\0b\r\n\r\n", 13),
      ok + length + "X-Del: a\x7f\r\n\r\n",
      ok + length + "X-Space : a\r\n\r\n",
      ok + length + ": no name\r\n\r\n",
      ok + length + "X(bad): a\r\n\r\n",
      ok + length + "Connection: keep-alive,, @\r\n\r\n",
      ok + length + "Connection: close, keep-alive\r\n\r\n",
      ok + length + "\n",  // the end without its CR
  }};
  for (const auto& text : cases) {
    response_head head;
    BOOST_TEST((scan(text, head) != head_scan::complete), text);
  }
}

// Generated headers, mutated byte by byte: whatever the simple reader accepts, Beast must
// read with the same meaning. The counts make sure both sides of the line are exercised.
// `after`: bytes that follow the header in the buffer (a body's first bytes, or none).
void check_generated_headers(const std::string& after) {
  const std::array<std::string, 6> status_lines{{"HTTP/1.1 200 OK", "HTTP/1.0 404 Not Found", "HTTP/1.1 401 ",
                                                 "HTTP/1.1 503 Service\tUnavailable", "HTTP/1.1 200 \xc3\xa9t\xc3\xa9",
                                                 "HTTP/1.1 302 Found"}};
  const std::array<std::string, 15> field_lines{{
      "Content-Type: application/json;charset=UTF-8", "Connection: keep-alive", "Connection: close",
      "Set-Cookie: a=b; Path=/", "X-Seraph-LoginReason: AUTHENTICATED_FAILED", "Cache-Control: no-cache, no-store",
      "X-Empty:", "X-Spaces:   padded value  \t", "Vary: Accept-Encoding", "X-Obs-Text: caf\xc3\xa9",
      "Keep-Alive: timeout=5", "Proxy-Foo: 1", "Server: Jira", "x-lower-case: v",
      "Proxy-Connection: close"}};
  const std::string mutations = std::string("\r\n\t :,\x7f\x80" "aA0", 12) + std::string(1, '\0');
  std::mt19937 random(20261129);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random); };
  int simple = 0, left_to_beast = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = status_lines[pick(status_lines.size())] + "\r\n";
    const std::size_t fields = pick(8);
    const std::size_t length_at = pick(fields + 1);
    for (std::size_t i = 0; i <= fields; ++i) {
      if (i == length_at) text += "Content-Length: " + std::to_string(pick(100000)) + "\r\n";
      if (i < fields) text += field_lines[pick(field_lines.size())] + "\r\n";
    }
    text += "\r\n";
    for (std::size_t m = pick(3); m > 0; --m) text[pick(text.size())] = mutations[pick(mutations.size())];
    const std::string with_after = text + after;
    response_head head;
    if (scan(with_after, head) == head_scan::complete) {
      ++simple;
      require_same_meaning(text, head);
    } else {
      ++left_to_beast;
    }
  }
  BOOST_TEST(simple > 2000);
  BOOST_TEST(left_to_beast > 2000);
}

BOOST_AUTO_TEST_CASE(agrees_with_beast_on_generated_headers) { check_generated_headers(""); }

// The same with body bytes after the header, as the relay usually has them: the reader
// then compares and checks whole blocks of eight bytes up to the header's last line.
BOOST_AUTO_TEST_CASE(agrees_with_beast_on_generated_headers_followed_by_a_body) {
  check_generated_headers("{\"key\":\"value\"}");
}

// The relay writes the client's header from whichever reading it has: the same text.
BOOST_AUTO_TEST_CASE(the_rewrite_is_the_same_from_either_reading) {
  const std::string text =
      "HTTP/1.1 200 OK\r\nSet-Cookie: s=1\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\n"
      "Content-Length: 7\r\nX-Request-Id: forged\r\nContent-Type: application/json\r\n\r\n";
  response_head head;
  BOOST_TEST_REQUIRE((scan(text, head) == head_scan::complete));
  const auto beast = read_with_beast(text);
  BOOST_TEST_REQUIRE(beast != nullptr);
  for (bool chunked : {false, true}) {
    const response_context ctx{11, true, chunked, "req-1", std::nullopt};
    std::string from_simple, from_beast;
    write_client_response_header(from_simple, head, ctx);
    write_client_response_header(from_beast, head_of(beast->parser.get().base()), ctx);
    BOOST_TEST(from_simple == from_beast);
    BOOST_TEST(from_simple.find("X-Hop") == std::string::npos);
    BOOST_TEST(from_simple.find("forged") == std::string::npos);
  }
}

// What RFC 9110 lets a field value or a reason phrase hold: HTAB, SP, VCHAR, obs-text.
bool is_text(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

// Every byte value at every position of values and reasons of several lengths, so each
// position of an eight-byte block and of the byte-wise tail is seen; with and without
// bytes after the header (the reader looks at whole blocks only where they are there).
BOOST_AUTO_TEST_CASE(every_byte_at_every_position_of_a_value_or_reason) {
  const std::string rest = "Content-Length: 3\r\n";
  int checked = 0;
  for (const std::string after : {"", "abc"})
    for (std::size_t size = 1; size <= 19; ++size)
      for (std::size_t at = 0; at < size; ++at)
        for (int byte = 0; byte < 256; ++byte) {
          std::string value(size, 'v');
          value[at] = static_cast<char>(byte);
          for (const std::string& text :
               {"HTTP/1.1 200 OK\r\nX-Test:" + value + "\r\n" + rest + "\r\n",
                "HTTP/1.1 200 OK\r\n" + rest + "Server:" + value + "\r\n\r\n",
                "HTTP/1.1 200 " + value + "\r\n" + rest + "\r\n"}) {
            const std::string with_after = text + after;
            response_head head;
            const bool complete = scan(with_after, head) == head_scan::complete;
            BOOST_TEST(complete == is_text(static_cast<unsigned char>(byte)), "byte " << byte << " in " << text);
            if (complete) require_same_meaning(text, head);
            ++checked;
          }
        }
  BOOST_TEST(checked > 100000);
}

// A CR or an LF in place of any byte of the typical header that is not a CR already: never
// a line end the reader takes for one.
BOOST_AUTO_TEST_CASE(a_lone_cr_or_lf_anywhere_is_left_to_beast) {
  for (const std::string after : {"", "{\"a\":1}"})
    for (char lone : {'\r', '\n'})
      for (std::size_t at = 0; at < nginx_header.size(); ++at) {
        if (nginx_header[at] == '\r' || nginx_header[at] == lone) continue;
        std::string text = nginx_header;
        text[at] = lone;
        response_head head;
        BOOST_TEST((scan(text + after, head) != head_scan::complete), "at " << at << " with " << int(lone));
      }
}

// Every name in Beast's table, in any case, gets Beast's id; a byte of it that differs in
// bit 0x20 alone and is not a letter (a '-' become CR, a digit become a control) is no name.
BOOST_AUTO_TEST_CASE(names_get_beasts_ids_in_any_case) {
  auto header_with = [](const std::string& name) {
    return "HTTP/1.1 200 OK\r\n" + name + ": 1\r\nContent-Length: 0\r\n\r\n";
  };
  // Beast's own, the ones Jira adds, and near misses of both.
  std::vector<std::string> names{"X-AREQUESTID", "X-ANODEID", "X-ASESSIONID", "X-AUSERNAME", "X-AACCOUNTID",
                                 "X-Seraph-LoginReason", "ATL-TraceId", "Server-Timing", "Timing-Allow-Origin",
                                 "X-XSS-Protection", "Referrer-Policy", "Content-Security-Policy",
                                 "X-Content-Type-Options", "X-Content-Type-Option", "X-AREQUESTIDS", "X-AREQUEST",
                                 "Dates", "Dat", "Content-Lengt", "Content_Length", "ServerTiming"};
  for (unsigned f = 1; f <= static_cast<unsigned>(bhttp::field::xref); ++f)
    names.emplace_back(bhttp::to_string(static_cast<bhttp::field>(f)));
  int complete = 0;
  for (const auto& name : names) {
    std::string lower = name, upper = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& spelled : {name, lower, upper})
      for (const std::string after : {"", "{\"a\":1}"}) {
        const std::string text = header_with(spelled);
        const std::string with_after = text + after;  // the views point into it
        response_head head;
        const auto id = bhttp::string_to_field(name);
        const bool simple = id != bhttp::field::content_length && id != bhttp::field::transfer_encoding;
        BOOST_TEST_REQUIRE(((scan(with_after, head) == head_scan::complete) == simple), text);
        if (simple) {
          require_same_meaning(text, head);
          ++complete;
        }
      }
    for (std::size_t at = 0; at < name.size(); ++at) {
      if (std::isalpha(static_cast<unsigned char>(name[at]))) continue;
      std::string near = name;
      near[at] = static_cast<char>(near[at] ^ 0x20);
      response_head head;
      BOOST_TEST((scan(header_with(near) + "{\"a\":1}", head) != head_scan::complete), near);
    }
  }
  BOOST_TEST(complete > 1000);
}

// Connection values the reader decides without Beast's list, and their near misses.
BOOST_AUTO_TEST_CASE(connection_values_mean_what_beast_reads) {
  for (const std::string version : {"HTTP/1.0", "HTTP/1.1"})
    for (const std::string value : {"keep-alive", "KEEP-ALIVE", "Keep-Alive", "keep-alivee", "keep-aliv",
                                     "keep_alive", "close", "CLOSE", "closed", "clos", "close, keep-alive",
                                     "keep-alive, X-Hop", "close,", "Keep-Alive "})
      for (const std::string after : {"", "{\"a\":1}"}) {
        const std::string text = version + " 200 OK\r\nConnection: " + value + "\r\nContent-Length: 7\r\n\r\n";
        const std::string with_after = text + after;  // the views point into it
        response_head head;
        const bool both = value == "close, keep-alive";
        BOOST_TEST_REQUIRE(((scan(with_after, head) == head_scan::complete) == !both), text);
        if (!both) require_same_meaning(text, head);
      }
}

// The header must end within `limit` bytes: exactly at it is enough.
BOOST_AUTO_TEST_CASE(a_header_may_end_exactly_at_the_limit) {
  const std::string with_body = nginx_header + "{\"a\":1}";
  const std::size_t size = nginx_header.size();
  response_head head;
  for (std::size_t l = 1; l <= size + 1; ++l) {
    const auto expected = l >= size ? head_scan::complete : head_scan::not_simple;
    BOOST_TEST((scan_simple_response_head(with_body, l, head) == expected), "limit " << l);
    BOOST_TEST((scan_simple_response_head(nginx_header, l, head) == expected), "limit " << l);
    // Fewer bytes than the limit and no end yet: more may come.
    if (l <= size)
      BOOST_TEST((scan_simple_response_head(nginx_header.substr(0, l - 1), l, head) == head_scan::need_more));
  }
  BOOST_TEST_REQUIRE((scan_simple_response_head(with_body, size, head) == head_scan::complete));
  require_same_meaning(nginx_header, head);
}

}  // namespace
