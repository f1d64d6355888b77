// Issue search: Cloud's /rest/api/3/search/jql (nextPageToken), Data Center's
// /rest/api/2/search (startAt/total) and Agile's /sprint/{id}/issue.
#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

#include "samples/jira-sample/service_state.hpp"

namespace jtgw::jira_sample {
namespace json = boost::json;
namespace {

constexpr std::uint32_t cloud_changelog_cap = 100;  // Cloud embeds at most 100 histories

struct search_request {
    std::string jql;
    std::string next_page_token;
    std::vector<std::string> fields, expand;
    std::int64_t start = 0, max = 50;
    std::optional<response> error;
};

response bad_payload() {
    return error_response(http::status::bad_request, "Invalid request payload. Refer to the REST API documentation and try again.");
}

// Reads the parameters from the query string (GET) or the JSON body (POST).
search_request read_request(const call& c, std::int64_t default_max, std::int64_t max_cap) {
    search_request sr;
    if (c.req.method() == http::verb::post) {
        json::error_code ec;
        const auto body = json::parse(c.req.body(), ec);
        if (ec || !body.is_object()) { sr.error = bad_payload(); return sr; }
        const auto& o = body.get_object();
        if (const auto* j = o.if_contains("jql"); j && !j->is_null()) {
            if (!j->is_string()) { sr.error = bad_payload(); return sr; }
            sr.jql = j->get_string();
        }
        if (const auto* t = o.if_contains("nextPageToken"); t && t->is_string()) sr.next_page_token = t->get_string();
        sr.fields = list_member(o, "fields");
        sr.expand = list_member(o, "expand");
        const auto start = integer_member(o, "startAt", 0, 0, INT32_MAX);
        const auto max = integer_member(o, "maxResults", default_max, 0, max_cap);
        if (start.error) sr.error = start.error;
        else if (max.error) sr.error = max.error;
        sr.start = start.value;
        sr.max = max.value;
        return sr;
    }
    sr.jql = param(c, "jql").value_or("");
    sr.next_page_token = param(c, "nextPageToken").value_or("");
    sr.fields = list_param(c, "fields");
    sr.expand = list_param(c, "expand");
    const auto start = integer_param(c, "startAt", 0, 0, INT32_MAX);
    const auto max = integer_param(c, "maxResults", default_max, 0, max_cap);
    if (start.error) sr.error = start.error;
    else if (max.error) sr.error = max.error;
    sr.start = start.value;
    sr.max = max.value;
    return sr;
}

// FNV-1a: binds a page token to its query, so a token replayed on another query is refused.
std::uint64_t fingerprint(std::string_view jql) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char ch : jql) h = (h ^ ch) * 0x100000001b3ULL;
    return h;
}

std::string make_token(std::int64_t offset, std::string_view jql) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%llx.%016llx", static_cast<unsigned long long>(offset),
                  static_cast<unsigned long long>(fingerprint(jql)));
    return buf;
}

std::optional<std::int64_t> read_token(std::string_view token, std::string_view jql) {
    const auto dot = token.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 12 || token.size() - dot - 1 != 16) return std::nullopt;
    std::uint64_t offset = 0, fp = 0;
    auto r1 = std::from_chars(token.data(), token.data() + dot, offset, 16);
    auto r2 = std::from_chars(token.data() + dot + 1, token.data() + token.size(), fp, 16);
    if (r1.ec != std::errc() || r1.ptr != token.data() + dot || r2.ec != std::errc() || r2.ptr != token.data() + token.size() ||
        fp != fingerprint(jql))
        return std::nullopt;
    return std::int64_t(offset);
}

// An upper bound of the page's size, so the body is allocated once.
std::size_t page_bytes(const call& c, const std::vector<std::uint32_t>& issues, const issue_selection& sel) {
    std::size_t bytes = 1024;
    for (auto k : issues) {
        bytes += 512;
        for (std::size_t f = 0; f < field_count; ++f)
            if (sel.fields.test(f)) bytes += c.cache.piece(k, field_id(f)).size() + 1;
    }
    return bytes;
}

void append_issues(std::string& out, const service_state& s, const call& c, const std::vector<std::uint32_t>& issues,
                   const issue_selection& sel, unsigned expand, issue_home home) {
    out += "\"issues\":[";
    const auto cap = c.v3() ? cloud_changelog_cap : 0;
    for (std::size_t k = 0; k < issues.size(); ++k) {
        if (k) out += ',';
        append_issue(out, c.r, c.cache, issues[k], sel, expand, home, cap, false);
    }
    out += ']';
    if (expand & unsigned(expansion::names)) { out += ','; append_names(out, sel.fields); }
    if (expand & unsigned(expansion::schema)) { out += ','; append_schemas(out, c.r, sel.fields); }
    (void)s;
}

// The v2/Agile envelope: {expand, startAt, maxResults, total, issues}.
response offset_page(const service_state& s, const call& c, const search_page& page, const search_request& sr,
                     issue_home home) {
    const auto sel = parse_fields(sr.fields, {navigable_field_set(), true});
    const auto expand = parse_expand(sr.expand);
    std::string out = "{\"expand\":\"schema,names\",\"startAt\":" + std::to_string(sr.start) +
                      ",\"maxResults\":" + std::to_string(sr.max) + ",\"total\":" + std::to_string(page.total) + ",";
    out.reserve(out.size() + page_bytes(c, page.issues, sel));
    append_issues(out, s, c, page.issues, sel, expand, home);
    out += '}';
    return json_response(http::status::ok, std::move(out));
}

}  // namespace

response search_jql(service_state& s, const call& c) {
    auto sr = read_request(c, 50, 5000);
    if (sr.error) return *sr.error;
    const auto sel = parse_fields(sr.fields, {field_set{}, false});
    // Cloud caps pages at 100 issues once any field is requested (5000 for ids only).
    if (sel.fields.any()) sr.max = std::min<std::int64_t>(sr.max, 100);
    sr.max = std::max<std::int64_t>(sr.max, 1);
    auto compiled = compile_jql(sr.jql, s.d, c.visible);
    if (!compiled.ok()) return error_response(http::status::bad_request, compiled.error);
    if (!compiled.filter.restricted)
        return error_response(http::status::bad_request,
                              "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
    std::int64_t offset = 0;
    if (!sr.next_page_token.empty()) {
        const auto t = read_token(sr.next_page_token, sr.jql);
        if (!t) return error_response(http::status::bad_request, "The provided next page token is invalid or expired.");
        offset = *t;
    }
    const auto page = run_search_page(s.d, s.orders, compiled.filter, c.visible, std::size_t(offset), std::size_t(sr.max));
    const auto next = std::size_t(offset) + page.issues.size();
    const bool last = next >= page.total;
    std::string out = "{";
    out.reserve(page_bytes(c, page.issues, sel));
    append_issues(out, s, c, page.issues, sel, parse_expand(sr.expand), issue_home::platform);
    if (!last) out += ",\"nextPageToken\":\"" + make_token(std::int64_t(next), sr.jql) + "\"";
    out += last ? ",\"isLast\":true}" : ",\"isLast\":false}";
    return json_response(http::status::ok, std::move(out));
}

response search_offset(service_state& s, const call& c) {
    const auto sr = read_request(c, 50, 1000);
    if (sr.error) return *sr.error;
    const auto compiled = compile_jql(sr.jql, s.d, c.visible);
    if (!compiled.ok()) return error_response(http::status::bad_request, compiled.error);
    return offset_page(s, c, run_search_page(s.d, s.orders, compiled.filter, c.visible, std::size_t(sr.start), std::size_t(sr.max)),
                       sr, issue_home::platform);
}

response sprint_issues(service_state& s, const call& c, std::string_view sprint_id) {
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(sprint_id.data(), sprint_id.data() + sprint_id.size(), id);
    const auto it = ec == std::errc() && ptr == sprint_id.data() + sprint_id.size() ? s.d.sprint_by_id.find(id) : s.d.sprint_by_id.end();
    if (it == s.d.sprint_by_id.end() ||
        !(c.visible >> s.d.project_by_id.at(s.d.boards[s.d.board_by_id.at(s.d.sprints[it->second].board_id)].project_id) & 1))
        return error_response(http::status::not_found, "Sprint with id " + std::string(sprint_id.substr(0, 32)) +
                                                           " does not exist or you do not have permission to see it.");
    const auto sr = read_request(c, 50, 100);
    if (sr.error) return *sr.error;
    const auto compiled = compile_jql(sr.jql, s.d, c.visible);
    if (!compiled.ok()) return error_response(http::status::bad_request, compiled.error);
    search_page page;
    for (auto k : s.sprint_issues[it->second]) {
        const auto& is = s.d.issues[k];
        const auto& f = compiled.filter;
        if ((c.visible & f.projects) >> is.project & 1 && f.created.contains(is.created) && f.updated.contains(is.updated) &&
            (!f.issues || std::binary_search(f.issues->begin(), f.issues->end(), k)))
            if (page.total++ >= std::size_t(sr.start) && page.issues.size() < std::size_t(sr.max)) page.issues.push_back(k);
    }
    return offset_page(s, c, page, sr, issue_home::agile);
}

}  // namespace jtgw::jira_sample
