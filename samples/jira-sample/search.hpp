#pragma once
// Runs a compiled JQL filter over the dataset for one user: the matching issue indexes
// in the requested order (stable: ties broken by issue id, in the first sort key's direction).
#include <array>
#include <cstdint>
#include <vector>

#include "samples/jira-sample/jql.hpp"
#include "samples/jira-sample/model.hpp"

namespace jtgw::jira_sample {

/// Issue indexes pre-sorted ascending by each sort_field (ties by id), built once.
class issue_orders {
public:
    /// What filtering reads, packed (24 bytes per issue) so a scan stays in cache.
    struct issue_keys { millis created, updated; std::int32_t project; };

    explicit issue_orders(const dataset& d);
    const std::vector<std::uint32_t>& by(sort_field f) const { return orders_[std::size_t(f)]; }
    const issue_keys& keys(std::uint32_t issue) const { return keys_[issue]; }

private:
    std::array<std::vector<std::uint32_t>, 4> orders_;
    std::vector<issue_keys> keys_;
};

/// Bit p set: the user may browse project index p.
std::uint64_t visible_projects(const dataset& d, std::int32_t user);

/// Every issue the user may browse that matches `f`, ordered by f.order (id ascending
/// when empty). O(issues) per call; no allocation beyond the result.
std::vector<std::uint32_t> run_search(const dataset& d, const issue_orders& orders, const jql_filter& f,
                                      std::uint64_t visible);

struct search_page {
    std::size_t total = 0;             // every match
    std::vector<std::uint32_t> issues; // matches [offset, offset + limit) in order
};
/// run_search, but only the page is kept: one counting pass, no full result vector
/// (except for multi-key ORDER BY, which sorts every match).
search_page run_search_page(const dataset& d, const issue_orders& orders, const jql_filter& f, std::uint64_t visible,
                            std::size_t offset, std::size_t limit);

}  // namespace jtgw::jira_sample
