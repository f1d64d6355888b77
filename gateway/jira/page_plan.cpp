#include "gateway/jira/page_plan.hpp"

#include "gateway/jira/jql_narrowing.hpp"

#include <algorithm>

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/url.hpp>

namespace jtgw::jira {

namespace json = boost::json;
namespace urls = boost::urls;
using odata::paging_style;

namespace {

bool search_style(paging_style p) { return p == paging_style::search || p == paging_style::search_jql; }

// A placeholder's value as text: Jira keys are strings, ids may be numbers.
std::optional<std::string> placeholder_text(const json::value* v) {
  if (v == nullptr) return std::nullopt;
  if (const auto* s = v->if_string()) return std::string(*s);
  if (v->is_int64() || v->is_uint64()) return json::serialize(*v);
  return std::nullopt;
}

const json::value* member(const json::value& body, std::string_view name) {
  const auto* o = body.if_object();
  return o ? o->if_contains(name) : nullptr;
}

std::optional<std::int64_t> integer_member(const json::value& body, std::string_view name) {
  const auto* v = member(body, name);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64() && v->get_uint64() <= std::uint64_t(INT64_MAX)) return std::int64_t(v->get_uint64());
  return std::nullopt;
}

std::optional<bool> bool_member(const json::value& body, std::string_view name) {
  const auto* v = member(body, name);
  if (v && v->is_bool()) return v->get_bool();
  return std::nullopt;
}

envelope_result fail(std::string problem) { return envelope_result{{}, std::move(problem)}; }

}  // namespace

std::vector<std::string> search_fields(const odata::table& t, odata::flavor f, bool with_lists) {
  std::vector<std::string> out;
  auto add = [&](const odata::json_pointer& path) {
    const auto& tokens = path.tokens;
    if (tokens.size() < 2 || tokens[0] != "fields") return;
    if (std::find(out.begin(), out.end(), tokens[1]) == out.end()) out.push_back(tokens[1]);
  };
  const auto& source = t.source[std::size_t(f)];
  // Which scope holds the listed issue itself: the row, unless rows come from inside it.
  const auto issue_scope = source.rows ? odata::value_scope::listed : odata::value_scope::row;
  for (const auto& c : t.columns) {
    const auto& src = c.source[std::size_t(f)];
    if (src.scope != issue_scope) continue;
    add(src.path);
    for (const auto& option : src.cases) {
      add(option.when);
      add(option.path);
    }
  }
  if (source.rows && with_lists) {
    add(source.rows->each.front());
    if (source.rows->complete) add(source.rows->complete->total);
  }
  if (source.rows && out.empty()) out.push_back("key");
  return out;
}

namespace {

// The endpoint with its {placeholders} filled from `values` (percent-encoded as path
// segments); nullopt when one has no usable value.
std::optional<std::string> filled_endpoint(std::string_view endpoint,
                                           const std::vector<std::pair<std::string, odata::json_pointer>>& params,
                                           const json::value* values) {
  std::string path;
  std::string_view rest = endpoint;
  while (!rest.empty()) {
    const auto open = rest.find('{');
    if (open == std::string_view::npos) {
      path += rest;
      break;
    }
    const auto close = rest.find('}', open);
    if (close == std::string_view::npos) return std::nullopt;  // the catalog loader refuses these
    path += rest.substr(0, open);
    const std::string_view name = rest.substr(open + 1, close - open - 1);
    std::optional<std::string> value;
    if (values)
      for (const auto& [param, pointer] : params)
        if (param == name) value = placeholder_text(pointer.find(*values));
    if (!value || value->empty()) return std::nullopt;
    path += urls::encode(*value, urls::pchars);
    rest = rest.substr(close + 1);
  }
  return path;
}

}  // namespace

std::optional<std::string> page_target(const odata::table_source& source, const std::vector<std::string>& fields,
                                       const page_key& key, const json::value* parent, std::string_view narrowing) {
  static const std::vector<std::pair<std::string, odata::json_pointer>> no_params;
  auto path = filled_endpoint(source.endpoint, source.parent ? source.parent->params : no_params, parent);
  if (!path) return std::nullopt;
  urls::url url;
  url.set_encoded_path(*path);
  auto params = url.params();
  bool narrowed = narrowing.empty();
  for (const auto& [name, value] : source.query) {
    if (name == "jql" && !narrowed) {
      params.append({name, and_jql(value, narrowing)});
      narrowed = true;
    } else {
      params.append({name, value});
    }
  }
  if (!narrowed) params.append({"jql", narrowing});
  switch (source.paging) {
    case paging_style::plain_array: break;
    case paging_style::search_jql:
      if (!key.next_page_token.empty()) params.append({"nextPageToken", key.next_page_token});
      params.append({"maxResults", std::to_string(source.max_page_size)});
      break;
    default:
      params.append({"startAt", std::to_string(key.start_at)});
      params.append({"maxResults", std::to_string(source.max_page_size)});
      break;
  }
  if (search_style(source.paging) && !fields.empty()) {
    std::string list;
    for (const auto& f : fields) {
      if (!list.empty()) list += ',';
      list += f;
    }
    params.append({"fields", list});
  }
  return std::string(url.buffer());
}

std::optional<std::string> completion_target(const odata::completion_rule& rule, std::int64_t start_at,
                                             const json::value& listed) {
  auto path = filled_endpoint(rule.endpoint, rule.params, &listed);
  if (!path) return std::nullopt;
  urls::url url;
  url.set_encoded_path(*path);
  if (rule.paging != paging_style::plain_array) {
    url.params().append({"startAt", std::to_string(start_at)});
    url.params().append({"maxResults", std::to_string(rule.max_page_size)});
  }
  return std::string(url.buffer());
}

envelope_result read_envelope(const odata::table_source& source, const page_key& key, const json::value& body) {
  return read_envelope(source.paging, source.items, key, body);
}

envelope_result read_envelope(paging_style paging, const odata::json_pointer& items_at, const page_key& key,
                              const json::value& body) {
  envelope out;
  if (paging == paging_style::plain_array || paging == paging_style::startat_array) {
    out.items = body.if_array();
    if (!out.items) return fail("Jira sent no JSON array");
  } else {
    const auto* items = items_at.find(body);
    out.items = items ? items->if_array() : nullptr;
    if (!out.items) return fail("Jira's response has no array at " + items_at.text);
  }
  const auto rows = std::int64_t(out.items->size());
  auto after = [&](std::int64_t n) { return page_key{key.parent_index, key.start_at + n, {}, 0}; };

  switch (paging) {
    case paging_style::plain_array: break;
    case paging_style::startat_array:
      // Jira may send fewer rows than asked before the end: only an empty page ends it.
      if (rows > 0) out.next = after(rows);
      break;
    case paging_style::search:
    case paging_style::startat_total: {
      const auto total = integer_member(body, "total");
      if (!total) return fail("Jira's response has no total");
      if (rows > 0 && key.start_at + rows < *total) out.next = after(rows);
      break;
    }
    case paging_style::page_bean:
    case paging_style::agile: {
      const auto last = bool_member(body, "isLast");
      if (!last) return fail("Jira's page has no isLast");
      if (!*last && rows > 0) out.next = after(rows);
      break;
    }
    case paging_style::search_jql: {
      const auto last = bool_member(body, "isLast").value_or(false);
      const auto* token = member(body, "nextPageToken");
      if (last || token == nullptr || token->is_null()) break;
      if (!token->is_string() || token->get_string().empty()) return fail("Jira's nextPageToken is not a string");
      if (token->get_string() == key.next_page_token) return fail("Jira's nextPageToken did not advance");
      if (rows == 0) break;  // a cursor past an empty page would loop on nothing
      out.next = page_key{key.parent_index, 0, std::string(token->get_string()), 0};
      break;
    }
  }
  return envelope_result{out, {}};
}

std::optional<page_key> predicted_next(const odata::table_source& source, const page_key& key) {
  switch (source.paging) {
    case paging_style::search_jql:
    case paging_style::plain_array:
    case paging_style::startat_array:  // short pages are normal there: a guess would often miss
      return std::nullopt;
    default: return page_key{key.parent_index, key.start_at + source.max_page_size, {}, 0};
  }
}

}  // namespace jtgw::jira
