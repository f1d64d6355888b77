#include "samples/jira-sample/search.hpp"

#include <algorithm>
#include <numeric>

namespace jtgw::jira_sample {
namespace {

// Negative: a before b. Key order is project key, then issue number (as Jira sorts keys).
int compare(const dataset& d, sort_field f, std::uint32_t a, std::uint32_t b) {
    const auto& x = d.issues[a];
    const auto& y = d.issues[b];
    auto cmp = [](auto l, auto r) { return l < r ? -1 : (r < l ? 1 : 0); };
    switch (f) {
    case sort_field::created: return cmp(x.created, y.created);
    case sort_field::updated: return cmp(x.updated, y.updated);
    case sort_field::key: {
        const int by_project = d.projects[std::size_t(x.project)].key.compare(d.projects[std::size_t(y.project)].key);
        return by_project ? (by_project < 0 ? -1 : 1) : cmp(x.number, y.number);
    }
    case sort_field::id: break;
    }
    return cmp(x.id, y.id);
}

}  // namespace

issue_orders::issue_orders(const dataset& d) {
    keys_.reserve(d.issues.size());
    for (const auto& is : d.issues) keys_.push_back({is.created, is.updated, is.project});
    for (std::size_t f = 0; f < orders_.size(); ++f) {
        auto& order = orders_[f];
        order.resize(d.issues.size());
        std::iota(order.begin(), order.end(), 0u);
        if (sort_field(f) == sort_field::id) continue;  // issues are stored by id
        std::stable_sort(order.begin(), order.end(),
                         [&](auto a, auto b) { return compare(d, sort_field(f), a, b) < 0; });
    }
}

std::uint64_t visible_projects(const dataset& d, std::int32_t user) {
    std::uint64_t mask = 0;
    if (user == none) return mask;
    for (const auto& key : d.users[std::size_t(user)].projects) {
        auto it = d.project_by_key.find(key);
        if (it != d.project_by_key.end() && it->second < 64) mask |= std::uint64_t{1} << it->second;
    }
    return mask;
}

std::vector<std::uint32_t> run_search(const dataset& d, const issue_orders& orders, const jql_filter& f,
                                      std::uint64_t visible) {
    const std::uint64_t projects = visible & f.projects;
    auto matches = [&](std::uint32_t k) {
        const auto& is = d.issues[k];
        return (projects >> is.project & 1) && f.created.contains(is.created) && f.updated.contains(is.updated);
    };
    std::vector<std::uint32_t> out;
    if (f.issues) {
        for (auto k : *f.issues)
            if (matches(k)) out.push_back(k);
    } else if (projects) {
        const auto primary = f.order.empty() ? sort_field::id : f.order.front().field;
        const auto& order = orders.by(primary);
        if (f.order.empty() || !f.order.front().descending) {
            for (auto k : order) if (matches(k)) out.push_back(k);
        } else {
            // Walking backwards breaks ties by id descending: still the same order on every page.
            for (auto it = order.rbegin(); it != order.rend(); ++it) if (matches(*it)) out.push_back(*it);
        }
        if (f.order.size() <= 1) return out;
    }
    const auto by = f.order;
    std::stable_sort(out.begin(), out.end(), [&](auto a, auto b) {
        for (const auto& key : by) {
            const int c = compare(d, key.field, a, b);
            if (c) return key.descending ? c > 0 : c < 0;
        }
        const bool down = !by.empty() && by.front().descending;
        return down ? d.issues[a].id > d.issues[b].id : d.issues[a].id < d.issues[b].id;
    });
    return out;
}

search_page run_search_page(const dataset& d, const issue_orders& orders, const jql_filter& f, std::uint64_t visible,
                            std::size_t offset, std::size_t limit) {
    search_page page;
    if (f.issues || f.order.size() > 1) {
        auto all = run_search(d, orders, f, visible);
        page.total = all.size();
        for (auto k = offset; k < all.size() && page.issues.size() < limit; ++k) page.issues.push_back(all[k]);
        return page;
    }
    const std::uint64_t projects = visible & f.projects;
    if (!projects) return page;
    const auto& order = orders.by(f.order.empty() ? sort_field::id : f.order.front().field);
    const bool descending = !f.order.empty() && f.order.front().descending;
    const std::size_t n = order.size();
    page.issues.reserve(std::min(limit, n));
    for (std::size_t i = 0; i < n; ++i) {
        const auto k = order[descending ? n - 1 - i : i];
        const auto& key = orders.keys(k);
        if (!(projects >> key.project & 1) || !f.created.contains(key.created) || !f.updated.contains(key.updated)) continue;
        if (page.total >= offset && page.issues.size() < limit) page.issues.push_back(k);
        ++page.total;
    }
    return page;
}

}  // namespace jtgw::jira_sample
