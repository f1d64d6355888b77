#include "samples/jira-sample/issue_cache.hpp"

#include <boost/json.hpp>
#include <thread>

namespace jtgw::jira_sample {
namespace json = boost::json;

field_set all_field_set() { return field_set().set(); }

field_set navigable_field_set() {
    field_set s;
    for (const auto& f : all_fields()) s.set(std::size_t(f.which), f.navigable);
    return s;
}

issue_selection parse_fields(const std::vector<std::string>& tokens, issue_selection fallback) {
    if (tokens.empty()) return fallback;
    issue_selection sel;
    sel.header = false;
    for (const auto& raw : tokens) {
        std::string_view t = raw;
        while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
        while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
        if (t.empty()) continue;
        const bool exclude = t.front() == '-';
        if (exclude) t.remove_prefix(1);
        if (t != "id") sel.header = true;
        field_set which;
        if (t == "*all") which = all_field_set();
        else if (t == "*navigable") which = navigable_field_set();
        else if (auto f = find_field(t)) which.set(std::size_t(*f));
        if (exclude) sel.fields &= ~which;
        else sel.fields |= which;
    }
    return sel;
}

unsigned parse_expand(const std::vector<std::string>& tokens) {
    unsigned e = 0;
    for (const auto& t : tokens) {
        if (t == "changelog") e |= unsigned(expansion::changelog);
        else if (t == "names") e |= unsigned(expansion::names);
        else if (t == "schema") e |= unsigned(expansion::schema);
    }
    return e;
}

issue_cache::issue_cache(const renderer& r, unsigned threads) {
    const auto n = r.data().issues.size();
    text_.resize(n);
    offsets_.resize(n);
    auto work = [&](std::size_t first, std::size_t last) {
        for (std::size_t k = first; k < last; ++k) {
            auto& text = text_[k];
            auto& off = offsets_[k];
            for (const auto& f : all_fields()) {
                off[std::size_t(f.which)] = std::uint32_t(text.size());
                bool present = true;
                const auto value = r.field_value(std::uint32_t(k), f.which, present);
                if (!present) continue;
                text += '"';
                text += f.id;
                text += "\":";
                text += json::serialize(value);
            }
            off[field_count] = std::uint32_t(text.size());
            text.shrink_to_fit();
        }
    };
    threads = std::max(1u, std::min<unsigned>(threads, unsigned(n / 1000 + 1)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, n * t / threads, n * (t + 1) / threads);
    work(0, n / threads);
    for (auto& th : pool) th.join();
}

std::size_t issue_cache::bytes() const noexcept {
    std::size_t total = offsets_.size() * sizeof(offsets_[0]);
    for (const auto& t : text_) total += t.capacity() + sizeof(t);
    return total;
}

namespace {
// Jira's "names" and "schema" expansions: one object keyed by field id, for the
// requested fields, differing only in the value written per field.
template <class ValueOf>
void append_field_map(std::string& out, std::string_view key, const field_set& fields, ValueOf value_of) {
    out += '"';
    out += key;
    out += "\":{";
    bool first = true;
    for (const auto& f : all_fields()) {
        if (!fields.test(std::size_t(f.which))) continue;
        if (!first) out += ',';
        first = false;
        out += '"';
        out += f.id;
        out += "\":";
        out += json::serialize(value_of(f));
    }
    out += '}';
}
}  // namespace

void append_names(std::string& out, const field_set& fields) {
    append_field_map(out, "names", fields, [](const auto& f) { return json::value(json::string(f.name)); });
}

void append_schemas(std::string& out, const renderer& r, const field_set& fields) {
    append_field_map(out, "schema", fields, [&r](const auto& f) { return json::value(r.schema(f)); });
}

void append_issue(std::string& out, const renderer& r, const issue_cache& cache, std::uint32_t k,
                  const issue_selection& sel, unsigned expand, issue_home home, std::uint32_t changelog_cap,
                  bool inline_meta) {
    const auto& d = r.data();
    const auto& is = d.issues[k];
    const auto id = std::to_string(is.id);
    if (!sel.header) {
        out += "{\"id\":\"" + id + "\"}";
        return;
    }
    out += r.flavor() == api::v3 ? "{\"expand\":\"renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations\""
                                 : "{\"expand\":\"operations,versionedRepresentations,editmeta,changelog,renderedFields\"";
    out += ",\"id\":\"" + id + "\",\"self\":\"";
    out += home == issue_home::agile ? r.base() + "/rest/agile/1.0/issue/" : r.rest() + "/issue/";
    out += id + "\",\"key\":\"" + d.key_of(is) + "\",\"fields\":{";
    bool first = true;
    for (std::size_t f = 0; f < field_count; ++f) {
        if (!sel.fields.test(f)) continue;
        const auto piece = cache.piece(k, field_id(f));
        if (piece.empty()) continue;
        if (!first) out += ',';
        first = false;
        out += piece;
    }
    out += '}';
    if (expand & unsigned(expansion::changelog)) {
        const auto& range = d.histories_of[k];
        const std::uint32_t total = range.last - range.first;
        const std::uint32_t shown = changelog_cap ? std::min(total, changelog_cap) : total;
        json::array histories;
        for (auto h = range.first; h < range.first + shown; ++h) histories.push_back(r.history(d.histories[h]));
        out += ",\"changelog\":" + json::serialize(json::object{{"startAt", 0}, {"maxResults", shown},
                                                                {"total", total}, {"histories", std::move(histories)}});
    }
    if (inline_meta && (expand & unsigned(expansion::names))) {
        out += ',';
        append_names(out, sel.fields);
    }
    if (inline_meta && (expand & unsigned(expansion::schema))) {
        out += ',';
        append_schemas(out, r, sel.fields);
    }
    out += '}';
}

}  // namespace jtgw::jira_sample
