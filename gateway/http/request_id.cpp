#include "gateway/http/request_id.hpp"

#include <openssl/rand.h>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace jtgw::http {

bool sane_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

namespace {

// Drawn once per process, so ids from different processes and restarts differ.
std::uint64_t process_part() {
  std::uint64_t value = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof value) != 1) {
    // The CSPRNG failing is nearly impossible; an id only has to be unique, so the clock will do.
    value = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  }
  return value;
}

void append_hex(std::string& out, std::uint64_t value) {
  static constexpr char hex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out += hex[(value >> shift) & 0xf];
}

}  // namespace

std::string generate_request_id() {
  // Unique, not secret: a random per-process half and a counter. Asking the CSPRNG for
  // 16 bytes on every request cost a getpid(2) (OpenSSL's fork check) and a DRBG round.
  static const std::uint64_t process = process_part();
  static std::atomic<std::uint64_t> counter{0};
  std::string out;
  out.reserve(32);
  append_hex(out, process);
  append_hex(out, counter.fetch_add(1, std::memory_order_relaxed));
  return out;
}

std::string choose_request_id(std::string_view client_id) {
  if (sane_request_id(client_id)) return std::string(client_id);
  return generate_request_id();
}

}  // namespace jtgw::http
