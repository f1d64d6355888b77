#include <stdexcept>

#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {
namespace {

template <class Map, class Key>
std::uint32_t must_find(const Map& map, const Key& key, const char* what) {
    auto it = map.find(key);
    if (it == map.end()) throw std::runtime_error(std::string("dataset: dangling reference to ") + what);
    return it->second;
}

// Children are stored sorted by (issue_id, id); one pass turns them into per-issue ranges.
template <class Rows>
std::vector<dataset::range> ranges_of(const Rows& rows, const dataset& d, const char* what) {
    std::vector<dataset::range> out(d.issues.size());
    std::int64_t previous_issue = -1, previous_id = -1;
    for (std::uint32_t k = 0; k < rows.size(); ++k) {
        const auto& row = rows[k];
        if (row.issue_id < previous_issue || (row.issue_id == previous_issue && row.id <= previous_id))
            throw std::runtime_error(std::string("dataset: ") + what + " not sorted by (issue, id)");
        previous_issue = row.issue_id;
        previous_id = row.id;
        auto& r = out[must_find(d.issue_by_id, row.issue_id, what)];
        if (r.first == r.last) r.first = k;
        r.last = k + 1;
    }
    return out;
}

}  // namespace

void dataset::index() {
    issue_by_id.clear();
    issue_by_key.clear();
    project_by_key.clear();
    project_by_id.clear();
    for (std::uint32_t p = 0; p < projects.size(); ++p) {
        project_by_key[projects[p].key] = p;
        project_by_id[projects[p].id] = p;
    }
    for (std::uint32_t k = 0; k < statuses.size(); ++k) status_by_id[statuses[k].id] = k;
    for (std::uint32_t k = 0; k < issue_types.size(); ++k) type_by_id[issue_types[k].id] = k;
    for (std::uint32_t k = 0; k < impact_options.size(); ++k) option_by_id[impact_options[k].id] = k;
    for (std::uint32_t k = 0; k < sprints.size(); ++k) sprint_by_id[sprints[k].id] = k;
    for (std::uint32_t k = 0; k < boards.size(); ++k) board_by_id[boards[k].id] = k;
    for (std::uint32_t k = 0; k < versions.size(); ++k) version_by_id[versions[k].id] = k;
    for (std::uint32_t k = 0; k < components.size(); ++k) component_by_id[components[k].id] = k;
    issue_by_id.reserve(issues.size());
    issue_by_key.reserve(issues.size());
    for (std::uint32_t k = 0; k < issues.size(); ++k) {
        if (k && issues[k].id <= issues[k - 1].id) throw std::runtime_error("dataset: issues not sorted by id");
        issue_by_id[issues[k].id] = k;
        issue_by_key[key_of(issues[k])] = k;
    }
    worklog_by_id.clear();
    worklog_by_id.reserve(worklogs.size());
    for (std::uint32_t k = 0; k < worklogs.size(); ++k) worklog_by_id[worklogs[k].id] = k;
    worklogs_of = ranges_of(worklogs, *this, "worklogs");
    comments_of = ranges_of(comments, *this, "comments");
    histories_of = ranges_of(histories, *this, "histories");
    links_of.assign(issues.size(), {});
    subtasks_of.assign(issues.size(), {});
    for (std::uint32_t k = 0; k < links.size(); ++k) {
        links_of[must_find(issue_by_id, links[k].source_issue_id, "link")].push_back(k);
        links_of[must_find(issue_by_id, links[k].destination_issue_id, "link")].push_back(k);
    }
    for (std::uint32_t k = 0; k < issues.size(); ++k) {
        const auto& is = issues[k];
        if (is.parent_id && issue_types[std::size_t(is.issue_type)].subtask)
            subtasks_of[must_find(issue_by_id, is.parent_id, "parent")].push_back(k);
        for (auto id : is.components) must_find(component_by_id, id, "component");
        for (auto id : is.fix_versions) must_find(version_by_id, id, "version");
        for (auto id : is.sprints) must_find(sprint_by_id, id, "sprint");
    }
}

}  // namespace jtgw::jira_sample
