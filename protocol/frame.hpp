// Frame (v4) / envelope (v5) header and the incremental frame decoder
// (v4 §2, v5 §2.4).
//
//   0         8        16        24        32         40
//   +---------+---------+---------+---------+---------+
//   | version |  flags  |      stream       | opcode  |
//   +---------+---------+---------+---------+---------+
//   |                length                 |
//   +---------+---------+---------+---------+
//
// decode_frame() looks at the front of a byte span and answers one of three
// things (picohttpparser's shape): a complete frame (a view into the span, no
// copy), need_more{n}, or a decode_error. The body length is checked against
// the limit before the caller is asked for the bytes, so a hostile length never
// turns into a large allocation.
#pragma once

#include <array>
#include <cstdint>
#include <variant>

#include "cqlpp/protocol/error.hpp"
#include "cqlpp/protocol/opcode.hpp"
#include "cqlpp/protocol/primitives.hpp"

namespace cqlpp::protocol {

inline constexpr std::size_t frame_header_size = 9;
// The spec's hard limit on a frame body (v4 §2.5: 256 MB).
inline constexpr std::uint32_t max_frame_body = 256u * 1024u * 1024u;

struct frame_header {
  std::uint8_t version = 4;   // without the direction bit
  bool response = false;      // direction bit 0x80 of the version byte
  std::uint8_t flags = 0;
  std::int16_t stream = 0;
  opcode op = opcode::options;
  std::uint32_t length = 0;   // body length in bytes
  friend bool operator==(const frame_header&, const frame_header&) = default;
};

std::array<std::byte, frame_header_size> encode_frame_header(const frame_header& h) noexcept;

struct frame_limits {
  std::uint32_t max_body_length = max_frame_body;
  std::uint8_t min_version = 3;
  std::uint8_t max_version = 6;  // v6-beta is accepted at this level; callers decide
};

// A complete frame borrowed from the decoder's input.
struct frame_view {
  frame_header header;
  bytes_view body;
  std::size_t size() const noexcept { return frame_header_size + body.size(); }
};

struct need_more {
  std::size_t bytes;  // at least this many more bytes are needed
};

using frame_decode_result = std::variant<frame_view, need_more, decode_error>;

// Header only; needs at least 9 bytes (need_more otherwise).
std::variant<frame_header, need_more, decode_error> decode_frame_header(
    bytes_view in, const frame_limits& limits = {}) noexcept;

frame_decode_result decode_frame(bytes_view in, const frame_limits& limits = {}) noexcept;

}  // namespace cqlpp::protocol
