#include "auth/lockout.hpp"

#include "auth/token_digest.hpp"

#include <algorithm>

namespace jtgw::auth {

lockout_tracker::lockout_tracker(lockout_config config) : config_(config) {
  config_.max_failures = std::max<std::size_t>(config_.max_failures, 1);
  config_.max_tracked_pairs = std::max<std::size_t>(config_.max_tracked_pairs, 1);
}

std::string lockout_tracker::key_of(std::string_view username, std::string_view client_address) {
  std::string folded(username);
  for (char& c : folded) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  // Long names (up to 1 KiB) are keyed by their digest so that the memory of a full
  // table stays near max_tracked_pairs * ~200 bytes. The tag byte keeps the two key
  // forms apart; NUL cannot occur in a parsed username (control characters are refused).
  if (folded.size() > max_plain_key_user) {
    const auto d = digest_of(folded);
    folded.assign(1, '\x01');
    folded.append(reinterpret_cast<const char*>(d.data()), d.size());
  }
  folded.push_back('\0');
  folded.append(client_address.substr(0, max_address_bytes));  // IP text is far shorter
  return folded;
}

std::optional<std::chrono::milliseconds> lockout_tracker::locked_for(
    std::string_view username, std::string_view client_address, storage::clock_time now) const {
  const std::string key = key_of(username, client_address);
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end() || !it->second.locked_until || now >= *it->second.locked_until) {
    return std::nullopt;
  }
  return *it->second.locked_until - now;
}

bool lockout_tracker::record_failure(std::string_view username, std::string_view client_address,
                                     storage::clock_time now) {
  std::string key = key_of(username, client_address);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= config_.max_tracked_pairs) {
      entries_.erase(age_order_.front());
      age_order_.pop_front();
    }
    age_order_.push_back(key);
    it = entries_.emplace(std::move(key), entry{{}, std::nullopt, std::prev(age_order_.end())}).first;
  } else {
    age_order_.splice(age_order_.end(), age_order_, it->second.age);
  }
  entry& e = it->second;
  if (e.locked_until) {
    if (now < *e.locked_until) return false;
    e.locked_until.reset();  // the lock ran out: start counting afresh
  }
  const auto window_start = now - config_.window;
  std::erase_if(e.failures, [&](storage::clock_time t) { return t <= window_start; });
  e.failures.push_back(now);
  if (e.failures.size() >= config_.max_failures) {
    e.locked_until = now + config_.lock_duration;
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
