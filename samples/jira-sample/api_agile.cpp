// Agile REST (/rest/agile/1.0): boards, a board's sprints, one sprint.
#include <boost/json.hpp>
#include <charconv>

#include "samples/jira-sample/service_state.hpp"

namespace jtgw::jira_sample {
namespace json = boost::json;
namespace {

constexpr std::int64_t agile_max_results = 50;  // Jira Agile's page cap

// Agile PageBean: {maxResults, startAt, total, isLast, values} (no self / nextPage).
response agile_page(std::int64_t start, std::int64_t max, std::int64_t total, json::array values) {
    const bool last = start + std::int64_t(values.size()) >= total;
    return json_response(http::status::ok,
                         json::serialize(json::object{{"maxResults", max}, {"startAt", start}, {"total", total},
                                                      {"isLast", last}, {"values", std::move(values)}}));
}

std::optional<std::uint32_t> visible_board(const service_state& s, const call& c, std::string_view text) {
    std::int64_t id = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    const auto it = s.d.board_by_id.find(id);
    if (it == s.d.board_by_id.end() || !(c.visible >> s.d.project_by_id.at(s.d.boards[it->second].project_id) & 1))
        return std::nullopt;
    return it->second;
}

response board_not_found(std::string_view id) {
    return error_response(http::status::not_found,
                          "Board " + std::string(id.substr(0, 32)) + " does not exist or you do not have permission to see it.");
}

}  // namespace

response get_boards(service_state& s, const call& c) {
    const auto start = integer_param(c, "startAt", 0, 0, INT32_MAX);
    if (start.error) return *start.error;
    const auto max = integer_param(c, "maxResults", 50, 1, agile_max_results);
    if (max.error) return *max.error;
    const auto type = param(c, "type");
    const auto name = param(c, "name");
    const auto project = param(c, "projectKeyOrId");
    std::vector<std::uint32_t> matching;
    for (std::uint32_t b = 0; b < s.d.boards.size(); ++b) {
        const auto& board = s.d.boards[b];
        const auto p = s.d.project_by_id.at(board.project_id);
        if (!(c.visible >> p & 1)) continue;
        if (type && *type != board.type) continue;
        if (name && board.name.find(*name) == std::string::npos) continue;
        if (project && *project != s.d.projects[p].key && *project != std::to_string(board.project_id)) continue;
        matching.push_back(b);
    }
    json::array values;
    for (auto k = start.value; k < std::int64_t(matching.size()) && std::int64_t(values.size()) < max.value; ++k)
        values.push_back(c.r.agile_board(s.d.boards[matching[std::size_t(k)]]));
    return agile_page(start.value, max.value, std::int64_t(matching.size()), std::move(values));
}

response get_board(service_state& s, const call& c, std::string_view id, bool sprints) {
    const auto b = visible_board(s, c, id);
    if (!b) return board_not_found(id);
    const auto& board = s.d.boards[*b];
    if (!sprints) return json_response(http::status::ok, json::serialize(c.r.agile_board(board)));
    if (board.type != "scrum") return error_response(http::status::bad_request, "The board does not support sprints");
    const auto start = integer_param(c, "startAt", 0, 0, INT32_MAX);
    if (start.error) return *start.error;
    const auto max = integer_param(c, "maxResults", 50, 1, agile_max_results);
    if (max.error) return *max.error;
    const auto states = list_param(c, "state");
    for (const auto& st : states)
        if (st != "future" && st != "active" && st != "closed")
            return error_response(http::status::bad_request, "The sprint state '" + st.substr(0, 32) + "' is not valid.");
    std::vector<const sprint*> matching;
    for (const auto& sp : s.d.sprints)
        if (sp.board_id == board.id && (states.empty() || std::find(states.begin(), states.end(), sp.state) != states.end()))
            matching.push_back(&sp);
    json::array values;
    for (auto k = start.value; k < std::int64_t(matching.size()) && std::int64_t(values.size()) < max.value; ++k)
        values.push_back(c.r.agile_sprint(*matching[std::size_t(k)]));
    return agile_page(start.value, max.value, std::int64_t(matching.size()), std::move(values));
}

response get_sprint(service_state& s, const call& c, std::string_view id) {
    std::int64_t n = 0;
    const auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
    const auto it = ec == std::errc() && ptr == id.data() + id.size() ? s.d.sprint_by_id.find(n) : s.d.sprint_by_id.end();
    if (it != s.d.sprint_by_id.end()) {
        const auto& sp = s.d.sprints[it->second];
        if (visible_board(s, c, std::to_string(sp.board_id)))
            return json_response(http::status::ok, json::serialize(c.r.agile_sprint(sp)));
    }
    return error_response(http::status::not_found,
                          "Sprint with id " + std::string(id.substr(0, 32)) + " does not exist or you do not have permission to see it.");
}

}  // namespace jtgw::jira_sample
