#include "gateway/http/metrics.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace jtgw::http {
namespace {

bool valid_name(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                       (allow_colon && c == ':');
    const bool digit = c >= '0' && c <= '9';
    if (!(alpha || (i > 0 && digit))) return false;
  }
  return true;
}

// The labels of a new series, checked and copied for keeping.
metric_labels new_series_labels(label_list labels) {
  metric_labels owned;
  for (const auto& [name, value] : labels) {
    const std::string text(name);
    if (!valid_name(text, false) || name.starts_with("__")) throw std::invalid_argument("bad metric label name: " + text);
    owned.emplace_back(text, value);
  }
  return owned;
}

// Prometheus floats: integers print without a fraction, others with full precision.
std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else {
    // The shortest of 15 or 17 significant digits that reads back exactly: "0.1", not
    // "0.10000000000000001".
    std::snprintf(buf, sizeof buf, "%.15g", v);
    if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  }
  return buf;
}

// Appends `name{a="x",b="y"[,extra]} value\n`.
void append_sample(std::string& out, const std::string& name, const metric_labels& labels,
                   const std::string& extra, const std::string& value) {
  out += name;
  if (!labels.empty() || !extra.empty()) {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : labels) {
      if (!first) out += ',';
      first = false;
      out += k;
      out += "=\"";
      out += escape_label_value(v);
      out += '"';
    }
    if (!extra.empty()) {
      if (!first) out += ',';
      out += extra;
    }
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

std::string escape_help(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

}  // namespace

std::string escape_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::vector<double> default_latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

std::atomic<std::uint64_t>& counter_family::find_or_create(label_list labels) {
  auto it = series_.find(labels);
  if (it == series_.end()) it = series_.try_emplace(new_series_labels(labels), 0).first;
  recent_.remember(*it);
  return it->second;
}

void counter_family::add(label_list labels, std::uint64_t n) {
  if (auto* value = recent_.find(labels)) {
    value->fetch_add(n, std::memory_order_relaxed);
    return;
  }
  std::lock_guard lock(mutex_);
  find_or_create(labels).fetch_add(n, std::memory_order_relaxed);
}

counter_series counter_family::at(label_list labels) {
  std::lock_guard lock(mutex_);
  return counter_series(find_or_create(labels));
}

std::uint64_t counter_family::value(label_list labels) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.load(std::memory_order_relaxed);
}

void counter_family::render(std::string& out, const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& [labels, v] : series_)
    append_sample(out, name, labels, {}, std::to_string(v.load(std::memory_order_relaxed)));
}

void gauge_family::set(label_list labels, double value) {
  std::lock_guard lock(mutex_);
  auto it = series_.find(labels);
  if (it == series_.end()) it = series_.emplace(new_series_labels(labels), 0.0).first;
  it->second = value;
}

void gauge_family::add(label_list labels, double delta) {
  std::lock_guard lock(mutex_);
  auto it = series_.find(labels);
  if (it == series_.end()) it = series_.emplace(new_series_labels(labels), 0.0).first;
  it->second += delta;
}

double gauge_family::value(label_list labels) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0.0 : it->second;
}

void gauge_family::render(std::string& out, const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& [labels, v] : series_) append_sample(out, name, labels, {}, format_number(v));
}

histogram_family::histogram_family(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)) {
  for (std::size_t i = 1; i < bounds_.size(); ++i)
    if (!(bounds_[i - 1] < bounds_[i]))
      throw std::invalid_argument("histogram bounds must increase strictly");
}

histogram_family::series& histogram_family::find_or_create(label_list labels) {
  auto it = series_.find(labels);
  if (it == series_.end()) {
    auto owned = new_series_labels(labels);
    for (const auto& [k, v] : owned)
      if (k == "le") throw std::invalid_argument("histogram label 'le' is reserved");
    it = series_.try_emplace(std::move(owned), bounds_.size() + 1).first;
  }
  recent_.remember(*it);
  return it->second;
}

void histogram_family::observe(series& s, double value) const noexcept {
  std::size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  s.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  s.sum.fetch_add(value, std::memory_order_relaxed);
}

std::uint64_t histogram_family::series::count() const noexcept {
  std::uint64_t total = 0;
  for (const auto& bucket : buckets) total += bucket.load(std::memory_order_relaxed);
  return total;
}

void histogram_family::observe(label_list labels, double value) {
  if (auto* s = recent_.find(labels)) {
    observe(*s, value);
    return;
  }
  std::lock_guard lock(mutex_);
  observe(find_or_create(labels), value);
}

histogram_series histogram_family::at(label_list labels) {
  std::lock_guard lock(mutex_);
  return histogram_series(*this, find_or_create(labels));
}

std::uint64_t histogram_family::count(label_list labels) const {
  std::lock_guard lock(mutex_);
  auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.count();
}

void histogram_family::render(std::string& out, const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& [labels, s] : series_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += s.buckets[i].load(std::memory_order_relaxed);
      const std::string le = i < bounds_.size() ? format_number(bounds_[i]) : "+Inf";
      append_sample(out, name + "_bucket", labels, "le=\"" + le + "\"", std::to_string(cumulative));
    }
    append_sample(out, name + "_sum", labels, {}, format_number(s.sum.load(std::memory_order_relaxed)));
    append_sample(out, name + "_count", labels, {}, std::to_string(cumulative));
  }
}

metrics_registry::family& metrics_registry::find_or_add(const std::string& name,
                                                        const std::string& help) {
  if (!valid_name(name, true)) throw std::invalid_argument("bad metric name: " + name);
  auto [it, added] = families_.try_emplace(name);
  if (added) it->second.help = help;
  return it->second;
}

counter_family& metrics_registry::counter(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  family& f = find_or_add(name, help);
  if (f.gauge || f.histogram) throw std::invalid_argument("metric kind clash: " + name);
  if (!f.counter) f.counter = std::make_unique<counter_family>();
  return *f.counter;
}

gauge_family& metrics_registry::gauge(const std::string& name, const std::string& help) {
  std::lock_guard lock(mutex_);
  family& f = find_or_add(name, help);
  if (f.counter || f.histogram) throw std::invalid_argument("metric kind clash: " + name);
  if (!f.gauge) f.gauge = std::make_unique<gauge_family>();
  return *f.gauge;
}

histogram_family& metrics_registry::histogram(const std::string& name, const std::string& help,
                                              std::vector<double> upper_bounds) {
  std::lock_guard lock(mutex_);
  family& f = find_or_add(name, help);
  if (f.counter || f.gauge) throw std::invalid_argument("metric kind clash: " + name);
  if (!f.histogram) f.histogram = std::make_unique<histogram_family>(std::move(upper_bounds));
  return *f.histogram;
}

std::string metrics_registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& [name, f] : families_) {
    const char* type = f.counter ? "counter" : f.gauge ? "gauge" : "histogram";
    if (!f.counter && !f.gauge && !f.histogram) continue;
    out += "# HELP " + name + ' ' + escape_help(f.help) + '\n';
    out += "# TYPE " + name + ' ' + type + '\n';
    if (f.counter) f.counter->render(out, name);
    if (f.gauge) f.gauge->render(out, name);
    if (f.histogram) f.histogram->render(out, name);
  }
  return out;
}

}  // namespace jtgw::http
