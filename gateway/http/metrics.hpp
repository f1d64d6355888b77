#pragma once
// A small thread-safe metrics registry rendered in the Prometheus text exposition format
// (version 0.0.4). Families are registered once (start-up; a bad name throws) and then
// updated from any thread; render() takes a consistent-enough snapshot for scraping.
//
// Why our own and not prometheus-cpp: three metric kinds and one text format are a few
// hundred lines, and Debian's prometheus-cpp drags in civetweb and a second HTTP server.
#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jtgw::http {

// Label pairs in the order given at every update of one family (e.g. {{"route","rest"},
// {"status","200"}}). Values are escaped on rendering; names are checked when rendered
// series are created (a bad label name throws std::invalid_argument).
// Updates pass them as views: an update of an existing series allocates nothing.
using label_list = std::initializer_list<std::pair<std::string_view, std::string_view>>;
// A series' labels as stored.
using metric_labels = std::vector<std::pair<std::string, std::string>>;

// Orders stored labels, and finds them by label_list without building a metric_labels.
// Pair by pair, name then value, each compared once (three-way).
struct labels_less {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    auto x = a.begin();
    auto y = b.begin();
    for (; x != a.end() && y != b.end(); ++x, ++y) {
      if (const int c = std::string_view(x->first).compare(y->first); c != 0) return c < 0;
      if (const int c = std::string_view(x->second).compare(y->second); c != 0) return c < 0;
    }
    return x == a.end() && y != b.end();  // a is a prefix of b
  }
};

// The series of the label sets a family was updated with lately, found without its
// lock: the hot path repeats a handful of sets (route × status), and looking one up in
// the map under the mutex cost more than the update. A slot holds a family's map entry;
// entries are never removed, so a remembered one lives as long as its family. Writers
// hold the family's mutex; readers only load a slot and compare its labels.
template <class Value>
class recent_series {
 public:
  using entry = std::pair<const metric_labels, Value>;  // the family's map node

  // The remembered series with exactly these labels, or null.
  Value* find(label_list labels) const noexcept {
    entry* e = slots_[slot_of(labels)].load(std::memory_order_acquire);
    return e && same_labels(labels, e->first) ? &e->second : nullptr;
  }
  // Remembers e for its labels (replacing whichever set shared the slot).
  void remember(entry& e) noexcept { slots_[slot_of(e.first)].store(&e, std::memory_order_release); }

 private:
  static constexpr std::size_t slot_count = 16;
  // FNV-1a over the label values (a family's names are the same at every update).
  template <class Labels>
  static std::size_t slot_of(const Labels& labels) noexcept {
    std::uint32_t h = 2166136261u;
    for (const auto& label : labels) {
      for (const char c : label.second) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
      h = (h ^ 0xffu) * 16777619u;  // ends a value: ("ab","c") and ("a","bc") differ
    }
    return h % slot_count;
  }
  static bool same_labels(label_list labels, const metric_labels& stored) noexcept {
    return labels.size() == stored.size() &&
           std::equal(labels.begin(), labels.end(), stored.begin(), [](const auto& a, const auto& b) {
             return a.first == b.first && a.second == b.second;
           });
  }
  std::array<std::atomic<entry*>, slot_count> slots_{};
};

// One counter series, found once: add() is a single atomic add, with no label lookup and
// no lock. For the hot path's label sets that are known up front (see counter_family::at).
// Valid as long as its family.
class counter_series {
 public:
  void add(std::uint64_t n = 1) const noexcept { value_->fetch_add(n, std::memory_order_relaxed); }

 private:
  friend class counter_family;
  explicit counter_series(std::atomic<std::uint64_t>& value) noexcept : value_(&value) {}
  std::atomic<std::uint64_t>* value_;
};

class counter_family {
 public:
  // Adds n to the series with these labels, creating it at 0 first.
  void add(label_list labels, std::uint64_t n = 1);
  // The series with these labels, created at 0 now if it does not exist (so it is
  // rendered from now on, at 0 until something is added).
  counter_series at(label_list labels);
  // The series' value, 0 if it does not exist (for tests and health checks).
  std::uint64_t value(label_list labels) const;

 private:
  friend class metrics_registry;
  std::atomic<std::uint64_t>& find_or_create(label_list labels);  // mutex_ held
  void render(std::string& out, const std::string& name) const;
  mutable std::mutex mutex_;  // guards the map; the values are atomics
  std::map<metric_labels, std::atomic<std::uint64_t>, labels_less> series_;
  recent_series<std::atomic<std::uint64_t>> recent_;
};

class gauge_family {
 public:
  void set(label_list labels, double value);
  void add(label_list labels, double delta);
  double value(label_list labels) const;

 private:
  friend class metrics_registry;
  void render(std::string& out, const std::string& name) const;
  mutable std::mutex mutex_;
  std::map<metric_labels, double, labels_less> series_;
};

class histogram_series;

class histogram_family {
 public:
  // upper_bounds: strictly increasing bucket bounds; +Inf is implicit.
  explicit histogram_family(std::vector<double> upper_bounds);
  void observe(label_list labels, double value);
  // The series with these labels, created (empty) now if it does not exist.
  histogram_series at(label_list labels);
  // Number of observations of the series, 0 if it does not exist.
  std::uint64_t count(label_list labels) const;

 private:
  friend class metrics_registry;
  friend class histogram_series;
  // Atomics, so that a series handle observes without the lock. The count is the sum of
  // the buckets (the +Inf bucket and _count always agree); a scrape during an
  // observation may see its bucket before its sum: fine for monitoring.
  struct series {
    explicit series(std::size_t bucket_count) : buckets(bucket_count) {}
    std::uint64_t count() const noexcept;
    std::vector<std::atomic<std::uint64_t>> buckets;  // per bucket, not cumulative; last is +Inf
    std::atomic<double> sum{0};
  };
  series& find_or_create(label_list labels);  // mutex_ held
  void observe(series& s, double value) const noexcept;
  void render(std::string& out, const std::string& name) const;
  std::vector<double> bounds_;
  mutable std::mutex mutex_;  // guards the map; the values are atomics
  std::map<metric_labels, series, labels_less> series_;
  recent_series<series> recent_;
};

// One histogram series, found once: observe() takes no lock and looks nothing up.
// Valid as long as its family.
class histogram_series {
 public:
  void observe(double value) const noexcept { family_->observe(*series_, value); }

 private:
  friend class histogram_family;
  histogram_series(const histogram_family& family, histogram_family::series& s) noexcept
      : family_(&family), series_(&s) {}
  const histogram_family* family_;
  histogram_family::series* series_;
};

// Buckets in seconds for request and upstream latencies: 1 ms … 30 s.
std::vector<double> default_latency_buckets();

class metrics_registry {
 public:
  // Get-or-create a family. The name must match [a-zA-Z_:][a-zA-Z0-9_:]* and must not
  // already name a family of another kind (both: std::invalid_argument). The returned
  // reference stays valid as long as the registry.
  counter_family& counter(const std::string& name, const std::string& help);
  gauge_family& gauge(const std::string& name, const std::string& help);
  histogram_family& histogram(const std::string& name, const std::string& help,
                              std::vector<double> upper_bounds = default_latency_buckets());

  // The whole registry as Prometheus text (families sorted by name).
  std::string render() const;

 private:
  struct family {
    std::string help;
    std::unique_ptr<counter_family> counter;
    std::unique_ptr<gauge_family> gauge;
    std::unique_ptr<histogram_family> histogram;
  };
  family& find_or_add(const std::string& name, const std::string& help);
  mutable std::mutex mutex_;
  std::map<std::string, family> families_;
};

// Escapes a label value for the text format: backslash, double quote and line feed.
std::string escape_label_value(const std::string& value);

}  // namespace jtgw::http
