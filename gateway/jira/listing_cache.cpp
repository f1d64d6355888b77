#include "gateway/jira/listing_cache.hpp"

#include <algorithm>

namespace jtgw::jira {

namespace {

// The scope cannot contain a newline (a user name or account), so keys never collide.
std::string key_of(const std::string& scope, const std::string& target) { return scope + '\n' + target; }

}  // namespace

listing_cache::listing_cache(std::size_t capacity, std::chrono::seconds ttl)
    : capacity_(std::max<std::size_t>(capacity, 1)), ttl_(ttl) {}

std::shared_ptr<const id_listing> listing_cache::find(const std::string& scope, const std::string& target,
                                                      clock::time_point now) {
  const auto key = key_of(scope, target);
  std::lock_guard lock(mutex_);
  const auto it = std::find_if(entries_.begin(), entries_.end(), [&](const entry& e) { return e.key == key; });
  if (it == entries_.end()) return nullptr;
  if (now - it->stored >= ttl_) {
    entries_.erase(it);
    return nullptr;
  }
  it->used = now;
  return it->page;
}

void listing_cache::put(const std::string& scope, const std::string& target, std::shared_ptr<const id_listing> page,
                        clock::time_point now) {
  auto key = key_of(scope, target);
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const entry& e) { return e.key == key || now - e.stored >= ttl_; });
  if (entries_.size() >= capacity_) {
    const auto oldest =
        std::min_element(entries_.begin(), entries_.end(), [](const entry& a, const entry& b) { return a.used < b.used; });
    entries_.erase(oldest);
  }
  entries_.push_back(entry{std::move(key), std::move(page), now, now});
}

std::size_t listing_cache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace jtgw::jira
