#pragma once
// Text checked eight bytes at a time, in one 64-bit word, for the hot paths that test every
// byte of short strings against a few byte classes: the access log's JSON escapes and the
// upstream response header's text. A word holds its bytes in memory order (little-endian:
// the first byte is the lowest).
#include <bit>
#include <cstdint>
#include <cstring>

namespace jtgw::http::byte_words {

static_assert(std::endian::native == std::endian::little);
using word = std::uint64_t;
inline constexpr word ones = 0x0101010101010101;

// The eight bytes at p (any alignment).
inline word load(const char* p) noexcept {
  word w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// Marks (the high bit) on the bytes of w below n, for 0 < n <= 0x7f; bytes of 0x80 and
// above are never marked. A true mark's borrow can add false marks above it, never below:
// so the marks are exact as "is there one?", and the lowest one is exactly the first
// such byte (first()).
inline word below(word w, unsigned n) noexcept { return (w - ones * n) & ~w & (ones * 0x80); }
// Marks on the bytes of w equal to c (c < 0x80), in the same sense.
inline word equal(word w, unsigned char c) noexcept { return below(w ^ (ones * c), 1); }
// The index of the first marked byte; marks must not be zero.
inline unsigned first(word marks) noexcept { return static_cast<unsigned>(std::countr_zero(marks)) / 8; }

}  // namespace jtgw::http::byte_words
