#pragma once
// The in-memory dataset: plain structs, indexes into vectors instead of pointers, and
// times as UTC epoch milliseconds. The files on disk (README.md) map one-to-one onto it.
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

namespace jtgw::jira_sample {

using millis = std::int64_t;             // UTC epoch milliseconds
constexpr millis no_time = 0;            // "absent" for optional timestamps
constexpr std::int32_t no_date = std::numeric_limits<std::int32_t>::min();  // days since epoch
constexpr std::int32_t none = -1;        // "absent" for optional indexes

struct user {
    std::string display_name, email, account_id, username, api_token, pat, password;
    std::vector<std::string> projects;   // keys this user may browse
};

struct project {
    std::int64_t id = 0;
    std::string key, name, description;
    std::int32_t lead = none;            // index into users
};

struct issue_type {
    std::int64_t id = 0;
    std::string name, description;
    bool subtask = false;
    std::int32_t hierarchy_level = 0;
};

struct status_category {
    std::int64_t id = 0;
    std::string key, name, color_name;
};

struct status {
    std::int64_t id = 0;
    std::string name, description;
    std::int64_t category_id = 0;
};

struct priority {
    std::int64_t id = 0;
    std::string name, description, status_color;
};

struct resolution {
    std::int64_t id = 0;
    std::string name, description;
};

struct version {
    std::int64_t id = 0, project_id = 0;
    std::string name, description;
    bool archived = false, released = false;
    std::int32_t release_date = no_date; // days since epoch
};

struct component {
    std::int64_t id = 0, project_id = 0;
    std::string name, description;
    std::int32_t lead = none;
};

struct link_type {
    std::int64_t id = 0;
    std::string name, inward, outward;
};

struct field_option {
    std::int64_t id = 0;
    std::string value;
};

struct board {
    std::int64_t id = 0, project_id = 0;
    std::string name, type;              // "scrum" | "kanban"
};

struct sprint {
    std::int64_t id = 0, board_id = 0;
    std::string name, state, goal;       // state: "closed" | "active" | "future"
    millis start = no_time, end = no_time, complete = no_time, created = no_time;
};

struct issue {
    std::int64_t id = 0;
    std::int32_t project = 0;            // index into projects
    std::int32_t number = 0;             // key = project key + "-" + number
    std::int32_t issue_type = 0, status = 0, priority = 0;
    std::int32_t resolution = none;
    std::int32_t assignee = none, reporter = 0, creator = 0;
    std::string summary, description;    // description: paragraphs separated by '\n'; may be empty
    millis created = 0, updated = 0, resolved = no_time;
    std::int32_t due = no_date;          // days since epoch
    std::vector<std::string> labels;
    std::vector<std::int64_t> components, fix_versions, sprints;
    std::int64_t parent_id = 0;          // 0: none
    double story_points = -1;            // < 0: absent
    std::int64_t impact_option = 0;      // customfield_10030 option id; 0: absent
    std::vector<std::int32_t> reviewers; // customfield_10040, user indexes
};

struct worklog {
    std::int64_t id = 0, issue_id = 0;
    std::int32_t author = 0, update_author = 0;
    std::string comment;
    millis created = 0, updated = 0, started = 0;
    std::int64_t time_spent_seconds = 0;
};

struct comment {
    std::int64_t id = 0, issue_id = 0;
    std::int32_t author = 0, update_author = 0;
    std::string body;
    millis created = 0, updated = 0;
};

struct change_item {
    std::string field, field_id, from, from_string, to, to_string;  // empty: null
};

struct history {
    std::int64_t id = 0, issue_id = 0;
    std::int32_t author = 0;
    millis created = 0;
    std::vector<change_item> items;
};

struct issue_link {
    std::int64_t id = 0, type_id = 0;
    // "source <outward> destination", e.g. "A blocks B": A's issuelinks show outwardIssue B,
    // B's show inwardIssue A (README.md spells it out).
    std::int64_t source_issue_id = 0, destination_issue_id = 0;
};

struct dataset_meta {
    std::int64_t issues = 0;
    std::uint64_t seed = 0;
    std::string generator = "jira-sample 1";
};

/// The whole dataset. Children are sorted by issue then id; each issue's slices are
/// found through the *_by_issue indexes built by index().
struct dataset {
    dataset_meta meta;
    std::vector<user> users;
    std::vector<project> projects;
    std::vector<issue_type> issue_types;
    std::vector<status_category> status_categories;
    std::vector<status> statuses;
    std::vector<priority> priorities;
    std::vector<resolution> resolutions;
    std::vector<version> versions;
    std::vector<component> components;
    std::vector<link_type> link_types;
    std::vector<field_option> impact_options;
    std::vector<board> boards;
    std::vector<sprint> sprints;
    std::vector<issue> issues;           // sorted by id
    std::vector<worklog> worklogs;       // sorted by (issue_id, id)
    std::vector<comment> comments;       // sorted by (issue_id, id)
    std::vector<history> histories;      // sorted by (issue_id, id)
    std::vector<issue_link> links;       // sorted by id

    // Indexes (derived, not stored): half-open [first, last) ranges per issue index.
    struct range { std::uint32_t first = 0, last = 0; };
    std::vector<range> worklogs_of, comments_of, histories_of;
    std::vector<std::vector<std::uint32_t>> links_of;     // link indexes touching an issue
    std::vector<std::vector<std::uint32_t>> subtasks_of;  // child issue indexes (sub-tasks)
    std::unordered_map<std::int64_t, std::uint32_t> issue_by_id, worklog_by_id, sprint_by_id,
        board_by_id, version_by_id, component_by_id;
    std::unordered_map<std::string, std::uint32_t> issue_by_key, project_by_key;
    std::unordered_map<std::int64_t, std::uint32_t> project_by_id, status_by_id, type_by_id,
        option_by_id;

    /// Builds the derived indexes; call once after loading or generating.
    /// Throws std::runtime_error if a reference points nowhere (a corrupt dataset).
    void index();

    std::string key_of(const issue& i) const { return projects[i.project].key + "-" + std::to_string(i.number); }
};

}  // namespace jtgw::jira_sample
