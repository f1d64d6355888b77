// TABLE SOURCE of the catalog: endpoint, paging, query, the parent walk, and rows taken
// from arrays inside each listed item (with the rule completing lists Jira truncated).
#include <set>

#include "gateway/odata/catalog_parse_util.hpp"

namespace jtgw::odata::detail {

namespace {

bool needs_items(paging_style p) { return p != paging_style::plain_array && p != paging_style::startat_array; }

paging_style paging_of(const json::object& obj, const where& at) {
    return enum_of<paging_style>(string_of(obj, "paging", at, true),
                                 {{"search_jql", paging_style::search_jql},
                                  {"search", paging_style::search},
                                  {"page_bean", paging_style::page_bean},
                                  {"plain_array", paging_style::plain_array},
                                  {"startat_array", paging_style::startat_array},
                                  {"agile", paging_style::agile},
                                  {"startat_total", paging_style::startat_total}},
                                 at, "paging style");
}

std::string endpoint_of(const json::object& obj, const where& at) {
    std::string endpoint = string_of(obj, "endpoint", at, true);
    if (endpoint.rfind("/rest/", 0) != 0 || endpoint.find_first_of("?# ") != std::string::npos)
        fail(at, "endpoint must be a path under /rest/ without query: " + in_quotes(endpoint));
    return endpoint;
}

// "items" exactly for the envelope styles; "max_page_size" (1..max) exactly for paged ones.
void envelope_of(const json::object& obj, paging_style paging, std::int64_t max, const where& at, json_pointer& items,
                 std::int64_t& max_page_size) {
    if (needs_items(paging) != (member(obj, "items") != nullptr))
        fail(at, needs_items(paging) ? "paging style needs \"items\" (where the rows are in the envelope)"
                                     : "a bare-array paging style takes no \"items\"");
    items = pointer_of(obj, "items", at, false);
    const json::value* size = member(obj, "max_page_size");
    if ((paging == paging_style::plain_array) != (size == nullptr))
        fail(at, paging == paging_style::plain_array ? "an unpaged source takes no \"max_page_size\""
                                                     : "a paged source needs \"max_page_size\"");
    if (size) {
        if (!size->is_int64() || size->get_int64() < 1 || size->get_int64() > max)
            fail(at, "\"max_page_size\" must be an integer from 1 to " + std::to_string(max));
        max_page_size = size->get_int64();
    }
}

std::vector<std::string> placeholders_of(const std::string& endpoint, const where& at) {
    std::vector<std::string> names;
    for (std::size_t open = endpoint.find('{'); open != std::string::npos; open = endpoint.find('{', open + 1)) {
        auto close = endpoint.find('}', open);
        if (close == std::string::npos) fail(at, "unclosed \"{\" in endpoint " + in_quotes(endpoint));
        names.push_back(endpoint.substr(open + 1, close - open - 1));
    }
    return names;
}

void placeholders_bound(const std::string& endpoint, const std::vector<std::pair<std::string, json_pointer>>& params,
                        const where& at, std::string_view by) {
    auto holes = placeholders_of(endpoint, at);
    std::set<std::string> bound;
    for (const auto& [name, ptr] : params) bound.insert(name);
    if (std::set<std::string>(holes.begin(), holes.end()) != bound)
        fail(at, "endpoint placeholders of " + in_quotes(endpoint) + " must be exactly the " + std::string(by));
}

std::optional<parent_link> parent_of(const json::object& src, const where& at) {
    const json::value* v = member(src, "parent");
    if (v == nullptr) return std::nullopt;
    const auto& obj = object_of(*v, at, "parent");
    only_keys(obj, {"table", "params", "only_if"}, at, "parent");
    parent_link p;
    p.table = string_of(obj, "table", at, true);
    const json::value* params = member(obj, "params");
    if (params == nullptr) fail(at, "parent needs \"params\" (endpoint placeholders and their parent values)");
    p.params = params_of(*params, at, "parent param");
    if (const json::value* cond = member(obj, "only_if")) {
        const auto& c = object_of(*cond, at, "parent.only_if");
        only_keys(c, {"path", "in"}, at, "parent.only_if");
        p.only_if_path = pointer_of(c, "path", at, true);
        const json::value* in = member(c, "in");
        if (in == nullptr || !in->is_array() || in->get_array().empty())
            fail(at, "parent.only_if needs a non-empty \"in\" array of strings");
        for (const auto& s : in->get_array()) {
            if (!s.is_string()) fail(at, "parent.only_if \"in\" must hold strings");
            p.only_if_in.emplace_back(s.get_string());
        }
    }
    return p;
}

completion_rule completion_of(const json::value& v, const where& at) {
    const auto& obj = object_of(v, at, "rows.complete");
    only_keys(obj, {"total", "endpoint", "params", "paging", "items", "max_page_size"}, at, "rows.complete");
    completion_rule c;
    c.total = pointer_of(obj, "total", at, true);
    c.endpoint = endpoint_of(obj, at);
    c.paging = paging_of(obj, at);
    if (c.paging == paging_style::search || c.paging == paging_style::search_jql)
        fail(at, "rows.complete pages a per-item list, not a search");
    // Jira's per-issue worklog and comment listings grant up to 5000 per page.
    envelope_of(obj, c.paging, 5000, at, c.items, c.max_page_size);
    if (const json::value* params = member(obj, "params")) c.params = params_of(*params, at, "rows.complete param");
    placeholders_bound(c.endpoint, c.params, at, "rows.complete params");
    return c;
}

std::optional<row_expansion> rows_of(const json::object& src, const where& at) {
    const json::value* v = member(src, "rows");
    if (v == nullptr) return std::nullopt;
    const auto& obj = object_of(*v, at, "rows");
    only_keys(obj, {"each", "complete"}, at, "rows");
    row_expansion r;
    const json::value* each = member(obj, "each");
    if (each == nullptr || !each->is_array() || each->get_array().empty() || each->get_array().size() > 2)
        fail(at, "rows needs \"each\": an array of one or two JSON pointers (the arrays rows come from)");
    for (const auto& p : each->get_array()) {
        auto ptr = p.is_string() ? json_pointer::parse(p.get_string()) : std::nullopt;
        if (!ptr) fail(at, "rows.each must hold JSON pointers (RFC 6901, \"/a/b\")");
        r.each.push_back(std::move(*ptr));
    }
    if (const json::value* c = member(obj, "complete")) r.complete = completion_of(*c, at);
    return r;
}

}  // namespace

table_source table_source_of(const json::value& v, const where& at, std::string_view what) {
    const auto& obj = object_of(v, at, what);
    only_keys(obj, {"endpoint", "paging", "items", "max_page_size", "query", "parent", "rows", "worklog_feed"}, at, what);
    table_source s;
    s.endpoint = endpoint_of(obj, at);
    s.paging = paging_of(obj, at);
    envelope_of(obj, s.paging, 1000, at, s.items, s.max_page_size);
    if (const json::value* q = member(obj, "query")) {
        for (const auto& param : object_of(*q, at, "query")) {
            std::string_view name = param.key();
            if (name == "startAt" || name == "maxResults" || name == "nextPageToken")
                fail(at, "query may not set the paging parameter " + in_quotes(name));
            if (!param.value().is_string()) fail(at, "query parameter " + in_quotes(name) + " must be a string");
            s.query.emplace_back(std::string(name), std::string(param.value().get_string()));
        }
    }
    s.parent = parent_of(obj, at);
    s.rows = rows_of(obj, at);
    if (const json::value* feed = member(obj, "worklog_feed")) {
        const auto& f = object_of(*feed, at, "worklog_feed");
        only_keys(f, {"column"}, at, "worklog_feed");
        s.worklog_feed = worklog_feed_rule{string_of(f, "column", at, true)};
        // The feed's rows stand in for a search's issues, each holding one worklog.
        if (s.paging != paging_style::search_jql || !s.rows || s.rows->each.size() != 1 ||
            s.endpoint.rfind("/rest/api/3/", 0) != 0)
            fail(at, "worklog_feed needs a Jira Cloud search (/rest/api/3/…, paging search_jql) with one level of "
                     "rows.each");
    }
    placeholders_bound(s.endpoint, s.parent ? s.parent->params : decltype(parent_link::params){}, at, "parent params");
    return s;
}

}  // namespace jtgw::odata::detail
