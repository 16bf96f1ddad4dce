// varint: CQL's arbitrary-precision integer (v4/v5 §6 "varint"), stored the
// way it travels: big-endian two's complement, in the fewest bytes that keep
// the sign (0 is one 0x00 byte). Conversions to/from int64 when the value fits
// and to/from a decimal string for display and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cqlpp/protocol/primitives.hpp"

namespace cqlpp::protocol {

class varint {
 public:
  varint() : bytes_{0} {}
  static varint from_int64(std::int64_t v);
  // Any non-empty two's-complement bytes; redundant sign bytes are dropped.
  // Empty input gives 0.
  static varint from_bytes(bytes_view b);
  // Optional leading '-' or '+', then decimal digits only. nullopt otherwise.
  static std::optional<varint> from_string(std::string_view s);

  std::optional<std::int64_t> to_int64() const;
  std::string to_string() const;  // decimal, '-' for negatives

  bool is_negative() const { return (bytes_[0] & 0x80) != 0; }
  bool is_zero() const { return bytes_.size() == 1 && bytes_[0] == 0; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  bytes_view view() const { return {reinterpret_cast<const std::byte*>(bytes_.data()), bytes_.size()}; }

  friend bool operator==(const varint&, const varint&) = default;

 private:
  std::vector<std::uint8_t> bytes_;  // never empty, minimal
};

}  // namespace cqlpp::protocol
