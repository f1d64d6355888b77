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
    explicit issue_orders(const dataset& d);
    const std::vector<std::uint32_t>& by(sort_field f) const { return orders_[std::size_t(f)]; }

private:
    std::array<std::vector<std::uint32_t>, 4> orders_;
};

/// Bit p set: the user may browse project index p.
std::uint64_t visible_projects(const dataset& d, std::int32_t user);

/// Every issue the user may browse that matches `f`, ordered by f.order (id ascending
/// when empty). O(issues) per call; no allocation beyond the result.
std::vector<std::uint32_t> run_search(const dataset& d, const issue_orders& orders, const jql_filter& f,
                                      std::uint64_t visible);

}  // namespace jtgw::jira_sample
