#include "samples/jira-sample/catalog.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "samples/jira-sample/time_format.hpp"

namespace jtgw::jira_sample {
namespace {

constexpr millis day_ms = 86'400'000;

struct user_seed { std::string_view display_name, username; std::vector<std::string> projects; };

// The three kinds of user the tests rely on come first: everything, exactly one, none.
std::vector<user_seed> user_seeds() {
    return {
        {"Alice Admin", "alice", {"DATA", "ENG", "MOB", "OPS", "SEC", "WEB"}},
        {"Bob Single", "bob", {"ENG"}},
        {"Nora None", "nora", {}},
        {"Carol Chen", "carol", {"ENG", "OPS"}},
        {"Dave Diaz", "dave", {"DATA", "MOB", "WEB"}},
        {"Erin Evans", "erin", {"OPS", "SEC"}},
        {"Frank Fischer", "frank", {"DATA", "ENG", "MOB", "OPS", "WEB"}},
        {"Grace Gomez", "grace", {"DATA"}},
        {"Heidi Hall", "heidi", {"MOB", "WEB"}},
        {"Ivan Ito", "ivan", {"DATA", "ENG", "SEC"}},
    };
}

struct project_seed { std::string_view key, name, description; std::array<std::string_view, 4> components; };

const std::array<project_seed, 6> project_seeds{{
    {"DATA", "Data Platform", "Pipelines, warehouse and reporting.", {"Ingestion", "Warehouse", "Reporting", "Quality"}},
    {"ENG", "Engineering", "Core product engineering.", {"Backend", "Frontend", "API", "Infrastructure"}},
    {"MOB", "Mobile", "iOS and Android apps.", {"iOS", "Android", "Push", "Offline"}},
    {"OPS", "Operations", "Run books, on-call and incidents.", {"Monitoring", "Deploy", "Network", "Storage"}},
    {"SEC", "Security", "Security reviews and findings.", {"AppSec", "Compliance", "IAM", "Secrets"}},
    {"WEB", "Website", "Marketing site and docs.", {"CMS", "Docs", "SEO", "Design"}},
}};

}  // namespace

millis dataset_start() { return millis{days_from_civil(2022, 1, 3)} * day_ms; }
millis dataset_now() { return millis{days_from_civil(2025, 1, 17)} * day_ms + 12 * 3'600'000; }

void fill_catalog(dataset& out, prng& rng, std::int64_t issue_count) {
    static constexpr std::string_view token_alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (auto& seed : user_seeds()) {
        user u;
        u.display_name = seed.display_name;
        u.username = seed.username;
        u.email = std::string(seed.username) + "@example.com";
        u.account_id = "5f" + rng.hex(22);
        u.api_token = "ATATT3xFfGF0" + rng.from_alphabet(40, token_alphabet);
        u.pat = rng.from_alphabet(44, token_alphabet);
        u.password = std::string(seed.username) + "-" + rng.from_alphabet(12, token_alphabet);
        u.projects = seed.projects;
        out.users.push_back(std::move(u));
    }

    std::int64_t next_version = 10000, next_component = 10000;
    for (std::size_t p = 0; p < project_seeds.size(); ++p) {
        const auto& s = project_seeds[p];
        project pr;
        pr.id = 10000 + std::int64_t(p);
        pr.key = s.key;
        pr.name = s.name;
        pr.description = s.description;
        pr.lead = 0;
        out.projects.push_back(pr);
        for (int v = 0; v < 6; ++v) {
            version ver;
            ver.id = next_version++;
            ver.project_id = pr.id;
            ver.name = std::string(s.key) + " " + std::to_string(v / 2 + 1) + "." + std::to_string(v % 2 * 5);
            ver.description = "Release " + ver.name;
            // Releases every six months from late 2022; the last one is still to come.
            ver.release_date = days_from_civil(2022 + (v + 1) / 2, (v + 1) % 2 == 0 ? 6u : 12u, 15);
            ver.released = millis{ver.release_date} * day_ms < dataset_now();
            ver.archived = v == 0;
            out.versions.push_back(ver);
        }
        for (int c = 0; c < 4; ++c) {
            component comp;
            comp.id = next_component++;
            comp.project_id = pr.id;
            comp.name = s.components[std::size_t(c)];
            comp.description = comp.name + " work in " + std::string(s.name);
            comp.lead = c == 0 ? 0 : none;
            out.components.push_back(comp);
        }
    }

    out.issue_types = {
        {10000, "Epic", "A big user story that needs to be broken down.", false, 1},
        {10001, "Story", "Functionality or a feature expressed as a user goal.", false, 0},
        {10002, "Task", "A small, distinct piece of work.", false, 0},
        {10003, "Bug", "A problem or error.", false, 0},
        {10004, "Sub-task", "A small piece of work that's part of a larger task.", true, -1},
    };
    out.status_categories = {
        {1, "undefined", "No Category", "medium-gray"},
        {2, "new", "To Do", "blue-gray"},
        {4, "indeterminate", "In Progress", "yellow"},
        {3, "done", "Done", "green"},
    };
    // Workflow order: each issue walks this list from the first entry to its final status.
    out.statuses = {
        {10000, "Backlog", "Not yet planned.", 2},
        {10001, "To Do", "Planned, not started.", 2},
        {3, "In Progress", "This issue is being actively worked on at the moment by the assignee.", 4},
        {10002, "In Review", "Waiting for review.", 4},
        {10003, "Done", "Work is finished.", 3},
    };
    out.priorities = {
        {1, "Highest", "This problem will block progress.", "#d04437"},
        {2, "High", "Serious problem that could block progress.", "#f15C75"},
        {3, "Medium", "Has the potential to affect progress.", "#f79232"},
        {4, "Low", "Minor problem or easily worked around.", "#707070"},
        {5, "Lowest", "Trivial problem with little or no impact on progress.", "#999999"},
    };
    out.resolutions = {
        {10000, "Done", "Work has been completed on this issue."},
        {10001, "Won't Do", "This issue won't be actioned."},
        {10002, "Duplicate", "The problem is a duplicate of an existing issue."},
        {10003, "Cannot Reproduce", "All attempts at reproducing this issue failed."},
    };
    out.link_types = {
        {10000, "Blocks", "is blocked by", "blocks"},
        {10001, "Cloners", "is cloned by", "clones"},
        {10002, "Duplicate", "is duplicated by", "duplicates"},
        {10003, "Relates", "relates to", "relates to"},
    };
    out.impact_options = {{10100, "Critical"}, {10101, "High"}, {10102, "Medium"}, {10103, "Low"}};

    // One scrum board per project, plus kanban boards (no sprints) for two of them.
    const std::int64_t sprints_per_board = std::clamp<std::int64_t>(issue_count / 600, 4, 300);
    std::int64_t next_sprint = 1;
    const millis span = dataset_now() + 28 * day_ms - dataset_start();
    for (std::size_t p = 0; p < out.projects.size(); ++p) {
        const auto& pr = out.projects[p];
        board b{std::int64_t(p) + 1, pr.id, pr.key + " board", "scrum"};
        out.boards.push_back(b);
        for (std::int64_t k = 0; k < sprints_per_board; ++k) {
            sprint s;
            s.id = next_sprint++;
            s.board_id = b.id;
            s.name = pr.key + " Sprint " + std::to_string(k + 1);
            s.start = dataset_start() + span * k / sprints_per_board + 9 * 3'600'000;
            s.end = dataset_start() + span * (k + 1) / sprints_per_board + 9 * 3'600'000 - 60'000;
            s.created = s.start - 2 * day_ms;
            s.goal = k % 3 == 0 ? "" : "Ship " + pr.name + " increment " + std::to_string(k + 1);
            if (s.end <= dataset_now()) {
                s.state = "closed";
                s.complete = s.end + 3'600'000;
            } else if (s.start <= dataset_now()) {
                s.state = "active";
            } else {
                s.state = "future";
            }
            out.sprints.push_back(s);
        }
    }
    out.boards.push_back({std::int64_t(out.projects.size()) + 1, out.projects[3].id, "OPS kanban", "kanban"});
    out.boards.push_back({std::int64_t(out.projects.size()) + 2, out.projects[5].id, "WEB kanban", "kanban"});
}

}  // namespace jtgw::jira_sample
