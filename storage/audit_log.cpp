#include "storage/audit_log.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace jtgw::storage {
namespace {

// Fields may hold user-chosen text (labels, usernames): control characters become '?'
// so that one event is always one log line and cannot forge another.
std::string one_line(std::string_view field) {
  std::string out(field);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace

boost::system::result<void> record_audit(token_store& store, audit_event event) {
  if (event.at == clock_time{})
    event.at = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  spdlog::info("audit: kind={} actor={} user={} token={} detail={}", one_line(event.kind), one_line(event.actor),
               one_line(event.user), one_line(event.token_id), one_line(event.detail));
  auto stored = store.append_audit(event);
  if (!stored) spdlog::error("audit: cannot store the {} event: {}", one_line(event.kind), stored.error().message());
  return stored;
}

}  // namespace jtgw::storage
