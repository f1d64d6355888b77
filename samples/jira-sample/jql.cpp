#include "samples/jira-sample/jql.hpp"

#include <algorithm>
#include <cctype>

#include "samples/jira-sample/time_format.hpp"

namespace jtgw::jira_sample {
namespace {

enum class tok { word, string, op, lparen, rparen, comma, end };

struct token {
    tok kind;
    std::string text;
    std::size_t column;  // 1-based, as in Jira's "(line 1, character N)"
};

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool word_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/' || c == ':' ||
           c == '[' || c == ']' || c == '*';
}

std::string where(const token& t) { return " (line 1, character " + std::to_string(t.column) + ")"; }

// Splits JQL into tokens; returns an error message for an unterminated string.
std::string tokenize(std::string_view q, std::vector<token>& out) {
    std::size_t i = 0;
    while (i < q.size()) {
        const char c = q[i];
        if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
        const std::size_t column = i + 1;
        if (c == '"' || c == '\'') {
            std::string text;
            std::size_t j = i + 1;
            for (; j < q.size() && q[j] != c; ++j) {
                if (q[j] == '\\' && j + 1 < q.size()) ++j;
                text += q[j];
            }
            if (j >= q.size())
                return "Error in the JQL Query: The quoted string '" + text + "' has not been completed." +
                       " (line 1, character " + std::to_string(column) + ")";
            out.push_back({tok::string, std::move(text), column});
            i = j + 1;
        } else if (c == '(' || c == ')' || c == ',') {
            out.push_back({c == '(' ? tok::lparen : c == ')' ? tok::rparen : tok::comma, std::string(1, c), column});
            ++i;
        } else if (c == '=' || c == '!' || c == '<' || c == '>' || c == '~') {
            std::size_t j = i + 1;
            if (j < q.size() && (q[j] == '=' || q[j] == '~')) ++j;
            out.push_back({tok::op, std::string(q.substr(i, j - i)), column});
            i = j;
        } else if (word_char(c)) {
            std::size_t j = i;
            while (j < q.size() && word_char(q[j])) ++j;
            out.push_back({tok::word, std::string(q.substr(i, j - i)), column});
            i = j;
        } else {
            return "Error in the JQL Query: The character '" + std::string(1, c) +
                   "' is a reserved JQL character. You must enclose it in a string or use the escape '\\u" +
                   [&] { char b[8]; std::snprintf(b, sizeof b, "%04x", unsigned(static_cast<unsigned char>(c))); return std::string(b); }() +
                   "' instead. (line 1, character " + std::to_string(column) + ")";
        }
    }
    out.push_back({tok::end, "", q.size() + 1});
    return {};
}

class compiler {
public:
    compiler(const dataset& d, std::uint64_t visible) : d_(d), visible_(visible) {}

    jql_result run(std::string_view jql) {
        jql_result r;
        if (jql.size() > max_jql_length) {
            r.error = "The JQL query is too long: jira-sample accepts at most " + std::to_string(max_jql_length) + " characters.";
            return r;
        }
        r.error = tokenize(jql, tokens_);
        if (!r.error.empty()) return r;
        r.error = query(r.filter);
        return r;
    }

private:
    const token& peek() const { return tokens_[pos_]; }
    const token& next() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
    bool keyword(const token& t, std::string_view k) const { return t.kind == tok::word && upper(t.text) == k; }

    std::string unexpected(const token& t, std::string_view expecting) const {
        if (t.kind == tok::end) return "Error in the JQL Query: Expecting " + std::string(expecting) + " but reached the end of the query." + where(t);
        return "Error in the JQL Query: Expecting " + std::string(expecting) + " but got '" + t.text + "'." + where(t);
    }

    std::string query(jql_filter& f) {
        if (peek().kind != tok::end && !keyword(peek(), "ORDER")) {
            for (;;) {
                if (auto e = clause(f); !e.empty()) return e;
                f.restricted = true;
                const auto& t = peek();
                if (keyword(t, "AND")) { next(); continue; }
                if (keyword(t, "OR") || keyword(t, "NOT"))
                    return "jira-sample does not support '" + upper(t.text) + "' in JQL: join clauses with AND." + where(t);
                break;
            }
        }
        if (keyword(peek(), "ORDER")) {
            next();
            if (!keyword(peek(), "BY")) return unexpected(peek(), "'BY'");
            next();
            for (;;) {
                const auto& field = next();
                if (field.kind != tok::word && field.kind != tok::string) return unexpected(field, "a field name");
                const auto name = upper(field.text);
                sort_key key;
                if (name == "CREATED" || name == "CREATEDDATE") key.field = sort_field::created;
                else if (name == "UPDATED" || name == "UPDATEDDATE") key.field = sort_field::updated;
                else if (name == "KEY" || name == "ISSUEKEY") key.field = sort_field::key;
                else
                    return "jira-sample cannot order by '" + field.text + "': supported are created, updated and key." + where(field);
                if (keyword(peek(), "ASC")) next();
                else if (keyword(peek(), "DESC")) { next(); key.descending = true; }
                f.order.push_back(key);
                if (peek().kind != tok::comma) break;
                next();
            }
        }
        if (peek().kind != tok::end) return unexpected(peek(), "either 'OR' or 'AND'");
        return {};
    }

    std::string clause(jql_filter& f) {
        const auto& field = next();
        if (field.kind == tok::lparen) return "jira-sample does not support parentheses in JQL." + where(field);
        if (field.kind != tok::word && field.kind != tok::string) return unexpected(field, "a field name");
        const auto name = upper(field.text);
        const auto& op = next();
        std::string oper = op.kind == tok::op ? op.text : upper(op.text);
        if (oper == "NOT" && keyword(peek(), "IN")) { next(); oper = "NOT IN"; }
        if (op.kind != tok::op && oper != "IN" && oper != "NOT IN" && oper != "IS" && oper != "WAS" && oper != "CHANGED")
            return "Error in the JQL Query: Expecting operator but got '" + op.text +
                   "'. The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'." + where(op);

        if (name == "PROJECT") return project_clause(f, field, oper, op);
        if (name == "KEY" || name == "ISSUEKEY" || name == "ID" || name == "ISSUE") return key_clause(f, field, oper, op);
        if (name == "CREATED" || name == "CREATEDDATE" || name == "UPDATED" || name == "UPDATEDDATE")
            return date_clause(name[0] == 'C' ? f.created : f.updated, field, oper, op);
        return "Field '" + field.text + "' is not supported by jira-sample: use project, key, created or updated." + where(field);
    }

    // Reads `= value` or `in (v1, v2, ...)` into values.
    std::string values(const std::string& oper, const token& op, std::vector<token>& out) {
        if (oper == "=") {
            const auto& v = next();
            if (v.kind != tok::word && v.kind != tok::string) return unexpected(v, "a value");
            out.push_back(v);
            return {};
        }
        if (oper != "IN") return "jira-sample supports only '=' and 'IN' here, not '" + oper + "'." + where(op);
        if (next().kind != tok::lparen) return unexpected(tokens_[pos_ - 1], "'('");
        for (;;) {
            const auto& v = next();
            if (v.kind != tok::word && v.kind != tok::string) return unexpected(v, "a value");
            out.push_back(v);
            const auto& sep = next();
            if (sep.kind == tok::rparen) return {};
            if (sep.kind != tok::comma) return unexpected(sep, "',' or ')'");
        }
    }

    std::string project_clause(jql_filter& f, const token&, const std::string& oper, const token& op) {
        std::vector<token> vals;
        if (auto e = values(oper, op, vals); !e.empty()) return e;
        std::uint64_t mask = 0;
        for (const auto& v : vals) {
            std::int32_t found = none;
            for (std::size_t p = 0; p < d_.projects.size(); ++p) {
                const auto& pr = d_.projects[p];
                if (upper(pr.key) == upper(v.text) || upper(pr.name) == upper(v.text) || std::to_string(pr.id) == v.text)
                    found = std::int32_t(p);
            }
            if (found == none || !(visible_ >> found & 1))
                return "The value '" + v.text + "' does not exist for the field 'project'.";
            mask |= std::uint64_t{1} << found;
        }
        f.projects &= mask;
        return {};
    }

    std::string key_clause(jql_filter& f, const token& field, const std::string& oper, const token& op) {
        std::vector<token> vals;
        if (auto e = values(oper, op, vals); !e.empty()) return e;
        std::vector<std::uint32_t> set;
        for (const auto& v : vals) {
            const auto key = upper(v.text);
            auto it = d_.issue_by_key.find(key);
            if (it == d_.issue_by_key.end() && !key.empty() && std::all_of(key.begin(), key.end(), ::isdigit)) {
                auto by_id = d_.issue_by_id.find(std::stoll(key.substr(0, 18)));
                if (by_id != d_.issue_by_id.end()) it = d_.issue_by_key.find(d_.key_of(d_.issues[by_id->second]));
            }
            const auto dash = key.rfind('-');
            if (it == d_.issue_by_key.end() && (dash == std::string::npos || dash == 0 || dash + 1 == key.size()) &&
                !std::all_of(key.begin(), key.end(), ::isdigit))
                return "The issue key '" + v.text + "' for field '" + field.text + "' is invalid.";
            if (it == d_.issue_by_key.end() || !(visible_ >> d_.issues[it->second].project & 1))
                return "An issue with key '" + v.text + "' does not exist for field '" + field.text + "'.";
            set.push_back(it->second);
        }
        std::sort(set.begin(), set.end());
        if (f.issues) {
            std::vector<std::uint32_t> both;
            std::set_intersection(f.issues->begin(), f.issues->end(), set.begin(), set.end(), std::back_inserter(both));
            set = std::move(both);
        }
        f.issues = std::move(set);
        return {};
    }

    std::string date_clause(time_range& range, const token& field, const std::string& oper, const token& op) {
        if (oper != ">=" && oper != ">" && oper != "<=" && oper != "<")
            return "jira-sample supports only >=, >, <= and < for '" + field.text + "', not '" + oper + "'." + where(op);
        const auto& v = next();
        if (v.kind != tok::word && v.kind != tok::string) return unexpected(v, "a date");
        const auto t = parse_jql_date(v.text);
        if (!t)
            return "Date value '" + v.text + "' for field '" + field.text +
                   "' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'." +
                   " jira-sample does not support relative dates such as '-5d'.";
        if (oper == ">=") range.lo = std::max(range.lo, *t);
        else if (oper == ">") range.lo = std::max(range.lo, *t + 1);
        else if (oper == "<=") range.hi = std::min(range.hi, *t);
        else range.hi = std::min(range.hi, *t - 1);
        return {};
    }

    const dataset& d_;
    std::uint64_t visible_;
    std::vector<token> tokens_;
    std::size_t pos_ = 0;
};

}  // namespace

std::optional<millis> parse_jql_date(std::string_view s) noexcept {
    if (s.size() != 10 && s.size() != 16) return std::nullopt;
    std::string date(s.substr(0, 10));
    if (date[4] == '/' && date[7] == '/') date[4] = date[7] = '-';
    const auto day = parse_jira_date(date);
    if (!day) return std::nullopt;
    millis t = millis{*day} * 86'400'000;
    if (s.size() == 16) {
        auto digit = [&](std::size_t i) { return std::isdigit(static_cast<unsigned char>(s[i])) != 0; };
        if (s[10] != ' ' || s[13] != ':' || !digit(11) || !digit(12) || !digit(14) || !digit(15)) return std::nullopt;
        const int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
        if (hh > 23 || mm > 59) return std::nullopt;
        t += millis{hh} * 3'600'000 + millis{mm} * 60'000;
    }
    return t;
}

jql_result compile_jql(std::string_view jql, const dataset& d, std::uint64_t visible) {
    return compiler(d, visible).run(jql);
}

}  // namespace jtgw::jira_sample
