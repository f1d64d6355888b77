#pragma once
// $skiptoken: the opaque, URL-safe token in @odata.nextLink that carries where in Jira
// the next page starts. It is MAC'd (HMAC-SHA256) together with the user it was issued
// to, the table it pages and the rows it narrows to ($filter), so a client cannot forge
// a position, nor replay a token as another user, on another table or with another
// $filter (a position in one filtered listing means nothing in another). It is not encrypted: it holds no secret (Jira's own
// page cursor for this user, offsets, sizes), and the user is present only as a keyed tag.
//
// Token = base64url( version(1) | payload length(2, big-endian) | payload | HMAC(32) ).
// Payload = table | user tag(16) | query tag(16) | parent index | startAt | skip
//           | row skip | page size | remaining | Jira nextPageToken, each length-prefixed
//           or fixed-width, big-endian. The tags are keyed MACs: neither the user nor the
//           filter can be read from a token.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

namespace jtgw::odata {

/// The Jira page position one token carries. Which fields matter depends on the table's
/// paging style; the codec stores all of them.
struct page_position {
    std::uint32_t parent_index = 0;   // per-parent tables: index of the parent row being walked
    std::int64_t start_at = 0;        // offset styles: Jira's startAt of the page to fetch
    std::string next_page_token;      // search_jql: Jira's nextPageToken ("" = first page)
    std::uint32_t skip = 0;           // items of that Jira page already sent in full
    std::uint32_t row_skip = 0;       // tables with rows.each: rows of the next item already sent
    std::uint32_t page_size = 0;      // OData rows per response, fixed on the first request
    std::int64_t remaining = -1;      // $top: rows still to send; -1 = no $top

    friend bool operator==(const page_position&, const page_position&) = default;
};

enum class skiptoken_error {
    too_long = 1,   // longer than max_skiptoken_chars (or its Jira cursor over max_jira_cursor_bytes)
    malformed,      // not base64url, or a version/layout this binary does not write
    truncated,      // shorter than its own length field says
    tampered,       // MAC does not verify: altered, or made under another key
    foreign_table,  // genuine, but issued for another table
    foreign_user,   // genuine, but issued to another user
    foreign_query,  // genuine, but issued for another $filter
    outdated,       // written by an earlier jtgw version, whose positions mean something else
};

const boost::system::error_category& skiptoken_category() noexcept;

inline boost::system::error_code make_error_code(skiptoken_error e) noexcept {
    return {static_cast<int>(e), skiptoken_category()};
}

inline constexpr std::size_t max_skiptoken_chars = 2048;
inline constexpr std::size_t max_jira_cursor_bytes = 1024;
inline constexpr std::size_t skiptoken_key_bytes = 32;

/// Encodes and verifies tokens under one server key. Thread-safe (immutable after
/// construction); the key is wiped on destruction.
class skiptoken_codec {
public:
    /// The key for tokens is derived from the credential seal key with HKDF-SHA256
    /// (info "jtgw skiptoken v1"): tokens stay valid across restarts and across instances
    /// sharing the seal key, and the seal key itself never keys a MAC. Throws
    /// std::runtime_error if OpenSSL fails, std::invalid_argument for an empty key.
    static skiptoken_codec from_seal_key(std::span<const unsigned char> seal_key);
    /// A random key (tokens die with the process). Throws std::runtime_error on RNG failure.
    static skiptoken_codec with_random_key();

    skiptoken_codec(const skiptoken_codec&) = delete;
    skiptoken_codec& operator=(const skiptoken_codec&) = delete;
    skiptoken_codec(skiptoken_codec&&) noexcept;
    skiptoken_codec& operator=(skiptoken_codec&&) noexcept;
    ~skiptoken_codec();

    /// The token for `position` on `table` for `user`, listing the rows `query` selects
    /// (row_filter::canonical(); "" for every row). Errors: too_long when the Jira cursor
    /// exceeds max_jira_cursor_bytes or the table name 255 bytes.
    boost::system::result<std::string> encode(std::string_view user, std::string_view table,
                                              const page_position& position, std::string_view query = {}) const;

    /// The position in `token`, if it is genuine and was issued to `user` for `table`
    /// and `query`. Errors, checked in this order: too_long, malformed (outdated for an
    /// earlier version's token, before its MAC is checked: nothing in it is used),
    /// truncated, tampered, foreign_table, foreign_user, foreign_query. Comparisons of
    /// MACs and tags use CRYPTO_memcmp.
    boost::system::result<page_position> decode(std::string_view user, std::string_view table,
                                                std::string_view token, std::string_view query = {}) const;

private:
    skiptoken_codec() = default;
    std::array<unsigned char, 16> tag(std::string_view domain, std::string_view text) const;
    std::array<unsigned char, 32> mac(std::string_view domain, std::string_view bytes) const;

    std::array<unsigned char, skiptoken_key_bytes> key_{};
};

}  // namespace jtgw::odata

template <>
struct boost::system::is_error_code_enum<jtgw::odata::skiptoken_error> : std::true_type {};
