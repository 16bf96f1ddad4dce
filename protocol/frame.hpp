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

// Bytes in a frame (v4) or envelope (v5) header.
inline constexpr std::size_t frame_header_size = 9;
// The spec's hard limit on a frame body (v4 §2.5: 256 MB).
inline constexpr std::uint32_t max_frame_body = 256u * 1024u * 1024u;

// The nine header bytes, decoded.
struct frame_header {
  std::uint8_t version = 4;   // without the direction bit
  bool response = false;      // direction bit 0x80 of the version byte
  std::uint8_t flags = 0;     // frame_flags bits (compression, tracing, custom payload, warning, use_beta)
  std::int16_t stream = 0;    // [short] stream id; negative ids are the server's (events on -1)
  opcode op = opcode::options;  // the body's message type; decoding refuses unknown opcodes
  std::uint32_t length = 0;   // body length in bytes
  friend bool operator==(const frame_header&, const frame_header&) = default;
};

// The nine header bytes for `h`, version byte with the direction bit. Nothing is checked.
std::array<std::byte, frame_header_size> encode_frame_header(const frame_header& h) noexcept;

// What decode_frame_header accepts; the defaults take any frame the spec allows.
struct frame_limits {
  std::uint32_t max_body_length = max_frame_body;  // longer bodies fail with frame_too_large; default 256 MB
  std::uint8_t min_version = 3;  // lower version bytes fail with unsupported_version; default 3
  std::uint8_t max_version = 6;  // v6-beta is accepted at this level; callers decide
};

// A complete frame borrowed from the decoder's input.
struct frame_view {
  frame_header header;  // the decoded header; header.length == body.size()
  bytes_view body;      // header.length bytes after the header, borrowed from the input
  // Bytes the frame takes in the input, header included: how far to advance.
  std::size_t size() const noexcept { return frame_header_size + body.size(); }
};

// Not enough input yet: read at least `bytes` more and try again.
struct need_more {
  std::size_t bytes;  // at least this many more bytes are needed
};

// What decode_frame answers: a frame, a request for more input, or why the input is not a frame.
using frame_decode_result = std::variant<frame_view, need_more, decode_error>;

// Header only; needs at least 9 bytes (need_more otherwise).
std::variant<frame_header, need_more, decode_error> decode_frame_header(
    bytes_view in, const frame_limits& limits = {}) noexcept;

// Decodes the frame at the front of `in`, header and body, checking the header against `limits` first
// (unsupported_version, unknown_opcode, frame_too_large). Bytes after the frame are left alone.
frame_decode_result decode_frame(bytes_view in, const frame_limits& limits = {}) noexcept;

}  // namespace cqlpp::protocol
