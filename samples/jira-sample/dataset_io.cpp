#include "samples/jira-sample/dataset_io.hpp"

#include <boost/json.hpp>
#include <fstream>
#include <stdexcept>

#include "samples/jira-sample/fields.hpp"
#include "samples/jira-sample/json_util.hpp"
#include "samples/jira-sample/time_format.hpp"

namespace jtgw::jira_sample {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

// ---- writing -------------------------------------------------------------------------

json::value time_or_null(millis t) { return t == no_time ? json::value(nullptr) : json::value(jira_time(t)); }
json::value date_or_null(std::int32_t d) { return d == no_date ? json::value(nullptr) : json::value(jira_date(d)); }
json::value text_or_null(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

struct writer {
    const dataset& d;
    json::value account(std::int32_t u) const {
        return u == none ? json::value(nullptr) : json::value(d.users[std::size_t(u)].account_id);
    }
    template <class T> json::array ids(const std::vector<T>& v) const { return json::array(v.begin(), v.end()); }
};

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

void write_array(const fs::path& path, const json::array& rows) {
    std::string text = "[\n";
    for (std::size_t k = 0; k < rows.size(); ++k) {
        text += "  " + json::serialize(rows[k]);
        text += k + 1 < rows.size() ? ",\n" : "\n";
    }
    write_text(path, text + "]\n");
}

// One JSON object per line: large tables stay greppable and streamable.
template <class Rows, class Fn>
void write_lines(const fs::path& path, const Rows& rows, Fn to_json) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::string line;
    for (const auto& row : rows) {
        line = json::serialize(to_json(row));
        line += '\n';
        out.write(line.data(), std::streamsize(line.size()));
    }
    if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

json::value fields_file() {
    json::array out;
    for (const auto& f : all_fields()) {
        json::object schema = field_schema(f);
        out.push_back(json::object{{"id", f.id}, {"name", f.name}, {"custom", f.custom},
                                   {"orderable", f.orderable}, {"navigable", f.navigable},
                                   {"searchable", f.searchable}, {"schema", std::move(schema)}});
    }
    return out;
}

void write_dataset(const dataset& d, const fs::path& dir) {
    fs::create_directories(dir);
    const writer w{d};
    write_text(dir / "meta.json", json::serialize(json::object{{"generator", d.meta.generator},
                                                               {"issues", d.meta.issues},
                                                               {"seed", d.meta.seed}}) + "\n");
    json::array rows;
    for (const auto& u : d.users)
        rows.push_back(json::object{{"display_name", u.display_name}, {"email", u.email},
                                    {"account_id", u.account_id}, {"username", u.username},
                                    {"api_token", u.api_token}, {"pat", u.pat}, {"password", u.password},
                                    {"projects", json::array(u.projects.begin(), u.projects.end())}});
    write_array(dir / "users.json", rows);
    rows.clear();
    for (const auto& p : d.projects)
        rows.push_back(json::object{{"id", p.id}, {"key", p.key}, {"name", p.name}, {"description", p.description},
                                    {"lead_account_id", w.account(p.lead)}});
    write_array(dir / "projects.json", rows);
    rows.clear();
    for (const auto& t : d.issue_types)
        rows.push_back(json::object{{"id", t.id}, {"name", t.name}, {"description", t.description},
                                    {"subtask", t.subtask}, {"hierarchy_level", t.hierarchy_level}});
    write_array(dir / "issue_types.json", rows);
    rows.clear();
    for (const auto& c : d.status_categories)
        rows.push_back(json::object{{"id", c.id}, {"key", c.key}, {"name", c.name}, {"color_name", c.color_name}});
    write_array(dir / "status_categories.json", rows);
    rows.clear();
    for (const auto& s : d.statuses)
        rows.push_back(json::object{{"id", s.id}, {"name", s.name}, {"description", s.description},
                                    {"status_category_id", s.category_id}});
    write_array(dir / "statuses.json", rows);
    rows.clear();
    for (const auto& p : d.priorities)
        rows.push_back(json::object{{"id", p.id}, {"name", p.name}, {"description", p.description},
                                    {"status_color", p.status_color}});
    write_array(dir / "priorities.json", rows);
    rows.clear();
    for (const auto& r : d.resolutions)
        rows.push_back(json::object{{"id", r.id}, {"name", r.name}, {"description", r.description}});
    write_array(dir / "resolutions.json", rows);
    rows.clear();
    for (const auto& v : d.versions)
        rows.push_back(json::object{{"id", v.id}, {"project_id", v.project_id}, {"name", v.name},
                                    {"description", v.description}, {"archived", v.archived},
                                    {"released", v.released}, {"release_date", date_or_null(v.release_date)}});
    write_array(dir / "versions.json", rows);
    rows.clear();
    for (const auto& c : d.components)
        rows.push_back(json::object{{"id", c.id}, {"project_id", c.project_id}, {"name", c.name},
                                    {"description", c.description}, {"lead_account_id", w.account(c.lead)}});
    write_array(dir / "components.json", rows);
    rows.clear();
    for (const auto& l : d.link_types)
        rows.push_back(json::object{{"id", l.id}, {"name", l.name}, {"inward", l.inward}, {"outward", l.outward}});
    write_array(dir / "issue_link_types.json", rows);
    rows.clear();
    for (const auto& o : d.impact_options)
        rows.push_back(json::object{{"field_id", "customfield_10030"}, {"id", o.id}, {"value", o.value}});
    write_array(dir / "select_options.json", rows);
    rows.clear();
    for (const auto& b : d.boards)
        rows.push_back(json::object{{"id", b.id}, {"project_id", b.project_id}, {"name", b.name}, {"type", b.type}});
    write_array(dir / "boards.json", rows);
    rows.clear();
    for (const auto& s : d.sprints)
        rows.push_back(json::object{{"id", s.id}, {"board_id", s.board_id}, {"name", s.name}, {"state", s.state},
                                    {"goal", s.goal}, {"start_date", time_or_null(s.start)},
                                    {"end_date", time_or_null(s.end)}, {"complete_date", time_or_null(s.complete)},
                                    {"created_date", time_or_null(s.created)}});
    write_array(dir / "sprints.json", rows);
    write_array(dir / "fields.json", fields_file().as_array());

    write_lines(dir / "issues.jsonl", d.issues, [&](const issue& i) {
        return json::object{
            {"id", i.id}, {"key", d.key_of(i)}, {"project_id", d.projects[std::size_t(i.project)].id},
            {"issue_type_id", d.issue_types[std::size_t(i.issue_type)].id},
            {"status_id", d.statuses[std::size_t(i.status)].id},
            {"priority_id", d.priorities[std::size_t(i.priority)].id},
            {"resolution_id", i.resolution == none ? json::value(nullptr) : json::value(d.resolutions[std::size_t(i.resolution)].id)},
            {"summary", i.summary}, {"description", text_or_null(i.description)},
            {"assignee", w.account(i.assignee)}, {"reporter", w.account(i.reporter)}, {"creator", w.account(i.creator)},
            {"created", jira_time(i.created)}, {"updated", jira_time(i.updated)},
            {"resolutiondate", time_or_null(i.resolved)}, {"duedate", date_or_null(i.due)},
            {"labels", json::array(i.labels.begin(), i.labels.end())},
            {"component_ids", w.ids(i.components)}, {"fix_version_ids", w.ids(i.fix_versions)},
            {"sprint_ids", w.ids(i.sprints)},
            {"parent_id", i.parent_id ? json::value(i.parent_id) : json::value(nullptr)},
            {"story_points", number_or_null(i.story_points)},
            {"impact_option_id", i.impact_option ? json::value(i.impact_option) : json::value(nullptr)},
            {"reviewers", [&] { json::array a; for (auto u : i.reviewers) a.push_back(w.account(u)); return a; }()}};
    });
    write_lines(dir / "worklogs.jsonl", d.worklogs, [&](const worklog& x) {
        return json::object{{"id", x.id}, {"issue_id", x.issue_id}, {"author", w.account(x.author)},
                            {"update_author", w.account(x.update_author)}, {"comment", text_or_null(x.comment)},
                            {"created", jira_time(x.created)}, {"updated", jira_time(x.updated)},
                            {"started", jira_time(x.started)}, {"time_spent_seconds", x.time_spent_seconds}};
    });
    write_lines(dir / "comments.jsonl", d.comments, [&](const comment& x) {
        return json::object{{"id", x.id}, {"issue_id", x.issue_id}, {"author", w.account(x.author)},
                            {"update_author", w.account(x.update_author)}, {"body", x.body},
                            {"created", jira_time(x.created)}, {"updated", jira_time(x.updated)}};
    });
    write_lines(dir / "changelog.jsonl", d.histories, [&](const history& h) {
        json::array items;
        for (const auto& it : h.items)
            items.push_back(json::object{{"field", it.field}, {"field_id", it.field_id},
                                         {"from", text_or_null(it.from)}, {"from_string", text_or_null(it.from_string)},
                                         {"to", text_or_null(it.to)}, {"to_string", text_or_null(it.to_string)}});
        return json::object{{"id", h.id}, {"issue_id", h.issue_id}, {"author", w.account(h.author)},
                            {"created", jira_time(h.created)}, {"items", std::move(items)}};
    });
    write_lines(dir / "issue_links.jsonl", d.links, [&](const issue_link& l) {
        return json::object{{"id", l.id}, {"type_id", l.type_id}, {"source_issue_id", l.source_issue_id},
                            {"destination_issue_id", l.destination_issue_id}};
    });
}

}  // namespace jtgw::jira_sample
