#pragma once
// Big-endian fixed-width integers and u32-length-prefixed fields: the building blocks
// of every on-disk encoding in storage/ (records, audit events, keys, meta values).

#include <boost/endian/conversion.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jtgw::storage::bytes {

template <typename Unsigned>
void put_be(std::string& out, Unsigned value) {
  for (int shift = (sizeof(Unsigned) - 1) * 8; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((value >> shift) & 0xff));
}

inline void put_field(std::string& out, std::string_view field) {
  put_be<std::uint32_t>(out, static_cast<std::uint32_t>(field.size()));
  out.append(field);
}

/// Sequential reader over untrusted bytes: every read checks the remaining length, and
/// a failed read leaves the reader failed so callers check once at the end.
class reader {
 public:
  explicit reader(std::string_view bytes) noexcept : rest_(bytes) {}

  template <typename Unsigned>
  std::optional<Unsigned> get_be() noexcept {
    if (rest_.size() < sizeof(Unsigned)) return fail<Unsigned>();
    // One load and a byte swap rather than a shift per byte: records are read on
    // every request.
    const auto value = boost::endian::endian_load<Unsigned, sizeof(Unsigned), boost::endian::order::big>(
        reinterpret_cast<const unsigned char*>(rest_.data()));
    rest_.remove_prefix(sizeof(Unsigned));
    return value;
  }

  /// A length-prefixed field of at most max_size bytes (larger is treated as corrupt).
  std::optional<std::string_view> get_field(std::size_t max_size) noexcept {
    auto size = get_be<std::uint32_t>();
    if (!size || *size > max_size) return fail<std::string_view>();
    return get_raw(*size);
  }

  std::optional<std::string_view> get_raw(std::size_t size) noexcept {
    if (rest_.size() < size) return fail<std::string_view>();
    auto field = rest_.substr(0, size);
    rest_.remove_prefix(size);
    return field;
  }

  bool failed() const noexcept { return failed_; }
  bool at_end() const noexcept { return rest_.empty(); }

 private:
  template <typename T>
  std::optional<T> fail() noexcept {
    failed_ = true;
    rest_ = {};
    return std::nullopt;
  }

  std::string_view rest_;
  bool failed_ = false;
};

}  // namespace jtgw::storage::bytes
