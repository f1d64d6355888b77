#include "auth/lockout.hpp"

#include "auth/token_digest.hpp"
#include "storage/meta_codec.hpp"

#include <algorithm>

namespace jtgw::auth {

lockout_tracker::lockout_tracker(lockout_config config) : config_(config) {
  config_.max_failures = std::max<std::size_t>(config_.max_failures, 1);
  config_.max_tracked_pairs = std::max<std::size_t>(config_.max_tracked_pairs, 1);
}

lockout_tracker::pair_key::pair_key(std::string_view username, std::string_view client_address) {
  // Long names (up to 1 KiB) are keyed by their digest so that the memory of a full
  // table stays near max_tracked_pairs * ~200 bytes. The tag byte keeps the two key
  // forms apart; NUL cannot occur in a parsed username (control characters are refused).
  if (username.size() > max_plain_key_user) {
    const auto d = digest_of(storage::fold_ascii(username));
    bytes_[size_++] = '\x01';
    size_ = std::copy(d.begin(), d.end(), bytes_.begin() + size_) - bytes_.begin();
  } else {
    size_ = std::transform(username.begin(), username.end(), bytes_.begin(),
                           [](char c) { return storage::fold_ascii(c); }) -
            bytes_.begin();
  }
  bytes_[size_++] = '\0';
  const auto address = client_address.substr(0, max_address_bytes);  // IP text is far shorter
  size_ = std::copy(address.begin(), address.end(), bytes_.begin() + size_) - bytes_.begin();
}

void lockout_tracker::unlock(entry& e) noexcept {
  if (!e.locked_until) return;
  e.locked_until.reset();
  --locked_entries_;
}

std::optional<std::chrono::milliseconds> lockout_tracker::locked_for(
    std::string_view username, std::string_view client_address, storage::clock_time now) const {
  // A pair locked by another thread just now may be missed, as it could be by a lookup
  // that took the mutex a moment earlier.
  if (locked_entries_.load() == 0) return std::nullopt;
  const pair_key key(username, client_address);
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key.view());
  if (it == entries_.end() || !it->second.locked_until || now >= *it->second.locked_until) {
    return std::nullopt;
  }
  return *it->second.locked_until - now;
}

bool lockout_tracker::record_failure(std::string_view username, std::string_view client_address,
                                     storage::clock_time now) {
  const pair_key key(username, client_address);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key.view());
  if (it == entries_.end()) {
    if (entries_.size() >= config_.max_tracked_pairs) {
      const auto oldest = entries_.find(age_order_.front());
      unlock(oldest->second);
      entries_.erase(oldest);
      age_order_.pop_front();
    }
    age_order_.emplace_back(key.view());
    it = entries_.emplace(age_order_.back(), entry{{}, std::nullopt, std::prev(age_order_.end())}).first;
  } else {
    age_order_.splice(age_order_.end(), age_order_, it->second.age);
  }
  entry& e = it->second;
  if (e.locked_until) {
    if (now < *e.locked_until) return false;
    unlock(e);  // the lock ran out: start counting afresh
  }
  const auto window_start = now - config_.window;
  std::erase_if(e.failures, [&](storage::clock_time t) { return t <= window_start; });
  e.failures.push_back(now);
  if (e.failures.size() >= config_.max_failures) {
    e.locked_until = now + config_.lock_duration;
    ++locked_entries_;
    e.failures.clear();
    return true;
  }
  return false;
}

std::size_t lockout_tracker::tracked_pairs() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace jtgw::auth
