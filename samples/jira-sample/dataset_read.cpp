// read_dataset: the inverse of write_dataset, strict about every key it needs.
#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "samples/jira-sample/dataset_io.hpp"
#include "samples/jira-sample/time_format.hpp"

namespace jtgw::jira_sample {
namespace fs = std::filesystem;
namespace json = boost::json;
namespace {

struct bad_row : std::runtime_error { using std::runtime_error::runtime_error; };

const json::value& at(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end()) throw bad_row("missing key '" + std::string(key) + "'");
    return it->value();
}
std::string str(const json::object& o, std::string_view key) {
    const auto& v = at(o, key);
    if (!v.is_string()) throw bad_row("key '" + std::string(key) + "' is not a string");
    return std::string(v.get_string());
}
std::string str_or_empty(const json::object& o, std::string_view key) {
    return at(o, key).is_null() ? std::string() : str(o, key);
}
std::int64_t num(const json::object& o, std::string_view key) {
    const auto& v = at(o, key);
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return std::int64_t(v.get_uint64());
    throw bad_row("key '" + std::string(key) + "' is not an integer");
}
std::int64_t num_or_zero(const json::object& o, std::string_view key) { return at(o, key).is_null() ? 0 : num(o, key); }
bool boolean(const json::object& o, std::string_view key) {
    const auto& v = at(o, key);
    if (!v.is_bool()) throw bad_row("key '" + std::string(key) + "' is not a boolean");
    return v.get_bool();
}
millis time_of(const json::object& o, std::string_view key) {
    if (at(o, key).is_null()) return no_time;
    auto t = parse_jira_time(str(o, key));
    if (!t) throw bad_row("key '" + std::string(key) + "' is not a Jira timestamp");
    return *t;
}
std::int32_t date_of(const json::object& o, std::string_view key) {
    if (at(o, key).is_null()) return no_date;
    auto d = parse_jira_date(str(o, key));
    if (!d) throw bad_row("key '" + std::string(key) + "' is not a yyyy-MM-dd date");
    return *d;
}
const json::array& arr(const json::object& o, std::string_view key) {
    const auto& v = at(o, key);
    if (!v.is_array()) throw bad_row("key '" + std::string(key) + "' is not an array");
    return v.get_array();
}
std::vector<std::int64_t> id_list(const json::object& o, std::string_view key) {
    std::vector<std::int64_t> out;
    for (const auto& v : arr(o, key)) {
        if (!v.is_int64()) throw bad_row("key '" + std::string(key) + "' holds a non-integer");
        out.push_back(v.get_int64());
    }
    return out;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

template <class Fn>
void each_array_row(const fs::path& path, Fn fn) {
    json::value doc;
    try {
        doc = json::parse(slurp(path));
    } catch (const std::exception& e) {
        throw std::runtime_error(path.string() + ": " + e.what());
    }
    if (!doc.is_array()) throw std::runtime_error(path.string() + ": not a JSON array");
    std::size_t row = 0;
    for (const auto& v : doc.get_array()) {
        ++row;
        try {
            if (!v.is_object()) throw bad_row("not an object");
            fn(v.get_object());
        } catch (const std::exception& e) {
            throw std::runtime_error(path.string() + " element " + std::to_string(row) + ": " + e.what());
        }
    }
}

template <class Fn>
void each_line(const fs::path& path, Fn fn) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path.string());
    std::string line;
    std::size_t number = 0;
    json::parser parser;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        try {
            parser.reset();
            parser.write(line);
            const json::value v = parser.release();
            if (!v.is_object()) throw bad_row("not an object");
            fn(v.get_object());
        } catch (const std::exception& e) {
            throw std::runtime_error(path.string() + " line " + std::to_string(number) + ": " + e.what());
        }
    }
}

}  // namespace

dataset read_dataset(const fs::path& dir) {
    dataset d;
    {
        const auto meta = json::parse(slurp(dir / "meta.json"));
        d.meta.issues = meta.at("issues").to_number<std::int64_t>();
        d.meta.seed = meta.at("seed").to_number<std::uint64_t>();
        d.meta.generator = json::value_to<std::string>(meta.at("generator"));
    }
    std::unordered_map<std::string, std::int32_t> user_by_account;
    auto user_ref = [&](const json::object& o, std::string_view key) -> std::int32_t {
        if (at(o, key).is_null()) return none;
        auto it = user_by_account.find(str(o, key));
        if (it == user_by_account.end()) throw bad_row("key '" + std::string(key) + "' names an unknown account");
        return it->second;
    };
    each_array_row(dir / "users.json", [&](const json::object& o) {
        user u{str(o, "display_name"), str(o, "email"), str(o, "account_id"), str(o, "username"),
               str(o, "api_token"), str(o, "pat"), str(o, "password"), {}};
        for (const auto& p : arr(o, "projects")) u.projects.emplace_back(p.as_string());
        user_by_account[u.account_id] = std::int32_t(d.users.size());
        d.users.push_back(std::move(u));
    });
    each_array_row(dir / "projects.json", [&](const json::object& o) {
        d.projects.push_back({num(o, "id"), str(o, "key"), str(o, "name"), str(o, "description"), user_ref(o, "lead_account_id")});
    });
    each_array_row(dir / "issue_types.json", [&](const json::object& o) {
        d.issue_types.push_back({num(o, "id"), str(o, "name"), str(o, "description"), boolean(o, "subtask"),
                                 std::int32_t(num(o, "hierarchy_level"))});
    });
    each_array_row(dir / "status_categories.json", [&](const json::object& o) {
        d.status_categories.push_back({num(o, "id"), str(o, "key"), str(o, "name"), str(o, "color_name")});
    });
    each_array_row(dir / "statuses.json", [&](const json::object& o) {
        d.statuses.push_back({num(o, "id"), str(o, "name"), str(o, "description"), num(o, "status_category_id")});
    });
    each_array_row(dir / "priorities.json", [&](const json::object& o) {
        d.priorities.push_back({num(o, "id"), str(o, "name"), str(o, "description"), str(o, "status_color")});
    });
    each_array_row(dir / "resolutions.json", [&](const json::object& o) {
        d.resolutions.push_back({num(o, "id"), str(o, "name"), str(o, "description")});
    });
    each_array_row(dir / "versions.json", [&](const json::object& o) {
        d.versions.push_back({num(o, "id"), num(o, "project_id"), str(o, "name"), str(o, "description"),
                              boolean(o, "archived"), boolean(o, "released"), date_of(o, "release_date")});
    });
    each_array_row(dir / "components.json", [&](const json::object& o) {
        d.components.push_back({num(o, "id"), num(o, "project_id"), str(o, "name"), str(o, "description"),
                                user_ref(o, "lead_account_id")});
    });
    each_array_row(dir / "issue_link_types.json", [&](const json::object& o) {
        d.link_types.push_back({num(o, "id"), str(o, "name"), str(o, "inward"), str(o, "outward")});
    });
    each_array_row(dir / "select_options.json", [&](const json::object& o) {
        d.impact_options.push_back({num(o, "id"), str(o, "value")});
    });
    each_array_row(dir / "boards.json", [&](const json::object& o) {
        d.boards.push_back({num(o, "id"), num(o, "project_id"), str(o, "name"), str(o, "type")});
    });
    each_array_row(dir / "sprints.json", [&](const json::object& o) {
        d.sprints.push_back({num(o, "id"), num(o, "board_id"), str(o, "name"), str(o, "state"), str(o, "goal"),
                             time_of(o, "start_date"), time_of(o, "end_date"), time_of(o, "complete_date"),
                             time_of(o, "created_date")});
    });
    d.index();  // catalog lookups for the issue rows below

    auto index_of = [](const auto& map, std::int64_t id, const char* what) {
        auto it = map.find(id);
        if (it == map.end()) throw bad_row(std::string("unknown ") + what + " id " + std::to_string(id));
        return std::int32_t(it->second);
    };
    auto position_of = [](const auto& rows, std::int64_t id, const char* what) {
        for (std::size_t k = 0; k < rows.size(); ++k)
            if (rows[k].id == id) return std::int32_t(k);
        throw bad_row(std::string("unknown ") + what + " id " + std::to_string(id));
    };
    each_line(dir / "issues.jsonl", [&](const json::object& o) {
        issue i;
        i.id = num(o, "id");
        i.project = index_of(d.project_by_id, num(o, "project_id"), "project");
        const std::string key = str(o, "key");
        const auto& prefix = d.projects[std::size_t(i.project)].key;
        if (key.size() <= prefix.size() + 1 || key.compare(0, prefix.size(), prefix) != 0 || key[prefix.size()] != '-')
            throw bad_row("key '" + key + "' does not belong to project " + prefix);
        i.number = std::stoi(key.substr(prefix.size() + 1));
        i.issue_type = index_of(d.type_by_id, num(o, "issue_type_id"), "issue type");
        i.status = index_of(d.status_by_id, num(o, "status_id"), "status");
        i.priority = position_of(d.priorities, num(o, "priority_id"), "priority");
        i.resolution = at(o, "resolution_id").is_null() ? none : position_of(d.resolutions, num(o, "resolution_id"), "resolution");
        i.summary = str(o, "summary");
        i.description = str_or_empty(o, "description");
        i.assignee = user_ref(o, "assignee");
        i.reporter = user_ref(o, "reporter");
        i.creator = user_ref(o, "creator");
        i.created = time_of(o, "created");
        i.updated = time_of(o, "updated");
        i.resolved = time_of(o, "resolutiondate");
        i.due = date_of(o, "duedate");
        for (const auto& l : arr(o, "labels")) i.labels.emplace_back(l.as_string());
        i.components = id_list(o, "component_ids");
        i.fix_versions = id_list(o, "fix_version_ids");
        i.sprints = id_list(o, "sprint_ids");
        i.parent_id = num_or_zero(o, "parent_id");
        i.story_points = at(o, "story_points").is_null() ? -1 : at(o, "story_points").to_number<double>();
        i.impact_option = num_or_zero(o, "impact_option_id");
        for (const auto& r : arr(o, "reviewers")) {
            const json::object one{{"r", r}};
            i.reviewers.push_back(user_ref(one, "r"));
        }
        d.issues.push_back(std::move(i));
    });
    each_line(dir / "worklogs.jsonl", [&](const json::object& o) {
        d.worklogs.push_back({num(o, "id"), num(o, "issue_id"), user_ref(o, "author"), user_ref(o, "update_author"),
                              str_or_empty(o, "comment"), time_of(o, "created"), time_of(o, "updated"),
                              time_of(o, "started"), num(o, "time_spent_seconds")});
    });
    each_line(dir / "comments.jsonl", [&](const json::object& o) {
        d.comments.push_back({num(o, "id"), num(o, "issue_id"), user_ref(o, "author"), user_ref(o, "update_author"),
                              str(o, "body"), time_of(o, "created"), time_of(o, "updated")});
    });
    each_line(dir / "changelog.jsonl", [&](const json::object& o) {
        history h{num(o, "id"), num(o, "issue_id"), user_ref(o, "author"), time_of(o, "created"), {}};
        for (const auto& v : arr(o, "items")) {
            const auto& it = v.as_object();
            h.items.push_back({str(it, "field"), str(it, "field_id"), str_or_empty(it, "from"),
                               str_or_empty(it, "from_string"), str_or_empty(it, "to"), str_or_empty(it, "to_string")});
        }
        d.histories.push_back(std::move(h));
    });
    each_line(dir / "issue_links.jsonl", [&](const json::object& o) {
        d.links.push_back({num(o, "id"), num(o, "type_id"), num(o, "source_issue_id"), num(o, "destination_issue_id")});
    });
    d.index();
    return d;
}

}  // namespace jtgw::jira_sample
