#pragma once
// Lockout of (username, client address) pairs after repeated failed verifications.
// Thread-safe; memory bounded by a cap on tracked pairs (least recently failed evicted).

#include "storage/token_store.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <functional>
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

  // A pair's key: the folded username (a long one by its tagged digest), NUL, the
  // address. Built in a fixed buffer: looking a pair up allocates nothing.
  class pair_key {
   public:
    pair_key(std::string_view username, std::string_view client_address);
    std::string_view view() const noexcept { return {bytes_.data(), size_}; }

   private:
    std::array<char, max_plain_key_user + 1 + max_address_bytes> bytes_;
    std::size_t size_ = 0;
  };

  struct key_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
  };

  // Clears an entry's lock (it ran out, or the entry is evicted) and counts it out of
  // locked_entries_.
  void unlock(entry& e) noexcept;

  lockout_config config_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, entry, key_hash, std::equal_to<>> entries_;
  std::list<std::string> age_order_;  // front = least recently failed
  // Entries whose locked_until is set (run out or not). Zero on nearly every request:
  // locked_for then answers without the mutex or a lookup.
  std::atomic<std::size_t> locked_entries_{0};
};

}  // namespace jtgw::auth
