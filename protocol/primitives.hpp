// Value types for the [notations] of the native protocol spec (v4 §3, v5 §3)
// that are more than a single integer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace cqlpp::protocol {

// Borrowed, read-only bytes: encoder input and decoder output alike.
using bytes_view = std::span<const std::byte>;

// A [value]: a [bytes] that may also be "unset" (length -2, requests only).
struct value_view {
  // set: `bytes` is the value (possibly empty); null: length -1 (any negative length when decoding a
  // [bytes]); unset: length -2.
  enum class state : std::uint8_t { set, null, unset };
  state st = state::null;  // which of the three; default null
  bytes_view bytes;  // valid only when st == set; borrowed from the decoded buffer

  // A null [value].
  static value_view null_value() { return {state::null, {}}; }
  // An unset [value]: the existing value is left unchanged (v4 §3).
  static value_view unset_value() { return {state::unset, {}}; }
  // A set [value] borrowing `b`, which must outlive the view.
  static value_view of(bytes_view b) { return {state::set, b}; }
  // True for null only, not for unset.
  bool is_null() const { return st == state::null; }
  // True for unset only.
  bool is_unset() const { return st == state::unset; }
};

// A 16-byte UUID in network order.
struct uuid {
  std::array<std::uint8_t, 16> bytes{};  // all zero by default (the nil UUID)
  friend bool operator==(const uuid&, const uuid&) = default;
  std::string to_string() const;  // 8-4-4-4-12 lowercase hex
};
// A timeuuid is a version-1 UUID: the version nibble (high bits of byte 6) is 1.
constexpr bool is_time_uuid(const uuid& u) noexcept { return (u.bytes[6] >> 4) == 1; }

// An [inetaddr]: 4 (IPv4) or 16 (IPv6) address bytes.
struct inet_address {
  std::array<std::uint8_t, 16> bytes{};  // network order; only the first `size` are used
  std::uint8_t size = 4;                 // 4 or 16; default 4 (IPv4)
  friend bool operator==(const inet_address&, const inet_address&) = default;
  // Dotted quad for IPv4; IPv6 compressed as RFC 5952 writes it ("2001:db8::1", "::1").
  std::string to_string() const;
};

// An [inet]: address and port.
struct inet_endpoint {
  inet_address address;   // the IP address, an [inetaddr]
  std::int32_t port = 0;  // an [int] on the wire; default 0
  friend bool operator==(const inet_endpoint&, const inet_endpoint&) = default;
};

// [consistency]: v4 §3.
enum class consistency : std::uint16_t {
  any = 0x0000,
  one = 0x0001,
  two = 0x0002,
  three = 0x0003,
  quorum = 0x0004,
  all = 0x0005,
  local_quorum = 0x0006,
  each_quorum = 0x0007,
  serial = 0x0008,
  local_serial = 0x0009,
  local_one = 0x000A,
};
// True if `v` is one of the [consistency] values above (0x0000-0x000A).
bool is_valid_consistency(std::uint16_t v) noexcept;

}  // namespace cqlpp::protocol
