#include "gateway/odata/filter.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace jtgw::odata {

namespace {

// ---- the DateTimeOffset literal ----------------------------------------------------

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<int> number_at(std::string_view s, std::size_t pos, std::size_t count) {
    if (pos + count > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (!is_digit(s[i])) return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

// ---- tokens --------------------------------------------------------------------------

enum class tok { name, string, literal, special, lparen, rparen, comma, slash, end };

struct token {
    tok kind;
    std::string_view text;
    std::size_t at;  // 1-based character position, for messages
};

bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }
bool literal_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == ':' || c == '+' || c == '-'; }

// "…Thh:mm[:ss[.f]]" followed by " hh:mm": a '+' offset that the query string decoded to a space.
bool offset_after_space(std::string_view literal, std::string_view rest) {
    const auto t = literal.find_first_of("Tt");
    if (t == std::string_view::npos || literal.find_first_of("Zz+-", t) != std::string_view::npos) return false;
    return rest.size() >= 6 && rest[0] == ' ' && is_digit(rest[1]) && is_digit(rest[2]) && rest[3] == ':' &&
           is_digit(rest[4]) && is_digit(rest[5]);
}

odata_error invalid(std::string problem) {
    return {400, "InvalidFilter", "$filter: " + std::move(problem), "$filter"};
}

std::string at_position(const token& t) { return " (at character " + std::to_string(t.at) + ")"; }

boost::system::result<std::vector<token>, odata_error> tokenize(std::string_view q) {
    std::vector<token> out;
    std::size_t i = 0;
    while (i < q.size()) {
        const char c = q[i];
        const std::size_t start = i;
        if (c == ' ' || c == '\t') {
            ++i;
            continue;
        }
        if (c == '(' || c == ')' || c == ',' || c == '/') {
            out.push_back({c == '(' ? tok::lparen : c == ')' ? tok::rparen : c == ',' ? tok::comma : tok::slash,
                           q.substr(i, 1), start + 1});
            ++i;
        } else if (c == '\'') {
            for (++i;; ++i) {
                if (i >= q.size()) return invalid("the string starting at character " + std::to_string(start + 1) + " is not closed");
                if (q[i] == '\'') {
                    if (i + 1 < q.size() && q[i + 1] == '\'') { ++i; continue; }  // '' is a quote
                    break;
                }
            }
            ++i;
            out.push_back({tok::string, q.substr(start, i - start), start + 1});
        } else if (name_start(c)) {
            while (i < q.size() && name_char(q[i])) ++i;
            if (i < q.size() && q[i] == '\'') {  // duration'P1D', binary'…', geography'…': typed literals
                for (++i; i < q.size() && q[i] != '\''; ++i) {}
                if (i >= q.size()) return invalid("the literal starting at character " + std::to_string(start + 1) + " is not closed");
                ++i;
                out.push_back({tok::literal, q.substr(start, i - start), start + 1});
            } else {
                out.push_back({tok::name, q.substr(start, i - start), start + 1});
            }
        } else if (is_digit(c) || c == '-') {
            while (i < q.size() && literal_char(q[i])) ++i;
            if (offset_after_space(q.substr(start, i - start), q.substr(i))) i += 6;
            out.push_back({tok::literal, q.substr(start, i - start), start + 1});
        } else if (c == '$' || c == '@') {  // $it, $root, @alias
            ++i;
            while (i < q.size() && name_char(q[i])) ++i;
            out.push_back({tok::special, q.substr(start, i - start), start + 1});
        } else {
            return invalid(std::string("unexpected character '") + c + "'" + " (at character " + std::to_string(start + 1) + ")");
        }
    }
    out.push_back({tok::end, {}, q.size() + 1});
    return out;
}

// ---- the parser ------------------------------------------------------------------------

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool is_operator_word(std::string_view w) {
    static constexpr std::string_view words[] = {"eq", "ne", "gt", "ge", "lt", "le", "has", "in", "and", "or",
                                                 "not", "add", "sub", "mul", "div", "divby", "mod"};
    const std::string l = lower(w);
    return std::find(std::begin(words), std::end(words), l) != std::end(words);
}

class parser {
public:
    parser(const table& t, std::vector<token> tokens) : table_(t), tokens_(std::move(tokens)) {}

    boost::system::result<row_filter, odata_error> run() {
        if (auto r = conjunction(0); !r) return r.error();
        const token& t = peek();
        if (t.kind != tok::end) {
            if (t.kind == tok::name && is_operator_word(t.text)) return operator_not_supported(t);
            if (t.kind == tok::rparen) return invalid("')' without its '('" + at_position(t));
            return invalid("expected 'and' or the end of the expression, got '" + std::string(t.text) + "'" +
                           at_position(t));
        }
        std::sort(filter_.ranges.begin(), filter_.ranges.end(),
                  [](const time_range& a, const time_range& b) { return a.column < b.column; });
        return std::move(filter_);
    }

private:
    using step = boost::system::result<void, odata_error>;

    const token& peek() const { return tokens_[pos_]; }
    const token& next() { return tokens_[pos_ + 1 < tokens_.size() ? pos_++ : pos_]; }
    bool word(const token& t, std::string_view w) const { return t.kind == tok::name && lower(t.text) == w; }

    // What jtgw serves, for the end of every 501 message.
    std::string supported() const {
        std::string names;
        for (const auto& c : table_.columns)
            if (c.filter) names += (names.empty() ? "" : ", ") + c.name;
        if (names.empty()) return "; " + table_.name + " has no filterable column";
        return "; jtgw filters " + table_.name + " on " + names + " with ge, gt, le, lt and 'and'";
    }

    odata_error not_implemented(const std::string& part) const {
        return {501, "NotImplemented", "$filter: " + part + " is not supported" + supported(), "$filter"};
    }

    odata_error operator_not_supported(const token& t) const {
        return not_implemented("the operator '" + std::string(t.text) + "'" + at_position(t));
    }

    step conjunction(std::size_t depth) {
        for (;;) {
            if (auto r = term(depth); !r) return r;
            if (!word(peek(), "and")) return {};
            next();
        }
    }

    step term(std::size_t depth) {
        const token& t = peek();
        if (t.kind == tok::lparen) {
            if (depth + 1 > max_filter_depth)
                return invalid("more than " + std::to_string(max_filter_depth) + " nested parentheses");
            next();
            if (auto r = conjunction(depth + 1); !r) return r;
            const token& close = next();
            if (close.kind == tok::rparen) return {};
            if (close.kind == tok::name && is_operator_word(close.text)) return operator_not_supported(close);
            return invalid("expected ')', got " + describe(close) + at_position(close));
        }
        if (word(t, "not")) return operator_not_supported(t);
        return comparison();
    }

    static std::string describe(const token& t) {
        return t.kind == tok::end ? std::string("the end of the expression") : "'" + std::string(t.text) + "'";
    }

    // One side of a comparison: a filterable column (its index) or a DateTimeOffset.
    struct operand {
        std::optional<std::size_t> column;
        odata_instant instant;
    };

    boost::system::result<operand, odata_error> read_operand() {
        const token& t = next();
        switch (t.kind) {
            case tok::name: {
                if (peek().kind == tok::lparen)
                    return not_implemented("the function '" + std::string(t.text) + "'" + at_position(t));
                if (peek().kind == tok::slash)
                    return not_implemented("the path '" + std::string(t.text) + "/…'" + at_position(t));
                const std::string l = lower(t.text);
                if (l == "null" || l == "true" || l == "false" || l == "inf" || l == "nan")
                    return invalid("'" + std::string(t.text) + "' is not a DateTimeOffset" + at_position(t) +
                                   "; compare with a literal such as 2025-01-17T12:34:00Z");
                if (is_operator_word(t.text)) return operator_not_supported(t);
                const auto index = table_.column_index(t.text);
                if (!index)
                    return invalid("the table " + table_.name + " has no column named '" + std::string(t.text) + "'" +
                                   at_position(t));
                if (!table_.columns[*index].filter)
                    return not_implemented("filtering on the column " + table_.columns[*index].name + at_position(t));
                return operand{*index, {}};
            }
            case tok::literal: {
                auto instant = parse_odata_datetime(t.text);
                if (!instant)
                    return invalid("'" + std::string(t.text) + "' is not a DateTimeOffset" + at_position(t) +
                                   " (yyyy-mm-ddThh:mm[:ss[.fff]] followed by Z or ±hh:mm, e.g. 2025-01-17T12:34:00Z)");
                return operand{std::nullopt, *instant};
            }
            case tok::string:
                return invalid(std::string(t.text) + " is a string, not a DateTimeOffset" + at_position(t));
            case tok::special:
                return not_implemented("'" + std::string(t.text) + "'" + at_position(t));
            case tok::lparen:
                return not_implemented("a parenthesised operand" + at_position(t));
            default:
                return invalid("expected a column or a DateTimeOffset, got " + describe(t) + at_position(t));
        }
    }

    step comparison() {
        if (++comparisons_ > max_filter_comparisons)
            return invalid("more than " + std::to_string(max_filter_comparisons) + " comparisons");
        auto left = read_operand();
        if (!left) return left.error();
        const token& op = next();
        if (op.kind != tok::name || !is_operator_word(op.text))
            return invalid("expected ge, gt, le or lt, got " + describe(op) + at_position(op));
        const std::string name = lower(op.text);
        if (name != "ge" && name != "gt" && name != "le" && name != "lt") return operator_not_supported(op);
        auto right = read_operand();
        if (!right) return right.error();
        if (left->column.has_value() == right->column.has_value())
            return not_implemented(std::string(left->column ? "comparing two columns" : "comparing two literals") +
                                   at_position(op));
        // Column on the left: "T ge Col" is "Col le T".
        std::string relation = name;
        if (!left->column) relation = name == "ge" ? "le" : name == "gt" ? "lt" : name == "le" ? "ge" : "gt";
        const std::size_t column = left->column ? *left->column : *right->column;
        const odata_instant t = left->column ? right->instant : left->instant;
        bound(column, relation, t);
        return {};
    }

    // Values are whole milliseconds; t lies in [millis, millis + 1) (strictly inside when sub_millis).
    void bound(std::size_t column, const std::string& relation, odata_instant t) {
        auto it = std::find_if(filter_.ranges.begin(), filter_.ranges.end(),
                               [&](const time_range& r) { return r.column == column; });
        if (it == filter_.ranges.end()) it = filter_.ranges.insert(filter_.ranges.end(), time_range{column});
        if (relation == "ge") it->lower = std::max(it->lower, t.millis + (t.sub_millis ? 1 : 0));
        else if (relation == "gt") it->lower = std::max(it->lower, t.millis + 1);
        else if (relation == "le") it->upper = std::min(it->upper, t.millis);
        else it->upper = std::min(it->upper, t.millis - (t.sub_millis ? 0 : 1));
    }

    const table& table_;
    std::vector<token> tokens_;
    std::size_t pos_ = 0;
    std::size_t comparisons_ = 0;
    row_filter filter_;
};

}  // namespace

std::optional<odata_instant> parse_odata_datetime(std::string_view s) noexcept {
    using namespace std::chrono;
    auto y = number_at(s, 0, 4), mo = number_at(s, 5, 2), d = number_at(s, 8, 2);
    auto h = number_at(s, 11, 2), mi = number_at(s, 14, 2);
    if (!y || !mo || !d || !h || !mi || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':')
        return std::nullopt;
    const year_month_day ymd{year{*y}, month{unsigned(*mo)}, day{unsigned(*d)}};
    if (!ymd.ok() || *h > 23 || *mi > 59) return std::nullopt;
    std::size_t pos = 16;
    int second = 0;
    std::int64_t ms = 0;
    bool sub = false;
    if (pos < s.size() && s[pos] == ':') {
        auto sec = number_at(s, pos + 1, 2);
        if (!sec || *sec > 59) return std::nullopt;
        second = *sec;
        pos += 3;
        if (pos < s.size() && s[pos] == '.') {
            const std::size_t first = ++pos;
            while (pos < s.size() && is_digit(s[pos])) {
                if (pos - first < 3) ms = ms * 10 + (s[pos] - '0');
                else if (s[pos] != '0') sub = true;
                ++pos;
            }
            const std::size_t count = pos - first;
            if (count == 0 || count > 12) return std::nullopt;
            for (std::size_t i = count; i < 3; ++i) ms *= 10;
        }
    }
    const std::string_view zone = s.substr(pos);
    std::int64_t offset_minutes = 0;
    if (zone == "Z" || zone == "z") {
        offset_minutes = 0;
    } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-' || zone[0] == ' ') && zone[3] == ':') {
        auto oh = number_at(zone, 1, 2), om = number_at(zone, 4, 2);
        if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
        offset_minutes = (*oh * 60 + *om) * (zone[0] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const std::int64_t days = sys_days{ymd}.time_since_epoch().count();
    const std::int64_t seconds = days * 86400 + *h * 3600 + *mi * 60 + second - offset_minutes * 60;
    return odata_instant{seconds * 1000 + ms, sub};
}

bool row_filter::contradictory() const noexcept {
    return std::any_of(ranges.begin(), ranges.end(), [](const time_range& r) { return r.lower > r.upper; });
}

bool row_filter::matches(const row& cells) const noexcept {
    for (const auto& r : ranges) {
        if (r.column >= cells.size()) return false;
        const auto* v = std::get_if<utc_millis>(&cells[r.column]);
        if (v == nullptr || v->value < r.lower || v->value > r.upper) return false;
    }
    return true;
}

std::string row_filter::canonical() const {
    std::string out;
    for (const auto& r : ranges)
        out += std::to_string(r.column) + ":" + std::to_string(r.lower) + ":" + std::to_string(r.upper) + ";";
    return out;
}

boost::system::result<row_filter, odata_error> parse_filter(const table& t, std::string_view text) {
    if (text.size() > max_filter_chars)
        return invalid("longer than " + std::to_string(max_filter_chars) + " characters");
    auto tokens = tokenize(text);
    if (!tokens) return tokens.error();
    if (tokens->size() == 1) return invalid("empty expression");
    return parser(t, std::move(*tokens)).run();
}

}  // namespace jtgw::odata
