#include "gateway/http/request_id.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
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

// value as 16 lowercase hex digits, written in place: an id costs one string and no
// per-character appends.
void write_hex(char* out, std::uint64_t value) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i, value >>= 4) out[i] = digits[value & 0xf];
}

// The random half of every id, as hex: it never changes, so it is written once.
std::array<char, 16> process_hex() {
  std::array<char, 16> hex;
  write_hex(hex.data(), process_part());
  return hex;
}

}  // namespace

void generate_request_id(std::string& out) {
  // Unique, not secret: a random per-process half and a counter. Asking the CSPRNG for
  // 16 bytes on every request cost a getpid(2) (OpenSSL's fork check) and a DRBG round.
  static const std::array<char, 16> process = process_hex();
  static std::atomic<std::uint64_t> counter{0};
  std::array<char, 32> id;
  std::copy(process.begin(), process.end(), id.begin());
  write_hex(id.data() + process.size(), counter.fetch_add(1, std::memory_order_relaxed));
  out.assign(id.data(), id.size());
}

void choose_request_id(std::string_view client_id, std::string& out) {
  if (sane_request_id(client_id))
    out.assign(client_id);
  else
    generate_request_id(out);
}

}  // namespace jtgw::http
