#include "samples/jira-sample/render.hpp"

#include <boost/json.hpp>
#include <cstdio>

#include "samples/jira-sample/json_util.hpp"
#include "samples/jira-sample/time_format.hpp"

namespace jtgw::jira_sample {
namespace json = boost::json;
namespace {

std::string id_string(std::int64_t id) { return std::to_string(id); }

// A lexorank-like value: unique and ordered by issue id, as Jira's Rank field is.
std::string rank_of(std::int64_t id) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0|i%06llx:", static_cast<unsigned long long>(id));
    return buf;
}

}  // namespace

std::string jira_duration(std::int64_t seconds) {
    const std::int64_t minutes = seconds / 60, hours = minutes / 60, days = hours / 8, weeks = days / 5;
    std::string out;
    auto part = [&](std::int64_t n, const char* unit) {
        if (!n) return;
        if (!out.empty()) out += ' ';
        out += std::to_string(n) + unit;
    };
    part(weeks, "w");
    part(days % 5, "d");
    part(hours % 8, "h");
    part(minutes % 60, "m");
    return out.empty() ? "0m" : out;
}

renderer::renderer(const dataset& d, std::string base_url, api flavor)
    : d_(d), base_(std::move(base_url)), rest_(base_ + (flavor == api::v3 ? "/rest/api/3" : "/rest/api/2")),
      flavor_(flavor) {}

json::value renderer::avatar_urls(std::string_view kind, std::int64_t id) const {
    const std::string stem = base_ + "/secure/" + std::string(kind) + "?avatarId=" + std::to_string(id) + "&size=";
    return json::object{{"48x48", stem + "large"}, {"24x24", stem + "small"}, {"16x16", stem + "xsmall"},
                        {"32x32", stem + "medium"}};
}

json::value renderer::user(std::int32_t u) const {
    if (u == none) return nullptr;
    const auto& x = d_.users[std::size_t(u)];
    if (flavor_ == api::v3)
        return json::object{{"self", rest_ + "/user?accountId=" + x.account_id}, {"accountId", x.account_id},
                            {"emailAddress", x.email}, {"avatarUrls", avatar_urls("useravatar", 10122)},
                            {"displayName", x.display_name}, {"active", true}, {"timeZone", "UTC"},
                            {"accountType", "atlassian"}};
    return json::object{{"self", rest_ + "/user?username=" + x.username}, {"name", x.username}, {"key", x.username},
                        {"emailAddress", x.email}, {"avatarUrls", avatar_urls("useravatar", 10122)},
                        {"displayName", x.display_name}, {"active", true}, {"timeZone", "UTC"}};
}

json::value renderer::text(const std::string& plain) const {
    if (plain.empty()) return nullptr;
    if (flavor_ == api::v2) return json::value(plain);
    // ADF: one paragraph per line of the plain text.
    json::array paragraphs;
    std::size_t start = 0;
    while (start <= plain.size()) {
        const auto end = std::min(plain.find('\n', start), plain.size());
        json::object paragraph{{"type", "paragraph"}};
        if (end > start)
            paragraph["content"] = json::array{json::object{{"type", "text"}, {"text", plain.substr(start, end - start)}}};
        else
            paragraph["content"] = json::array{};
        paragraphs.push_back(std::move(paragraph));
        start = end + 1;
    }
    return json::object{{"type", "doc"}, {"version", 1}, {"content", std::move(paragraphs)}};
}

json::value renderer::project(std::int32_t p, bool full) const {
    const auto& x = d_.projects[std::size_t(p)];
    json::object o;
    if (full)
        o["expand"] = flavor_ == api::v3 ? "description,lead,issueTypes,url,projectKeys,permissions,insight"
                                         : "description,lead,url,projectKeys";
    o["self"] = rest_ + "/project/" + id_string(x.id);
    o["id"] = id_string(x.id);
    o["key"] = x.key;
    o["name"] = x.name;
    o["projectTypeKey"] = "software";
    o["simplified"] = false;
    o["avatarUrls"] = avatar_urls("projectavatar", 10400);
    if (full) {
        o["style"] = "classic";
        o["isPrivate"] = false;
        o["properties"] = json::object{};
        if (flavor_ == api::v2) {
            o.erase("simplified");
            o["archived"] = false;
        }
    }
    return o;
}

json::value renderer::issue_type(std::int32_t t) const {
    const auto& x = d_.issue_types[std::size_t(t)];
    json::object o{{"self", rest_ + "/issuetype/" + id_string(x.id)}, {"id", id_string(x.id)},
                   {"description", x.description},
                   {"iconUrl", base_ + "/secure/viewavatar?size=medium&avatarId=" + std::to_string(10300 + x.id % 100) + "&avatarType=issuetype"},
                   {"name", x.name}, {"subtask", x.subtask}, {"avatarId", 10300 + x.id % 100}};
    if (flavor_ == api::v3) o["hierarchyLevel"] = x.hierarchy_level;
    return o;
}

json::value renderer::status_category(std::int64_t id) const {
    for (const auto& c : d_.status_categories)
        if (c.id == id)
            return json::object{{"self", rest_ + "/statuscategory/" + id_string(c.id)}, {"id", c.id}, {"key", c.key},
                                {"colorName", c.color_name}, {"name", c.name}};
    return nullptr;
}

json::value renderer::status(std::int32_t s) const {
    const auto& x = d_.statuses[std::size_t(s)];
    return json::object{{"self", rest_ + "/status/" + id_string(x.id)}, {"description", x.description},
                        {"iconUrl", base_ + "/images/icons/statuses/generic.png"}, {"name", x.name},
                        {"id", id_string(x.id)}, {"statusCategory", status_category(x.category_id)}};
}

json::value renderer::priority(std::int32_t p) const {
    const auto& x = d_.priorities[std::size_t(p)];
    return json::object{{"self", rest_ + "/priority/" + id_string(x.id)},
                        {"iconUrl", base_ + "/images/icons/priorities/" + x.name + ".svg"}, {"name", x.name},
                        {"id", id_string(x.id)}};
}

json::value renderer::resolution(std::int32_t r) const {
    if (r == none) return nullptr;
    const auto& x = d_.resolutions[std::size_t(r)];
    return json::object{{"self", rest_ + "/resolution/" + id_string(x.id)}, {"id", id_string(x.id)},
                        {"description", x.description}, {"name", x.name}};
}

json::value renderer::version(const jira_sample::version& v) const {
    json::object o{{"self", rest_ + "/version/" + id_string(v.id)}, {"id", id_string(v.id)},
                   {"description", v.description}, {"name", v.name}, {"archived", v.archived},
                   {"released", v.released}};
    if (v.release_date != no_date) o["releaseDate"] = jira_date(v.release_date);
    o["projectId"] = v.project_id;
    return o;
}

json::value renderer::component(const jira_sample::component& c, bool full) const {
    json::object o{{"self", rest_ + "/component/" + id_string(c.id)}, {"id", id_string(c.id)}, {"name", c.name},
                   {"description", c.description}};
    if (full) {
        if (c.lead != none) o["lead"] = user(c.lead);
        o["assigneeType"] = "PROJECT_DEFAULT";
        o["realAssigneeType"] = "PROJECT_DEFAULT";
        o["isAssigneeTypeValid"] = false;
        o["project"] = d_.projects[d_.project_by_id.at(c.project_id)].key;
        o["projectId"] = c.project_id;
    }
    return o;
}

json::value renderer::link_type(const jira_sample::link_type& t) const {
    return json::object{{"id", id_string(t.id)}, {"name", t.name}, {"inward", t.inward}, {"outward", t.outward},
                        {"self", rest_ + "/issueLinkType/" + id_string(t.id)}};
}

json::value renderer::comment(const jira_sample::comment& c) const {
    json::object o{{"self", rest_ + "/issue/" + id_string(c.issue_id) + "/comment/" + id_string(c.id)},
                   {"id", id_string(c.id)}, {"author", user(c.author)}, {"body", text(c.body)},
                   {"updateAuthor", user(c.update_author)}, {"created", jira_time(c.created)},
                   {"updated", jira_time(c.updated)}};
    if (flavor_ == api::v3) o["jsdPublic"] = true;
    return o;
}

json::value renderer::worklog(const jira_sample::worklog& w) const {
    json::object o{{"self", rest_ + "/issue/" + id_string(w.issue_id) + "/worklog/" + id_string(w.id)},
                   {"author", user(w.author)}, {"updateAuthor", user(w.update_author)}};
    // Cloud leaves out an empty comment; Data Center sends "".
    if (flavor_ == api::v2) o["comment"] = w.comment;
    else if (!w.comment.empty()) o["comment"] = text(w.comment);
    o["created"] = jira_time(w.created);
    o["updated"] = jira_time(w.updated);
    o["started"] = jira_time(w.started);
    o["timeSpent"] = jira_duration(w.time_spent_seconds);
    o["timeSpentSeconds"] = w.time_spent_seconds;
    o["id"] = id_string(w.id);
    o["issueId"] = id_string(w.issue_id);
    return o;
}

json::value renderer::history(const jira_sample::history& h) const {
    json::array items;
    auto or_null = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
    for (const auto& it : h.items) {
        json::object item{{"field", it.field},
                          {"fieldtype", it.field_id.rfind("customfield_", 0) == 0 ? "custom" : "jira"}};
        if (flavor_ == api::v3) item["fieldId"] = it.field_id;
        item["from"] = or_null(it.from);
        item["fromString"] = or_null(it.from_string);
        item["to"] = or_null(it.to);
        item["toString"] = or_null(it.to_string);
        items.push_back(std::move(item));
    }
    return json::object{{"id", id_string(h.id)}, {"author", user(h.author)}, {"created", jira_time(h.created)},
                        {"items", std::move(items)}};
}

json::value renderer::schema(const field_def& f) const { return field_schema(f); }

json::value renderer::field(const field_def& f) const {
    json::array clause_names{f.custom ? json::value("cf[" + std::to_string(f.custom_id) + "]") : json::value(f.id)};
    if (f.custom) clause_names.push_back(json::value(f.name));
    json::object o{{"id", f.id}, {"key", f.id}, {"name", f.name}, {"custom", f.custom}, {"orderable", f.orderable},
                   {"navigable", f.navigable}, {"searchable", f.searchable}, {"clauseNames", std::move(clause_names)},
                   {"schema", schema(f)}};
    if (f.custom) o["untranslatedName"] = f.name;
    return o;
}

json::value renderer::agile_sprint(const sprint& s) const {
    json::object o{{"id", s.id}, {"self", base_ + "/rest/agile/1.0/sprint/" + id_string(s.id)}, {"state", s.state},
                   {"name", s.name}};
    if (s.start != no_time) o["startDate"] = agile_time(s.start);
    if (s.end != no_time) o["endDate"] = agile_time(s.end);
    if (s.complete != no_time) o["completeDate"] = agile_time(s.complete);
    if (s.created != no_time) o["createdDate"] = agile_time(s.created);
    o["originBoardId"] = s.board_id;
    o["goal"] = s.goal;
    return o;
}

json::value renderer::agile_board(const board& b) const {
    const auto p = d_.project_by_id.at(b.project_id);
    const auto& pr = d_.projects[p];
    return json::object{{"id", b.id}, {"self", base_ + "/rest/agile/1.0/board/" + id_string(b.id)}, {"name", b.name},
                        {"type", b.type},
                        {"location", json::object{{"projectId", pr.id}, {"displayName", pr.name + " (" + pr.key + ")"},
                                                  {"projectName", pr.name}, {"projectKey", pr.key},
                                                  {"projectTypeKey", "software"},
                                                  {"avatarURI", base_ + "/secure/projectavatar?size=small&avatarId=10400"},
                                                  {"name", pr.name + " (" + pr.key + ")"}}}};
}

json::value renderer::sprint_value(const sprint& s) const {
    if (flavor_ == api::v3) {
        json::object o{{"id", s.id}, {"name", s.name}, {"state", s.state}, {"boardId", s.board_id}, {"goal", s.goal}};
        if (s.start != no_time) o["startDate"] = zulu_time(s.start);
        if (s.end != no_time) o["endDate"] = zulu_time(s.end);
        if (s.complete != no_time) o["completeDate"] = zulu_time(s.complete);
        return o;
    }
    // Data Center serialises the sprint bean with toString(); clients parse the brackets.
    auto t = [](millis m) { return m == no_time ? std::string("<null>") : agile_time(m); };
    std::string state = s.state;
    for (auto& c : state) c = char(std::toupper(static_cast<unsigned char>(c)));
    char hash[24];
    std::snprintf(hash, sizeof hash, "%08llx", static_cast<unsigned long long>(s.id * 2654435761ULL % 0xffffffffULL));
    return json::value("com.atlassian.greenhopper.service.sprint.Sprint@" + std::string(hash) + "[id=" +
                       std::to_string(s.id) + ",rapidViewId=" + std::to_string(s.board_id) + ",state=" + state +
                       ",name=" + s.name + ",startDate=" + t(s.start) + ",endDate=" + t(s.end) +
                       ",completeDate=" + t(s.complete) + ",activatedDate=" + t(s.start) +
                       ",sequence=" + std::to_string(s.id) + ",goal=" + s.goal + ",autoStartStop=false,synced=false]");
}

json::value renderer::issue_ref(std::uint32_t k) const {
    const auto& is = d_.issues[k];
    return json::object{{"id", id_string(is.id)}, {"key", d_.key_of(is)}, {"self", rest_ + "/issue/" + id_string(is.id)},
                        {"fields", json::object{{"summary", is.summary}, {"status", status(is.status)},
                                                {"priority", priority(is.priority)},
                                                {"issuetype", issue_type(is.issue_type)}}}};
}

json::value renderer::field_value(std::uint32_t k, field_id f, bool& present) const {
    const auto& is = d_.issues[k];
    present = true;
    auto embedded = [&](const dataset::range& r, const char* list_key, auto render_one) {
        json::array rows;
        const std::uint32_t shown = std::min<std::uint32_t>(r.last - r.first, 20);  // Jira embeds 20
        for (std::uint32_t i = r.first; i < r.first + shown; ++i) rows.push_back(render_one(i));
        return json::object{{"startAt", 0}, {"maxResults", 20}, {"total", r.last - r.first}, {list_key, std::move(rows)}};
    };
    switch (f) {
    case field_id::summary: return json::value(is.summary);
    case field_id::description: return text(is.description);
    case field_id::issuetype: return issue_type(is.issue_type);
    case field_id::project: return project(is.project, false);
    case field_id::status: return status(is.status);
    case field_id::priority: return priority(is.priority);
    case field_id::resolution: return resolution(is.resolution);
    case field_id::assignee: return user(is.assignee);
    case field_id::reporter: return user(is.reporter);
    case field_id::creator: return user(is.creator);
    case field_id::created: return json::value(jira_time(is.created));
    case field_id::updated: return json::value(jira_time(is.updated));
    case field_id::resolutiondate: return is.resolved == no_time ? json::value(nullptr) : json::value(jira_time(is.resolved));
    case field_id::duedate: return is.due == no_date ? json::value(nullptr) : json::value(jira_date(is.due));
    case field_id::labels: return json::array(is.labels.begin(), is.labels.end());
    case field_id::components: {
        json::array a;
        for (auto id : is.components) a.push_back(component(d_.components[d_.component_by_id.at(id)], false));
        return a;
    }
    case field_id::fix_versions: {
        json::array a;
        for (auto id : is.fix_versions) {
            auto v = version(d_.versions[d_.version_by_id.at(id)]);
            v.as_object().erase("projectId");
            a.push_back(std::move(v));
        }
        return a;
    }
    case field_id::parent: {
        // Cloud shows epics and sub-task parents here; Data Center only sub-task parents.
        const bool is_subtask = d_.issue_types[std::size_t(is.issue_type)].subtask;
        if (!is.parent_id || (flavor_ == api::v2 && !is_subtask)) {
            present = false;
            return nullptr;
        }
        return issue_ref(d_.issue_by_id.at(is.parent_id));
    }
    case field_id::subtasks: {
        json::array a;
        for (auto child : d_.subtasks_of[k]) a.push_back(issue_ref(child));
        return a;
    }
    case field_id::issuelinks: {
        json::array a;
        for (auto li : d_.links_of[k]) {
            const auto& l = d_.links[li];
            const jira_sample::link_type* type = nullptr;
            for (const auto& t : d_.link_types) if (t.id == l.type_id) type = &t;
            json::object o{{"id", id_string(l.id)}, {"self", rest_ + "/issueLink/" + id_string(l.id)},
                           {"type", type ? link_type(*type) : json::value(nullptr)}};
            if (l.source_issue_id == is.id) o["outwardIssue"] = issue_ref(d_.issue_by_id.at(l.destination_issue_id));
            else o["inwardIssue"] = issue_ref(d_.issue_by_id.at(l.source_issue_id));
            a.push_back(std::move(o));
        }
        return a;
    }
    case field_id::timespent: {
        const auto& r = d_.worklogs_of[k];
        if (r.first == r.last) return nullptr;
        std::int64_t total = 0;
        for (auto i = r.first; i < r.last; ++i) total += d_.worklogs[i].time_spent_seconds;
        return total;
    }
    case field_id::story_points: return number_or_null(is.story_points);
    case field_id::sprint: {
        if (is.sprints.empty()) return nullptr;
        json::array a;
        for (auto id : is.sprints) a.push_back(sprint_value(d_.sprints[d_.sprint_by_id.at(id)]));
        return a;
    }
    case field_id::impact: {
        if (!is.impact_option) return nullptr;
        const auto& o = d_.impact_options[d_.option_by_id.at(is.impact_option)];
        return json::object{{"self", rest_ + "/customFieldOption/" + id_string(o.id)}, {"value", o.value},
                            {"id", id_string(o.id)}};
    }
    case field_id::reviewers: {
        if (is.reviewers.empty()) return nullptr;
        json::array a;
        for (auto u : is.reviewers) a.push_back(user(u));
        return a;
    }
    case field_id::epic_link: {
        if (!is.parent_id) return nullptr;
        const auto& parent = d_.issues[d_.issue_by_id.at(is.parent_id)];
        if (d_.issue_types[std::size_t(parent.issue_type)].hierarchy_level != 1) return nullptr;
        return json::value(d_.key_of(parent));
    }
    case field_id::rank: return json::value(rank_of(is.id));
    case field_id::comment: {
        auto o = embedded(d_.comments_of[k], "comments", [&](std::uint32_t i) { return comment(d_.comments[i]); });
        // Jira's embedded comment page carries its own self link.
        o["self"] = rest_ + "/issue/" + id_string(is.id) + "/comment";
        return o;
    }
    case field_id::worklog:
        return embedded(d_.worklogs_of[k], "worklogs", [&](std::uint32_t i) { return worklog(d_.worklogs[i]); });
    case field_id::count_: break;
    }
    present = false;
    return nullptr;
}

}  // namespace jtgw::jira_sample
