#pragma once
// The issue fields jira-sample knows: the single definition behind GET /field, the
// fields.json dataset file, `fields=` selection and expand=names,schema.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace jtgw::jira_sample {

/// Position of each field in rendered issues (and the bit used in field selections).
enum class field_id : std::uint8_t {
    summary, description, issuetype, project, status, priority, resolution, assignee, reporter,
    creator, created, updated, resolutiondate, duedate, labels, components, fix_versions, parent,
    subtasks, issuelinks, timespent, story_points, sprint, impact, reviewers, epic_link, rank,
    comment, worklog, count_
};
constexpr std::size_t field_count = std::size_t(field_id::count_);

struct field_def {
    field_id which;
    std::string_view id, name;
    bool custom, orderable, navigable, searchable;
    std::string_view schema_type, schema_items, schema_system_or_custom;  // items: "" if not an array
    std::int64_t custom_id;                                                // 0 for system fields
};

/// All fields in rendering order.
std::span<const field_def> all_fields();
/// Jira's `schema` object for a field: {type, items?, system} or {type, items?, custom, customId}.
boost::json::object field_schema(const field_def& f);
/// The field with this id ("summary", "customfield_10016"), or nullopt.
std::optional<field_id> find_field(std::string_view id);
/// Gives the Sprint field another id (customfield_10020 by default) for this process, as
/// sites number their sprint field differently; call before serving. The dataset files
/// keep 10020 (fields.json, changelog items). Throws std::invalid_argument unless `id`
/// is customfield_<1-9 digits> and no other field has it.
void set_sprint_field_id(std::string_view id);

}  // namespace jtgw::jira_sample
