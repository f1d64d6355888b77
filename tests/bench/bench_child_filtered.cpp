#include "tests/bench/bench_child_filtered.hpp"

#include <chrono>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include <boost/json.hpp>
#include <boost/url/url.hpp>

#include "gateway/odata/jira_time.hpp"

namespace jtgw::bench {

namespace json = boost::json;

namespace {

std::string text_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// OData's DateTimeOffset literal of `ms` (UTC, milliseconds).
std::string odata_literal(std::int64_t ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{ms}};
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), int(hms.hours().count()), int(hms.minutes().count()),
                int(hms.seconds().count()), int(hms.subseconds().count()));
  return buf;
}

}  // namespace

std::pair<std::int64_t, std::int64_t> worklog_updated_span(const std::filesystem::path& data) {
  std::ifstream in(data / "worklogs.jsonl");
  if (!in) throw std::runtime_error("cannot read " + (data / "worklogs.jsonl").string());
  std::int64_t lo = std::numeric_limits<std::int64_t>::max(), hi = std::numeric_limits<std::int64_t>::min();
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    const auto w = json::parse(line);
    const auto t = odata::parse_jira_datetime(std::string_view(w.at("updated").as_string()));
    if (!t) throw std::runtime_error("a worklog's updated is not a Jira time: " + line);
    lo = std::min(lo, *t);
    hi = std::max(hi, *t);
  }
  if (lo > hi) throw std::runtime_error("the dataset has no worklogs");
  return {lo, hi};
}

std::string catalog_without_feed(const std::filesystem::path& catalog_file) {
  auto doc = json::parse(text_of(catalog_file));
  for (auto& t : doc.at("tables").as_array())
    if (t.at("name") == "Worklogs") t.at("source").at("cloud").as_object().erase("worklog_feed");
  return json::serialize(doc);
}

std::string filtered_worklogs(std::int64_t lower, std::optional<std::int64_t> upper) {
  std::string filter = "Updated ge " + odata_literal(lower);
  if (upper) filter += " and Updated lt " + odata_literal(*upper);
  boost::urls::url u("/odata/Worklogs");
  u.params().append({"$filter", filter});
  return std::string(u.encoded_target());
}

}  // namespace jtgw::bench
