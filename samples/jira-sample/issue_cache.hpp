#pragma once
// Every issue's fields pre-rendered once per API flavor, so a page of 100 issues with
// fields=*all is a few memcpys: each issue keeps one string of `"name":value` pieces and
// the offsets of each field's piece.
#include <array>
#include <bitset>
#include <string>
#include <string_view>
#include <vector>

#include "samples/jira-sample/fields.hpp"
#include "samples/jira-sample/render.hpp"

namespace jtgw::jira_sample {

using field_set = std::bitset<field_count>;

/// What to put in each issue object.
struct issue_selection {
    field_set fields;
    bool header = true;  // false: {"id": "..."} only (search/jql's default)
};

/// Parses `fields` parameter tokens (already split at commas): "*all", "*navigable",
/// field ids, "-id" exclusions; "id"/"key" alone select the header only. Unknown field
/// ids are ignored, as Jira does. An empty token list yields `fallback`.
issue_selection parse_fields(const std::vector<std::string>& tokens, issue_selection fallback);
field_set all_field_set();
field_set navigable_field_set();

enum class expansion : unsigned { none = 0, changelog = 1, names = 2, schema = 4 };
/// Parses expand tokens; unknown ones are ignored (Jira ignores them too).
unsigned parse_expand(const std::vector<std::string>& tokens);

class issue_cache {
public:
    /// Renders every issue of r.data() (using up to `threads` threads).
    issue_cache(const renderer& r, unsigned threads);

    /// `"name":value` for one field, or empty when Jira omits the key.
    std::string_view piece(std::uint32_t issue, field_id f) const {
        const auto& off = offsets_[issue];
        return std::string_view(text_[issue]).substr(off[std::size_t(f)], off[std::size_t(f) + 1] - off[std::size_t(f)]);
    }
    std::size_t bytes() const noexcept;

private:
    std::vector<std::string> text_;
    std::vector<std::array<std::uint32_t, field_count + 1>> offsets_;
};

/// Where the issue's own `self` link points.
enum class issue_home { platform, agile };

/// Appends one issue object to `out`. With `changelog_cap` > 0 and the changelog
/// expansion, at most that many histories are embedded (with the true total).
/// `inline_meta`: names/schema go inside the issue (GET issue) rather than the envelope.
void append_issue(std::string& out, const renderer& r, const issue_cache& cache, std::uint32_t issue,
                  const issue_selection& sel, unsigned expand, issue_home home, std::uint32_t changelog_cap,
                  bool inline_meta);

/// Appends `"names":{...}` or `"schema":{...}` for the selected fields.
void append_names(std::string& out, const field_set& fields);
void append_schemas(std::string& out, const renderer& r, const field_set& fields);

}  // namespace jtgw::jira_sample
