#pragma once
// Internal: the lifetime policy as the store last read or wrote it, for the
// Authenticator's read on every request.
//
// A seqlock: a read is a handful of loads instead of a mutex lock/unlock pair, and
// writes (an admin command, rare) stay exact: once store() returns, the very next load()
// on any thread sees the new value. Writers must be serialised by the caller.
#include "storage/token_store.hpp"

#include <atomic>
#include <cstdint>
#include <optional>

namespace jtgw::storage::detail {

class policy_cache {
 public:
  /// The cached policy (inner nullopt: no policy is set). Outer nullopt when nothing is
  /// cached (never read, or forgotten before a write) or when a write is under way:
  /// the caller then takes the writers' lock and asks again.
  std::optional<std::optional<lifetime_policy>> load() const noexcept {
    const std::uint64_t before = sequence_.load(std::memory_order_acquire);
    if (before % 2 != 0) return std::nullopt;
    const auto state = state_.load(std::memory_order_relaxed);
    const auto max_days = max_days_.load(std::memory_order_relaxed);
    const auto set_at_ms = set_at_ms_.load(std::memory_order_relaxed);
    // The field loads may not move past the second look at the sequence.
    std::atomic_thread_fence(std::memory_order_acquire);
    if (sequence_.load(std::memory_order_relaxed) != before) return std::nullopt;
    switch (state) {
      case cached::nothing: return std::nullopt;
      case cached::no_policy: return std::optional<lifetime_policy>{};
      case cached::policy: break;
    }
    return std::optional<lifetime_policy>{lifetime_policy{max_days, clock_time{std::chrono::milliseconds{set_at_ms}}}};
  }

  /// Caches `policy` (nullopt: none is set). Callers hold the writers' lock.
  void store(const std::optional<lifetime_policy>& policy) noexcept {
    write(policy ? cached::policy : cached::no_policy, policy ? policy->max_days : 0,
          policy ? policy->set_at.time_since_epoch().count() : 0);
  }

  /// Caches nothing: load() answers nullopt until the next store(). Callers hold the
  /// writers' lock.
  void forget() noexcept { write(cached::nothing, 0, 0); }

 private:
  enum class cached : std::uint8_t { nothing, no_policy, policy };

  void write(cached state, std::uint32_t max_days, std::int64_t set_at_ms) noexcept {
    const std::uint64_t sequence = sequence_.load(std::memory_order_relaxed);
    sequence_.store(sequence + 1, std::memory_order_relaxed);  // odd: readers stay away
    // The odd sequence is visible before any field changes.
    std::atomic_thread_fence(std::memory_order_release);
    state_.store(state, std::memory_order_relaxed);
    max_days_.store(max_days, std::memory_order_relaxed);
    set_at_ms_.store(set_at_ms, std::memory_order_relaxed);
    sequence_.store(sequence + 2, std::memory_order_release);
  }

  std::atomic<std::uint64_t> sequence_{0};  // odd while a write is under way
  std::atomic<cached> state_{cached::nothing};
  std::atomic<std::uint32_t> max_days_{0};
  std::atomic<std::int64_t> set_at_ms_{0};
};

}  // namespace jtgw::storage::detail
