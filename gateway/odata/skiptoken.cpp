#include "gateway/odata/skiptoken.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace jtgw::odata {

namespace {

// 2: with the query tag; 3: row skip (child tables); 4: a Cloud search's Jira cursor is
// its id listing's (jira/id_listing.hpp), no longer a cursor over whole issues.
constexpr unsigned char token_version = 4;
constexpr std::size_t mac_bytes = 32, tag_bytes = 16, header_bytes = 3;
// Domain separation: user tags, query tags and token MACs never collide under one key.
constexpr std::string_view user_domain = "jtgw skiptoken user", query_domain = "jtgw skiptoken query";

class skiptoken_category_impl : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "jtgw.skiptoken"; }
    std::string message(int ev) const override {
        switch (static_cast<skiptoken_error>(ev)) {
            case skiptoken_error::too_long: return "$skiptoken is too long";
            case skiptoken_error::malformed: return "$skiptoken is malformed";
            case skiptoken_error::truncated: return "$skiptoken is truncated";
            case skiptoken_error::tampered: return "$skiptoken is not genuine (altered or from another server)";
            case skiptoken_error::foreign_table: return "$skiptoken belongs to another table";
            case skiptoken_error::foreign_user: return "$skiptoken belongs to another user";
            case skiptoken_error::foreign_query: return "$skiptoken belongs to another $filter";
            case skiptoken_error::outdated: return "$skiptoken was issued by an earlier jtgw version";
        }
        return "unknown $skiptoken error";
    }
};

void put_u16(std::string& out, std::uint16_t v) {
    out += char(v >> 8);
    out += char(v & 0xff);
}
void put_u32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out += char((v >> shift) & 0xff);
}
void put_u64(std::string& out, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out += char((v >> shift) & 0xff);
}

// Reads big-endian fields off the front of a byte view; any overrun sets ok = false.
struct reader {
    std::string_view in;
    bool ok = true;

    std::uint64_t uint(std::size_t bytes) {
        if (in.size() < bytes) {
            ok = false;
            return 0;
        }
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
        in.remove_prefix(bytes);
        return v;
    }
    std::string_view bytes(std::size_t n) {
        if (in.size() < n) {
            ok = false;
            return {};
        }
        auto v = in.substr(0, n);
        in.remove_prefix(n);
        return v;
    }
};

std::string base64url_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
    out.resize(std::size_t(n));
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

// nullopt unless `text` is unpadded base64url of whole bytes.
std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string standard(text);
    for (char& c : standard) {
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
        else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return std::nullopt;
    }
    std::size_t padding = (4 - standard.size() % 4) % 4;
    standard.append(padding, '=');
    std::string out(standard.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(standard.data()), int(standard.size()));
    if (n < 0) return std::nullopt;
    out.resize(std::size_t(n) - padding);  // EVP_DecodeBlock counts padding as zero bytes
    // One spelling per token: unused low bits in the last character must be zero.
    if (base64url_encode(out) != text) return std::nullopt;
    return out;
}

}  // namespace

const boost::system::error_category& skiptoken_category() noexcept {
    static const skiptoken_category_impl category;
    return category;
}

skiptoken_codec skiptoken_codec::from_seal_key(std::span<const unsigned char> seal_key) {
    if (seal_key.empty()) throw std::invalid_argument("skiptoken: empty seal key");
    skiptoken_codec codec;
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
    EVP_KDF_CTX* ctx = kdf ? EVP_KDF_CTX_new(kdf) : nullptr;
    EVP_KDF_free(kdf);
    static constexpr char digest[] = "SHA256", info[] = "jtgw skiptoken v1", salt[] = "jtgw";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>(digest), 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<unsigned char*>(seal_key.data()),
                                          seal_key.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt), sizeof salt - 1),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(info), sizeof info - 1),
        OSSL_PARAM_construct_end(),
    };
    bool ok = ctx && EVP_KDF_derive(ctx, codec.key_.data(), codec.key_.size(), params) == 1;
    EVP_KDF_CTX_free(ctx);
    if (!ok) throw std::runtime_error("skiptoken: HKDF key derivation failed");
    return codec;
}

skiptoken_codec skiptoken_codec::with_random_key() {
    skiptoken_codec codec;
    if (RAND_bytes(codec.key_.data(), int(codec.key_.size())) != 1)
        throw std::runtime_error("skiptoken: random key generation failed");
    return codec;
}

skiptoken_codec::skiptoken_codec(skiptoken_codec&& other) noexcept : key_(other.key_) {
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
}

skiptoken_codec& skiptoken_codec::operator=(skiptoken_codec&& other) noexcept {
    key_ = other.key_;
    OPENSSL_cleanse(other.key_.data(), other.key_.size());
    return *this;
}

skiptoken_codec::~skiptoken_codec() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::array<unsigned char, 32> skiptoken_codec::mac(std::string_view domain, std::string_view bytes) const {
    // Domain separation: the user tag and the token MAC never collide under one key.
    std::string input(domain);
    input += '\0';
    input += bytes;
    std::array<unsigned char, 32> out{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key_.data(), int(key_.size()), reinterpret_cast<const unsigned char*>(input.data()),
         input.size(), out.data(), &len);
    return out;
}

std::array<unsigned char, 16> skiptoken_codec::tag(std::string_view domain, std::string_view text) const {
    auto full = mac(domain, text);
    std::array<unsigned char, tag_bytes> out{};
    std::copy_n(full.begin(), out.size(), out.begin());
    return out;
}

boost::system::result<std::string> skiptoken_codec::encode(std::string_view user, std::string_view table,
                                                           const page_position& p, std::string_view query) const {
    if (p.next_page_token.size() > max_jira_cursor_bytes || table.size() > 255) return skiptoken_error::too_long;
    std::string payload;
    payload += char(table.size());
    payload += table;
    for (const auto& t : {tag(user_domain, user), tag(query_domain, query)})
        payload.append(reinterpret_cast<const char*>(t.data()), t.size());
    put_u32(payload, p.parent_index);
    put_u64(payload, std::uint64_t(p.start_at));
    put_u32(payload, p.skip);
    put_u32(payload, p.row_skip);
    put_u32(payload, p.page_size);
    put_u64(payload, std::uint64_t(p.remaining));
    put_u16(payload, std::uint16_t(p.next_page_token.size()));
    payload += p.next_page_token;

    std::string token;
    token += char(token_version);
    put_u16(token, std::uint16_t(payload.size()));
    token += payload;
    auto sum = mac("jtgw skiptoken", token);
    token.append(reinterpret_cast<const char*>(sum.data()), sum.size());
    std::string text = base64url_encode(token);
    if (text.size() > max_skiptoken_chars) return skiptoken_error::too_long;
    return text;
}

boost::system::result<page_position> skiptoken_codec::decode(std::string_view user, std::string_view table,
                                                             std::string_view text, std::string_view query) const {
    if (text.size() > max_skiptoken_chars) return skiptoken_error::too_long;
    auto raw = base64url_decode(text);
    if (!raw || raw->size() < header_bytes) return skiptoken_error::malformed;
    const auto version = static_cast<unsigned char>((*raw)[0]);
    // Earlier versions' positions mean something else now: say so rather than "malformed".
    if (version >= 1 && version < token_version) return skiptoken_error::outdated;
    if (version != token_version) return skiptoken_error::malformed;
    reader head{std::string_view(*raw).substr(1)};
    std::size_t payload_size = head.uint(2);
    if (raw->size() < header_bytes + payload_size + mac_bytes) return skiptoken_error::truncated;
    if (raw->size() > header_bytes + payload_size + mac_bytes) return skiptoken_error::malformed;

    std::string_view signed_part = std::string_view(*raw).substr(0, header_bytes + payload_size);
    auto expected = mac("jtgw skiptoken", signed_part);
    if (CRYPTO_memcmp(expected.data(), raw->data() + signed_part.size(), mac_bytes) != 0)
        return skiptoken_error::tampered;

    // Genuine from here on: a layout error would mean our own encoder wrote it.
    reader r{signed_part.substr(header_bytes)};
    std::string_view token_table = r.bytes(r.uint(1));
    std::string_view user_tag = r.bytes(tag_bytes);
    std::string_view query_tag = r.bytes(tag_bytes);
    page_position p;
    p.parent_index = std::uint32_t(r.uint(4));
    p.start_at = std::int64_t(r.uint(8));
    p.skip = std::uint32_t(r.uint(4));
    p.row_skip = std::uint32_t(r.uint(4));
    p.page_size = std::uint32_t(r.uint(4));
    p.remaining = std::int64_t(r.uint(8));
    p.next_page_token = std::string(r.bytes(r.uint(2)));
    if (!r.ok || !r.in.empty()) return skiptoken_error::malformed;
    if (token_table != table) return skiptoken_error::foreign_table;
    auto wanted = tag(user_domain, user);
    if (CRYPTO_memcmp(wanted.data(), user_tag.data(), tag_bytes) != 0) return skiptoken_error::foreign_user;
    wanted = tag(query_domain, query);
    if (CRYPTO_memcmp(wanted.data(), query_tag.data(), tag_bytes) != 0) return skiptoken_error::foreign_query;
    return p;
}

}  // namespace jtgw::odata
