#include "samples/jira-sample/generator.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <stdexcept>
#include <string_view>

#include "samples/jira-sample/catalog.hpp"
#include "samples/jira-sample/prng.hpp"

namespace jtgw::jira_sample {
namespace {

constexpr millis minute_ms = 60'000, hour_ms = 3'600'000, day_ms = 86'400'000;

constexpr std::array<std::string_view, 12> verbs{"Fix", "Add", "Improve", "Remove", "Refactor", "Document",
                                                 "Investigate", "Migrate", "Speed up", "Test", "Review", "Clean up"};
constexpr std::array<std::string_view, 12> adjectives{"slow", "flaky", "missing", "legacy", "broken", "new",
                                                      "nightly", "shared", "public", "cached", "encrypted", "mobile"};
constexpr std::array<std::string_view, 16> nouns{"login page", "export job", "search index", "billing report",
                                                 "API client", "settings screen", "audit log", "build pipeline",
                                                 "release notes", "error banner", "sync worker", "dashboard",
                                                 "upload form", "rate limiter", "backup script", "onboarding flow"};
constexpr std::array<std::string_view, 10> conditions{
    "the cache is cold", "a user signs in twice", "the network drops", "the report spans a year",
    "the queue is full", "two admins edit at once", "the locale is not English", "the token expires",
    "the file is larger than 2 GB", "the job restarts"};
constexpr std::array<std::string_view, 12> labels{"backend", "customer", "frontend", "needs-triage",
                                                  "performance", "regression", "security", "tech-debt",
                                                  "ux", "quick-win", "docs", "infra"};
constexpr std::array<std::string_view, 8> remarks{
    "Looked into this today.", "Pairing on it tomorrow.", "Waiting for the logs.", "Reproduced locally.",
    "Deployed to staging, please verify.", "Needs a second opinion.", "Blocked on the vendor.", "Done on my side."};

template <class Array>
std::string_view pick(prng& rng, const Array& a) { return a[rng.below(a.size())]; }

std::string sentence(prng& rng) {
    std::string s = "The ";
    s += pick(rng, adjectives);
    s += ' ';
    s += pick(rng, nouns);
    s += " fails when ";
    s += pick(rng, conditions);
    s += '.';
    return s;
}

// Paragraphs separated by '\n' (README.md: one ADF paragraph per line).
std::string paragraphs(prng& rng, int count) {
    std::string text;
    for (int p = 0; p < count; ++p) {
        if (p) text += '\n';
        const int sentences = int(rng.between(1, 3));
        for (int s = 0; s < sentences; ++s) {
            if (s) text += ' ';
            text += sentence(rng);
        }
    }
    return text;
}

// Mostly small lists, a few over Jira's embedded limit of 20 so clients must page.
int child_count(prng& rng, std::uint64_t none_pct, std::uint64_t big_per_mille) {
    const auto roll = rng.below(1000);
    if (roll < big_per_mille) return int(rng.between(21, 45));
    if (roll < none_pct * 10) return 0;
    return rng.chance(4, 5) ? int(rng.between(1, 4)) : int(rng.between(5, 20));
}

struct generator {
    dataset& d;
    prng rng;
    std::vector<std::vector<std::int32_t>> browsers;         // per project: users who may browse it
    std::vector<std::vector<std::uint32_t>> recent_standard;  // per project: story/task/bug issue indexes
    std::vector<std::vector<std::uint32_t>> recent_epics;
    std::vector<std::int32_t> next_number;
    std::int64_t next_worklog = 10000, next_comment = 10000, next_history = 10000, next_link = 10000;

    std::int32_t browser(std::int32_t project) { return browsers[std::size_t(project)][rng.below(browsers[std::size_t(project)].size())]; }

    std::int32_t pick_project() {
        static constexpr std::array<std::uint64_t, 6> weights{12, 30, 15, 15, 8, 20};  // DATA ENG MOB OPS SEC WEB
        auto roll = rng.below(100);
        for (std::size_t p = 0; p < weights.size(); ++p) {
            if (roll < weights[p]) return std::int32_t(p);
            roll -= weights[p];
        }
        return 0;
    }

    void add_history(issue& is, millis& clock, std::int32_t author, std::vector<change_item> items) {
        clock = std::min(clock + rng.between(10 * minute_ms, 3 * day_ms), dataset_now() - minute_ms);
        d.histories.push_back({next_history++, is.id, author, clock, std::move(items)});
    }

    void make_issue(std::int64_t index, std::int64_t total) {
        issue is;
        is.id = 10000 + index;
        is.project = pick_project();
        is.number = ++next_number[std::size_t(is.project)];
        const millis span = dataset_now() - 30 * day_ms - dataset_start();
        is.created = dataset_start() + span * index / std::max<std::int64_t>(total, 1) + rng.between(0, 6 * hour_ms);
        is.created -= is.created % 1000 - millis(rng.below(1000));

        auto& standard = recent_standard[std::size_t(is.project)];
        auto& epics = recent_epics[std::size_t(is.project)];
        const auto type_roll = rng.below(100);
        if (type_roll < 4) {
            is.issue_type = 0;
        } else if (type_roll < 12 && !standard.empty()) {
            is.issue_type = 4;
            is.parent_id = d.issues[standard[std::size_t(rng.below(std::min<std::size_t>(standard.size(), 50)))]].id;
        } else {
            is.issue_type = rng.chance(2, 5) ? 1 : (rng.chance(1, 2) ? 2 : 3);
            if (!epics.empty() && rng.chance(1, 2))
                is.parent_id = d.issues[epics[std::size_t(rng.below(std::min<std::size_t>(epics.size(), 10)))]].id;
        }

        is.summary = std::string(pick(rng, verbs)) + " " + std::string(pick(rng, adjectives)) + " " +
                     std::string(pick(rng, nouns));
        if (rng.chance(4, 5)) is.description = paragraphs(rng, int(rng.between(1, 3)));
        is.priority = std::int32_t(rng.below(5));
        is.reporter = is.creator = browser(is.project);
        if (rng.chance(17, 20)) is.assignee = browser(is.project);
        if (rng.chance(3, 10)) is.due = std::int32_t(is.created / day_ms + rng.between(7, 60));
        for (auto label : labels)
            if (rng.chance(1, 8)) is.labels.emplace_back(label);  // already alphabetical, as Jira keeps them
        std::sort(is.labels.begin(), is.labels.end());
        const auto first_component = std::size_t(is.project) * 4;
        for (std::size_t c = 0; c < 4; ++c)
            if (rng.chance(1, 5)) is.components.push_back(d.components[first_component + c].id);
        if (is.issue_type == 1 && rng.chance(4, 5)) {
            static constexpr std::array<double, 6> points{1, 2, 3, 5, 8, 13};
            is.story_points = points[rng.below(points.size())];
        }
        if (rng.chance(2, 5)) is.impact_option = d.impact_options[rng.below(d.impact_options.size())].id;
        if (rng.chance(3, 10)) {
            is.reviewers.push_back(browser(is.project));
            const auto second = browser(is.project);
            if (second != is.reviewers[0] && rng.chance(1, 2)) is.reviewers.push_back(second);
        }

        // Sprints: the scrum board's sprint covering the creation time, sometimes carried over.
        if (is.issue_type >= 1 && is.issue_type <= 3 && rng.chance(7, 10)) {
            const auto board_id = d.boards[std::size_t(is.project)].id;
            const auto per_board = d.sprints.size() / d.projects.size();  // scrum boards come first
            const auto first = d.sprints.begin() + std::ptrdiff_t(per_board * std::size_t(is.project));
            for (auto it = first; it != first + std::ptrdiff_t(per_board); ++it) {
                const auto& s = *it;
                if (s.end < is.created) continue;
                is.sprints.push_back(s.id);
                if (rng.chance(1, 5)) {
                    const auto next = &s + 1;
                    if (next != d.sprints.data() + d.sprints.size() && next->board_id == board_id)
                        is.sprints.push_back(next->id);
                }
                break;
            }
        }

        // Status history: walk the workflow; older issues are more often done.
        const double age = 1.0 - double(index) / double(std::max<std::int64_t>(total, 1));
        const bool done = rng.below(1000) < std::uint64_t(150 + 700 * age);
        const std::int32_t final_status = done ? 4 : std::int32_t(rng.below(4));
        millis clock = is.created;
        const std::int32_t actor = is.assignee == none ? is.reporter : is.assignee;
        // A few issues get a long run of Rank changes, so changelogs exceed one page of 100.
        const int ranks = rng.below(1000) < 3 ? int(rng.between(101, 130)) : (rng.chance(1, 10) ? int(rng.between(1, 3)) : 0);
        for (int r = 0; r < ranks; ++r)
            add_history(is, clock, actor, {{"Rank", "customfield_10019", "", "", "", r % 2 ? "Ranked lower" : "Ranked higher"}});
        if (is.assignee != none && rng.chance(1, 5)) {
            const auto previous = browser(is.project);
            const auto& from = d.users[std::size_t(previous)];
            const auto& to = d.users[std::size_t(is.assignee)];
            add_history(is, clock, is.reporter,
                        {{"assignee", "assignee", from.account_id, from.display_name, to.account_id, to.display_name}});
        }
        for (std::int32_t s = 1; s <= final_status; ++s) {
            const auto& from = d.statuses[std::size_t(s - 1)];
            const auto& to = d.statuses[std::size_t(s)];
            std::vector<change_item> items{{"status", "status", std::to_string(from.id), from.name,
                                            std::to_string(to.id), to.name}};
            if (s == 4) {
                is.resolution = rng.chance(4, 5) ? 0 : std::int32_t(rng.between(1, 3));
                const auto& res = d.resolutions[std::size_t(is.resolution)];
                items.push_back({"resolution", "resolution", "", "", std::to_string(res.id), res.name});
            }
            add_history(is, clock, actor, std::move(items));
            if (s == 4) is.resolved = clock;
        }
        is.status = final_status;
        if (done && rng.chance(3, 5)) {
            const auto first_version = std::size_t(is.project) * 6;
            is.fix_versions.push_back(d.versions[first_version + std::size_t(rng.below(6))].id);
        }

        const int worklogs = child_count(rng, 55, 20);
        millis work_clock = is.created;
        for (int w = 0; w < worklogs; ++w) {
            worklog wl;
            wl.id = next_worklog++;
            wl.issue_id = is.id;
            wl.author = wl.update_author = rng.chance(3, 4) ? actor : browser(is.project);
            work_clock = std::min(work_clock + rng.between(hour_ms, 2 * day_ms), dataset_now() - 2 * hour_ms);
            wl.started = work_clock - work_clock % minute_ms;
            wl.time_spent_seconds = rng.between(1, 32) * 15 * 60;
            wl.created = std::min(wl.started + rng.between(minute_ms, 2 * hour_ms), dataset_now() - hour_ms);
            wl.updated = wl.created;
            if (rng.chance(1, 10)) {
                wl.updated = std::min(wl.created + rng.between(minute_ms, 3 * day_ms), dataset_now() - minute_ms);
                wl.update_author = browser(is.project);
            }
            if (rng.chance(3, 5)) wl.comment = std::string(pick(rng, remarks));
            d.worklogs.push_back(std::move(wl));
        }

        const int comments = child_count(rng, 40, 20);
        millis comment_clock = is.created;
        for (int c = 0; c < comments; ++c) {
            comment cm;
            cm.id = next_comment++;
            cm.issue_id = is.id;
            cm.author = cm.update_author = browser(is.project);
            comment_clock = std::min(comment_clock + rng.between(5 * minute_ms, 2 * day_ms), dataset_now() - minute_ms);
            cm.created = cm.updated = comment_clock;
            if (rng.chance(1, 10)) cm.updated = std::min(cm.created + rng.between(minute_ms, day_ms), dataset_now());
            cm.body = std::string(pick(rng, remarks));
            if (rng.chance(1, 3)) cm.body += "\n" + sentence(rng);
            d.comments.push_back(std::move(cm));
        }

        // Links stay inside one project, so an issue's JSON never depends on who reads it.
        if (is.issue_type != 4 && !standard.empty() && rng.chance(3, 20)) {
            const auto target = standard[std::size_t(rng.below(std::min<std::size_t>(standard.size(), 200)))];
            d.links.push_back({next_link++, d.link_types[rng.below(d.link_types.size())].id, is.id, d.issues[target].id});
        }

        const auto position = std::uint32_t(d.issues.size());
        if (is.issue_type == 0) epics.insert(epics.begin(), position);
        if (is.issue_type >= 1 && is.issue_type <= 3) standard.insert(standard.begin(), position);
        if (epics.size() > 10) epics.pop_back();
        if (standard.size() > 200) standard.pop_back();
        d.issues.push_back(std::move(is));
    }

    // /worklog/updated pages by timestamp alone, so every worklog gets a distinct `updated`.
    void make_worklog_updates_unique() {
        std::vector<std::uint32_t> order(d.worklogs.size());
        std::iota(order.begin(), order.end(), 0u);
        std::sort(order.begin(), order.end(), [&](auto a, auto b) {
            return std::pair(d.worklogs[a].updated, d.worklogs[a].id) < std::pair(d.worklogs[b].updated, d.worklogs[b].id);
        });
        for (std::size_t k = 1; k < order.size(); ++k) {
            auto& previous = d.worklogs[order[k - 1]];
            auto& current = d.worklogs[order[k]];
            if (current.updated <= previous.updated) current.updated = previous.updated + 1;
        }
    }

    void compute_updated() {
        for (auto& is : d.issues) is.updated = is.created;
        auto bump = [&](std::int64_t issue_id, millis t) {
            auto& is = d.issues[std::size_t(issue_id - 10000)];
            is.updated = std::max(is.updated, t);
        };
        for (const auto& h : d.histories) bump(h.issue_id, h.created);
        for (const auto& w : d.worklogs) bump(w.issue_id, w.updated);
        for (const auto& c : d.comments) bump(c.issue_id, c.updated);
    }
};

}  // namespace

dataset generate(std::int64_t issue_count, std::uint64_t seed) {
    if (issue_count < 0 || issue_count > 10'000'000) throw std::invalid_argument("issue count must be in [0, 10000000]");
    dataset d;
    d.meta.issues = issue_count;
    d.meta.seed = seed;
    generator g{d, prng(seed), {}, {}, {}, {}};
    fill_catalog(d, g.rng, issue_count);
    g.browsers.resize(d.projects.size());
    for (std::size_t p = 0; p < d.projects.size(); ++p)
        for (std::size_t u = 0; u < d.users.size(); ++u)
            if (std::find(d.users[u].projects.begin(), d.users[u].projects.end(), d.projects[p].key) != d.users[u].projects.end())
                g.browsers[p].push_back(std::int32_t(u));
    g.recent_standard.resize(d.projects.size());
    g.recent_epics.resize(d.projects.size());
    g.next_number.assign(d.projects.size(), 0);
    d.issues.reserve(std::size_t(issue_count));
    for (std::int64_t i = 0; i < issue_count; ++i) g.make_issue(i, issue_count);
    g.make_worklog_updates_unique();
    g.compute_updated();
    d.index();
    return d;
}

}  // namespace jtgw::jira_sample
