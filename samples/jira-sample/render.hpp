#pragma once
// Jira's JSON shapes for one API flavor: v3 (Cloud: accountId users, ADF text) or v2
// (Data Center: username users, plain-string text). Pure functions of the dataset.
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "samples/jira-sample/fields.hpp"
#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {

enum class api { v2, v3 };

class renderer {
public:
    /// `base_url` is the site address used in every `self` link, e.g. "http://127.0.0.1:8080".
    renderer(const dataset& d, std::string base_url, api flavor);

    api flavor() const noexcept { return flavor_; }
    const dataset& data() const noexcept { return d_; }
    const std::string& base() const noexcept { return base_; }
    /// base + "/rest/api/3" (or /2).
    const std::string& rest() const noexcept { return rest_; }

    boost::json::value user(std::int32_t u) const;          // null for `none`
    boost::json::value text(const std::string& plain) const; // ADF doc (v3) or string (v2); null if empty
    boost::json::value project(std::int32_t p, bool full) const;  // full: /project list shape
    boost::json::value issue_type(std::int32_t t) const;
    boost::json::value status(std::int32_t s) const;
    boost::json::value status_category(std::int64_t id) const;
    boost::json::value priority(std::int32_t p) const;
    boost::json::value resolution(std::int32_t r) const;
    boost::json::value version(const version& v) const;
    boost::json::value component(const component& c, bool full) const;
    boost::json::value link_type(const link_type& t) const;
    boost::json::value comment(const comment& c) const;
    boost::json::value worklog(const worklog& w) const;
    boost::json::value history(const history& h) const;
    boost::json::value field(const field_def& f) const;       // one GET /field entry
    boost::json::value schema(const field_def& f) const;
    /// Agile sprint (board/{id}/sprint shape, Agile dates with a colon offset).
    boost::json::value agile_sprint(const sprint& s) const;
    /// Agile board (board list shape).
    boost::json::value agile_board(const board& b) const;
    /// {id, key, self, fields{summary,status,priority,issuetype}}: parent, sub-tasks, links.
    boost::json::value issue_ref(std::uint32_t issue_index) const;
    /// The value of one field of one issue; `present` is false when Jira omits the key
    /// (parent of a top-level issue).
    boost::json::value field_value(std::uint32_t issue_index, field_id f, bool& present) const;

private:
    boost::json::value avatar_urls(std::string_view kind, std::int64_t id) const;
    boost::json::value sprint_value(const sprint& s) const;  // the customfield_10020 element

    const dataset& d_;
    std::string base_, rest_;
    api flavor_;
};

/// Jira's duration spelling with 8-hour days and 5-day weeks: "1w 2d 3h 20m".
std::string jira_duration(std::int64_t seconds);

}  // namespace jtgw::jira_sample
