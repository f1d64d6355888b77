#include "gateway/http/request_id.hpp"

#include <openssl/rand.h>

#include <array>
#include <atomic>
#include <chrono>

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

std::string generate_request_id() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // The CSPRNG failing is nearly impossible; an id only has to be unique, not secret,
    // so fall back to a process counter mixed with the clock rather than fail a request.
    static std::atomic<std::uint64_t> counter{0};
    const std::uint64_t a = counter.fetch_add(1, std::memory_order_relaxed);
    const auto b = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    for (std::size_t i = 0; i < 8; ++i) {
      bytes[i] = static_cast<unsigned char>(a >> (8 * i));
      bytes[8 + i] = static_cast<unsigned char>(b >> (8 * i));
    }
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 0xf];
  }
  return out;
}

std::string choose_request_id(std::string_view client_id) {
  if (sane_request_id(client_id)) return std::string(client_id);
  return generate_request_id();
}

}  // namespace jtgw::http
