#include "samples/jira-sample/fields.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <string>

namespace jtgw::jira_sample {
namespace {

using f = field_id;
// Schemas follow Jira's /field output: system fields carry `system`, custom ones `custom`
// (the plugin type key) and `customId`. comment and worklog are not navigable, as in Jira.
std::array<field_def, field_count> defs{{
    {f::summary, "summary", "Summary", false, true, true, true, "string", "", "summary", 0},
    {f::description, "description", "Description", false, true, true, true, "string", "", "description", 0},
    {f::issuetype, "issuetype", "Issue Type", false, true, true, true, "issuetype", "", "issuetype", 0},
    {f::project, "project", "Project", false, false, true, true, "project", "", "project", 0},
    {f::status, "status", "Status", false, false, true, true, "status", "", "status", 0},
    {f::priority, "priority", "Priority", false, true, true, true, "priority", "", "priority", 0},
    {f::resolution, "resolution", "Resolution", false, true, true, true, "resolution", "", "resolution", 0},
    {f::assignee, "assignee", "Assignee", false, true, true, true, "user", "", "assignee", 0},
    {f::reporter, "reporter", "Reporter", false, true, true, true, "user", "", "reporter", 0},
    {f::creator, "creator", "Creator", false, false, true, true, "user", "", "creator", 0},
    {f::created, "created", "Created", false, false, true, true, "datetime", "", "created", 0},
    {f::updated, "updated", "Updated", false, false, true, true, "datetime", "", "updated", 0},
    {f::resolutiondate, "resolutiondate", "Resolved", false, false, true, true, "datetime", "", "resolutiondate", 0},
    {f::duedate, "duedate", "Due date", false, true, true, true, "date", "", "duedate", 0},
    {f::labels, "labels", "Labels", false, true, true, true, "array", "string", "labels", 0},
    {f::components, "components", "Components", false, true, true, true, "array", "component", "components", 0},
    {f::fix_versions, "fixVersions", "Fix versions", false, true, true, true, "array", "version", "fixVersions", 0},
    {f::parent, "parent", "Parent", false, true, true, true, "issuelink", "", "parent", 0},
    {f::subtasks, "subtasks", "Sub-tasks", false, false, true, false, "array", "issuelinks", "subtasks", 0},
    {f::issuelinks, "issuelinks", "Linked Issues", false, true, true, true, "array", "issuelinks", "issuelinks", 0},
    {f::timespent, "timespent", "Time Spent", false, false, true, false, "number", "", "timespent", 0},
    {f::story_points, "customfield_10016", "Story Points", true, true, true, true, "number", "",
     "com.atlassian.jira.plugin.system.customfieldtypes:float", 10016},
    {f::sprint, "customfield_10020", "Sprint", true, true, true, true, "array", "json",
     "com.pyxis.greenhopper.jira:gh-sprint", 10020},
    {f::impact, "customfield_10030", "Customer Impact", true, true, true, true, "option", "",
     "com.atlassian.jira.plugin.system.customfieldtypes:select", 10030},
    {f::reviewers, "customfield_10040", "Reviewers", true, true, true, true, "array", "user",
     "com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker", 10040},
    {f::epic_link, "customfield_10014", "Epic Link", true, true, true, true, "any", "",
     "com.pyxis.greenhopper.jira:gh-epic-link", 10014},
    {f::rank, "customfield_10019", "Rank", true, false, true, true, "any", "",
     "com.pyxis.greenhopper.jira:gh-lexo-rank", 10019},
    {f::comment, "comment", "Comment", false, true, false, true, "comments-page", "", "comment", 0},
    {f::worklog, "worklog", "Log Work", false, true, false, true, "array", "worklog", "worklog", 0},
}};

}  // namespace

std::span<const field_def> all_fields() { return defs; }

boost::json::object field_schema(const field_def& f) {
    boost::json::object s{{"type", f.schema_type}};
    if (!f.schema_items.empty()) s["items"] = f.schema_items;
    if (f.custom) {
        s["custom"] = f.schema_system_or_custom;
        s["customId"] = f.custom_id;
    } else {
        s["system"] = f.schema_system_or_custom;
    }
    return s;
}

void set_sprint_field_id(std::string_view id) {
    static std::string stored;  // defs hold views: the id must outlive them
    constexpr std::string_view prefix = "customfield_";
    const std::string_view digits = id.substr(std::min(id.size(), prefix.size()));
    std::int64_t number = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (!id.starts_with(prefix) || digits.empty() || digits.size() > 9 || ec != std::errc() ||
        end != digits.data() + digits.size())
        throw std::invalid_argument("the sprint field id must be customfield_<digits>: " + std::string(id));
    const auto taken = find_field(id);
    if (taken && *taken != f::sprint) throw std::invalid_argument("another field is " + std::string(id));
    stored = id;
    auto& sprint = *std::find_if(defs.begin(), defs.end(), [](const field_def& d) { return d.which == f::sprint; });
    sprint.id = stored;
    sprint.custom_id = number;
}

std::optional<field_id> find_field(std::string_view id) {
    for (const auto& d : defs)
        if (d.id == id) return d.which;
    return std::nullopt;
}

}  // namespace jtgw::jira_sample
