// $skiptoken: round trips, and each way a token can be wrong gets its own error.
#include <set>

#include <boost/test/unit_test.hpp>

#include "gateway/odata/skiptoken.hpp"

using namespace jtgw::odata;

namespace {

page_position sample_position() {
    page_position p;
    p.parent_index = 3;
    p.start_at = 150;
    p.next_page_token = "CAEaAggD-jira/cursor+with=odd chars";
    p.skip = 7;
    p.row_skip = 42;
    p.page_size = 500;
    p.remaining = 1234;
    return p;
}

const skiptoken_codec& codec() {
    static const skiptoken_codec c = skiptoken_codec::with_random_key();
    return c;
}

std::string token_for(std::string_view user, std::string_view table, const page_position& p = sample_position()) {
    auto t = codec().encode(user, table, p);
    BOOST_REQUIRE(t.has_value());
    return *t;
}

skiptoken_error error_of(const boost::system::result<page_position>& r) {
    BOOST_REQUIRE(r.has_error());
    BOOST_REQUIRE(r.error().category() == skiptoken_category());
    return static_cast<skiptoken_error>(r.error().value());
}

}  // namespace

BOOST_AUTO_TEST_CASE(round_trip_is_url_safe) {
    std::string token = token_for("ada", "Issues");
    BOOST_TEST(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
               std::string::npos);
    auto p = codec().decode("ada", "Issues", token);
    BOOST_REQUIRE(p.has_value());
    BOOST_TEST((*p == sample_position()));

    page_position first;  // defaults: no cursor, no $top
    auto q = codec().decode("ada", "Users", token_for("ada", "Users", first));
    BOOST_REQUIRE(q.has_value());
    BOOST_TEST((*q == first));
    BOOST_TEST(q->remaining == -1);
}

BOOST_AUTO_TEST_CASE(every_character_flip_is_refused) {
    // Cursor lengths 0..2 give every remainder of the byte count modulo 3, so the last
    // character sometimes carries unused bits: flipping those must be refused too.
    for (std::size_t cursor = 0; cursor < 3; ++cursor) {
        page_position p = sample_position();
        p.next_page_token.resize(cursor);
        std::string token = token_for("ada", "Issues", p);
        // Flip each character to another base64url character; none may decode as genuine.
        for (std::size_t i = 0; i < token.size(); ++i) {
            std::string altered = token;
            altered[i] = altered[i] == 'A' ? 'B' : 'A';
            auto r = codec().decode("ada", "Issues", altered);
            BOOST_TEST_REQUIRE(r.has_error(), "position " << i);
            auto e = static_cast<skiptoken_error>(r.error().value());
            // The first four characters hold the version and length; elsewhere it is the MAC.
            if (i >= 4 && i + 1 < token.size()) BOOST_TEST((e == skiptoken_error::tampered), "position " << i);
        }
    }
}

BOOST_AUTO_TEST_CASE(truncated_and_malformed_tokens) {
    std::string token = token_for("ada", "Issues");
    // Whole base64 groups cut off the end: still base64url, but short of its length field.
    const std::size_t whole_groups = token.size() - token.size() % 4;
    BOOST_TEST((error_of(codec().decode("ada", "Issues", token.substr(0, whole_groups - 4))) == skiptoken_error::truncated));
    BOOST_TEST((error_of(codec().decode("ada", "Issues", token.substr(0, 12))) == skiptoken_error::truncated));
    BOOST_TEST((error_of(codec().decode("ada", "Issues", token + "AAAA")) == skiptoken_error::malformed));
    BOOST_TEST((error_of(codec().decode("ada", "Issues", "")) == skiptoken_error::malformed));
    BOOST_TEST((error_of(codec().decode("ada", "Issues", "not base64!")) == skiptoken_error::malformed));
    BOOST_TEST((error_of(codec().decode("ada", "Issues", "AA")) == skiptoken_error::malformed));
    std::string other_version = token;
    other_version[0] = 'C';  // first byte 0x08..0x0b: a version no jtgw wrote yet
    BOOST_TEST((error_of(codec().decode("ada", "Issues", other_version)) == skiptoken_error::malformed));
}

// Tokens of earlier versions (3: a Cloud search cursor over whole issues, not over the id
// listing) are refused with their own error, whatever else they hold.
BOOST_AUTO_TEST_CASE(earlier_versions_are_outdated) {
    static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const std::string token = token_for("ada", "Issues");
    BOOST_REQUIRE(token[0] == 'B');  // version 4: the first six bits are 000001
    for (unsigned version : {1u, 2u, 3u}) {
        // The version byte is the first six bits of character 0 and the top two of character 1.
        std::string earlier = token;
        earlier[0] = alphabet[version >> 2];
        earlier[1] = alphabet[(alphabet.find(token[1]) & 0x0f) | ((version & 3) << 4)];
        BOOST_TEST_CONTEXT("version " << version) {
            BOOST_TEST((error_of(codec().decode("ada", "Issues", earlier)) == skiptoken_error::outdated));
        }
    }
}

BOOST_AUTO_TEST_CASE(size_is_limited) {
    BOOST_TEST((error_of(codec().decode("ada", "Issues", std::string(max_skiptoken_chars + 1, 'A'))) ==
                skiptoken_error::too_long));
    page_position huge;
    huge.next_page_token.assign(max_jira_cursor_bytes + 1, 'x');
    auto r = codec().encode("ada", "Issues", huge);
    BOOST_REQUIRE(r.has_error());
    BOOST_TEST((r.error() == make_error_code(skiptoken_error::too_long)));
    huge.next_page_token.resize(max_jira_cursor_bytes);
    BOOST_TEST(codec().encode("ada", "Issues", huge).has_value());
}

BOOST_AUTO_TEST_CASE(foreign_table_and_user) {
    std::string token = token_for("ada", "Issues");
    BOOST_TEST((error_of(codec().decode("ada", "Projects", token)) == skiptoken_error::foreign_table));
    BOOST_TEST((error_of(codec().decode("grace", "Issues", token)) == skiptoken_error::foreign_user));
    BOOST_TEST((error_of(codec().decode("Ada", "Issues", token)) == skiptoken_error::foreign_user));
    BOOST_TEST(codec().decode("ada", "Issues", token).has_value());
}

// A position in one filtered listing means nothing in another: the token says which.
BOOST_AUTO_TEST_CASE(bound_to_the_query) {
    const std::string filtered = *codec().encode("ada", "Issues", sample_position(), "25:0:99;");
    BOOST_TEST(codec().decode("ada", "Issues", filtered, "25:0:99;").has_value());
    BOOST_TEST((error_of(codec().decode("ada", "Issues", filtered)) == skiptoken_error::foreign_query));
    BOOST_TEST((error_of(codec().decode("ada", "Issues", filtered, "25:0:98;")) == skiptoken_error::foreign_query));
    BOOST_TEST((error_of(codec().decode("grace", "Issues", filtered, "25:0:99;")) == skiptoken_error::foreign_user));
    const std::string unfiltered = token_for("ada", "Issues");
    BOOST_TEST((error_of(codec().decode("ada", "Issues", unfiltered, "25:0:99;")) == skiptoken_error::foreign_query));
}

BOOST_AUTO_TEST_CASE(keys_decide_genuineness) {
    const unsigned char seal_key[32] = {1, 2, 3};
    auto a = skiptoken_codec::from_seal_key(seal_key);
    auto a_again = skiptoken_codec::from_seal_key(seal_key);
    const unsigned char other_key[32] = {9};
    auto b = skiptoken_codec::from_seal_key(other_key);
    std::string token = *a.encode("ada", "Issues", sample_position());
    // Same seal key (a restart, or a second instance): still valid.
    BOOST_TEST(a_again.decode("ada", "Issues", token).has_value());
    BOOST_TEST((error_of(b.decode("ada", "Issues", token)) == skiptoken_error::tampered));
    BOOST_TEST((error_of(codec().decode("ada", "Issues", token)) == skiptoken_error::tampered));
}

BOOST_AUTO_TEST_CASE(errors_have_distinct_messages) {
    std::set<std::string> messages;
    for (auto e : {skiptoken_error::too_long, skiptoken_error::malformed, skiptoken_error::truncated,
                   skiptoken_error::tampered, skiptoken_error::foreign_table, skiptoken_error::foreign_user,
                   skiptoken_error::foreign_query, skiptoken_error::outdated})
        messages.insert(make_error_code(e).message());
    BOOST_TEST(messages.size() == 8u);
}
