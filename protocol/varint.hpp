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

// An arbitrary-precision integer held as its minimal wire bytes (see above). Default 0.
class varint {
 public:
  varint() : bytes_{0} {}
  // Exact for every int64; the result is minimal (1 to 8 bytes).
  static varint from_int64(std::int64_t v);
  // Any non-empty two's-complement bytes; redundant sign bytes are dropped.
  // Empty input gives 0.
  static varint from_bytes(bytes_view b);
  // Optional leading '-' or '+', then decimal digits only. nullopt otherwise.
  static std::optional<varint> from_string(std::string_view s);

  // The value, or nullopt when it needs more than 8 bytes (outside int64's range).
  std::optional<std::int64_t> to_int64() const;
  std::string to_string() const;  // decimal, '-' for negatives

  // True below zero (the sign bit of the first byte).
  bool is_negative() const { return (bytes_[0] & 0x80) != 0; }
  // True for 0 (the single byte 0x00).
  bool is_zero() const { return bytes_.size() == 1 && bytes_[0] == 0; }
  // The wire bytes: big-endian two's complement, minimal, never empty.
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  // The same bytes as a bytes_view, ready to encode as a cell; valid while this varint lives unchanged.
  bytes_view view() const { return {reinterpret_cast<const std::byte*>(bytes_.data()), bytes_.size()}; }

  friend bool operator==(const varint&, const varint&) = default;

 private:
  std::vector<std::uint8_t> bytes_;  // never empty, minimal
};

}  // namespace cqlpp::protocol
