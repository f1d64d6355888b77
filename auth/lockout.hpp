#pragma once
// Lockout of (username, client address) pairs after repeated failed verifications.
// Thread-safe; memory bounded by a cap on tracked pairs (least recently failed evicted).

#include "storage/token_store.hpp"

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace jtgw::auth {

struct lockout_config {
  /// This many failures within `window` lock the pair.
  std::size_t max_failures = 5;
  std::chrono::milliseconds window = std::chrono::minutes{15};
  /// How long a locked pair stays locked (a success meanwhile does not unlock it).
  std::chrono::milliseconds lock_duration = std::chrono::minutes{15};
  /// Pairs tracked at most; beyond it the pair whose last failure is oldest is dropped.
  std::size_t max_tracked_pairs = 100'000;
};

class lockout_tracker {
 public:
  explicit lockout_tracker(lockout_config config = {});

  /// If the pair is locked at `now`, the time until it unlocks (> 0); else nullopt.
  /// `username` is folded to ASCII lower case, as everywhere usernames are compared.
  std::optional<std::chrono::milliseconds> locked_for(std::string_view username,
                                                      std::string_view client_address,
                                                      storage::clock_time now) const;

  /// Records a failed verification at `now`; locks the pair when it reaches
  /// max_failures within the window. Failures while the pair is locked are not counted
  /// (the lock is not extended by an attacker who keeps trying). Returns true iff this
  /// failure locked the pair (so the caller can audit the lockout once).
  bool record_failure(std::string_view username, std::string_view client_address,
                      storage::clock_time now);

  /// Number of pairs currently tracked (for tests and metrics).
  std::size_t tracked_pairs() const;

 private:
  struct entry {
    std::vector<storage::clock_time> failures;  // within the window, oldest first
    std::optional<storage::clock_time> locked_until;
    std::list<std::string>::iterator age;       // position in age_order_
  };

  static constexpr std::size_t max_plain_key_user = 64;
  static constexpr std::size_t max_address_bytes = 64;
  static std::string key_of(std::string_view username, std::string_view client_address);

  lockout_config config_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry> entries_;
  std::list<std::string> age_order_;  // front = least recently failed
};

}  // namespace jtgw::auth
