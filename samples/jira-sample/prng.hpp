#pragma once
// A seeded PRNG whose output is fixed by (seed) alone: std distributions differ between
// standard libraries, so every draw here is our own arithmetic on xoshiro256** output.
#include <cstdint>
#include <string>
#include <string_view>

namespace jtgw::jira_sample {

/// splitmix64 step: expands one 64-bit seed into well-mixed words (used to seed xoshiro).
inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// xoshiro256** (Blackman & Vigna). Deterministic for a seed on every platform.
class prng {
public:
    explicit prng(std::uint64_t seed) noexcept {
        for (auto& word : s_) word = splitmix64(seed);
    }

    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const std::uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }

    /// Uniform integer in [0, bound) by Lemire's multiply-shift (bias < 2^-32 for our bounds).
    std::uint64_t below(std::uint64_t bound) noexcept {
        if (bound == 0) return 0;
        __extension__ using wide = unsigned __int128;  // GCC/Clang; __extension__ silences -Wpedantic
        return static_cast<std::uint64_t>((static_cast<wide>(next()) * bound) >> 64);
    }

    /// Uniform integer in [lo, hi] (inclusive).
    std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
        return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
    }

    /// True with probability num/den.
    bool chance(std::uint64_t num, std::uint64_t den) noexcept { return below(den) < num; }

    /// A string of n lowercase hex digits.
    std::string hex(std::size_t n) {
        static constexpr std::string_view digits = "0123456789abcdef";
        std::string out(n, '0');
        for (auto& c : out) c = digits[below(16)];
        return out;
    }

    /// A string of n characters from an alphabet.
    std::string from_alphabet(std::size_t n, std::string_view alphabet) {
        std::string out(n, ' ');
        for (auto& c : out) c = alphabet[below(alphabet.size())];
        return out;
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

}  // namespace jtgw::jira_sample
