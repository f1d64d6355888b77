#pragma once
// Id listing pages (id_listing.hpp) kept across the responses of one export: a response
// that resumes a $skiptoken inside a listing page takes the page from here instead of
// asking Jira for it again (with 1,000-row responses, every listing page would otherwise
// be read five times, and child tables' responses hold fewer issues still). Only such
// resumptions are served: a read from a table's start always asks Jira, so a new export
// never sees an old listing. Entries belong to one user (the scope) and one request
// target (table, JQL with its narrowing, cursor), live `ttl`, and at most `capacity` of
// them are kept (the least recently used goes first). Thread-safe.
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway/jira/id_listing.hpp"

namespace jtgw::jira {

class listing_cache {
 public:
  using clock = std::chrono::steady_clock;
  static constexpr std::size_t default_capacity = 64;  // 64 pages of 5000 ids: 2.5 MiB at most
  static constexpr std::chrono::seconds default_ttl{120};

  explicit listing_cache(std::size_t capacity = default_capacity, std::chrono::seconds ttl = default_ttl);

  /// The page kept for `scope` and `target`, if one was put less than ttl ago; nullptr
  /// otherwise (an expired page is dropped).
  std::shared_ptr<const id_listing> find(const std::string& scope, const std::string& target,
                                         clock::time_point now = clock::now());

  /// Keeps `page` for `scope` and `target` (replacing what was kept for them).
  void put(const std::string& scope, const std::string& target, std::shared_ptr<const id_listing> page,
           clock::time_point now = clock::now());

  std::size_t size() const;

 private:
  struct entry {
    std::string key;  // scope '\n' target
    std::shared_ptr<const id_listing> page;
    clock::time_point stored, used;
  };
  std::size_t capacity_;
  std::chrono::seconds ttl_;
  mutable std::mutex mutex_;
  std::vector<entry> entries_;  // few: a scan beats a map here
};

}  // namespace jtgw::jira
