// v5 segments ("frames" in the v5 spec, §2.1 and §2.2): the outer framing
// layer that carries envelopes once the STARTUP handshake is done.
//
// Uncompressed segment (6-byte header, little-endian):
//   [payload length:17][self-contained:1][padding:6][CRC24 of those 3 bytes:24]
// LZ4 segment (8-byte header, little-endian):
//   [compressed length:17][uncompressed length:17][self-contained:1]
//   [padding:5][CRC24 of those 5 bytes:24]
//   An uncompressed length of 0 means the payload is stored as-is.
// Both are followed by the payload (at most 131071 bytes) and a 4-byte
// little-endian CRC32 of the payload as sent (compressed, if it is).
//
// decode_segment() looks at the front of a byte span, as decode_frame() does,
// and answers a complete segment, need_more{n}, or a decode_error naming the
// CRC that failed. The segment encoder is in segment_encoder.hpp; envelopes
// are put back together by frame_assembler.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <variant>
#include <vector>

#include "cqlpp/protocol/error.hpp"
#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/protocol/primitives.hpp"

namespace cqlpp::protocol {

// Agreed in STARTUP (v5 §2.3.2) and fixed for the connection's lifetime.
enum class segment_compression : std::uint8_t { none, lz4 };

// v5 §2.1: the payload length is 17 bits, so at most 128 KiB - 1.
inline constexpr std::uint32_t max_segment_payload = (1u << 17) - 1;
inline constexpr std::size_t segment_crc24_size = 3;  // header CRC24, the last bytes of the header
inline constexpr std::size_t segment_crc32_size = 4;  // payload CRC32 trailer after the payload

// 6 for uncompressed segments, 8 for LZ4 segments (CRC24 included).
constexpr std::size_t segment_header_size(segment_compression c) noexcept {
  return (c == segment_compression::lz4 ? 5 : 3) + segment_crc24_size;
}

// The decoded fields of a segment header (the CRC24 is checked, not kept).
struct segment_header {
  std::uint32_t payload_length = 0;       // bytes on the wire, <= max_segment_payload
  std::uint32_t uncompressed_length = 0;  // lz4 only; 0 = payload stored raw
  bool self_contained = false;            // payload holds whole envelopes; false: a piece of one large envelope
  friend bool operator==(const segment_header&, const segment_header&) = default;
};

// Appends the header (with its CRC24) to `out`. Lengths must fit 17 bits
// (asserted: the encoder never builds larger ones); uncompressed_length is
// ignored for segment_compression::none.
void encode_segment_header(const segment_header& h, segment_compression c,
                           std::vector<std::byte>& out);

// Appends one whole segment carrying `payload` (<= max_segment_payload bytes,
// asserted) to `out`. With lz4 the payload is compressed, unless that does not
// make it smaller; then it is stored raw with uncompressed length 0, as the
// spec, Cassandra and the Python driver do.
void encode_segment(bytes_view payload, bool self_contained, segment_compression c,
                    std::vector<std::byte>& out);

// Header only (needs segment_header_size(c) bytes). Errors:
//  - errc::bad_header_crc24 (offset = where the CRC24 starts, field "header crc24").
std::variant<segment_header, need_more, decode_error> decode_segment_header(
    bytes_view in, segment_compression c) noexcept;

// A decoded segment. `payload` is the uncompressed payload: a view into the
// input span when it was sent raw, or into the segment_decoder's own buffer
// when it was decompressed (valid until the decoder's next decode() call or
// its destruction).
struct segment {
  segment_header header;  // as decoded; payload_length is the on-wire (possibly compressed) size
  bytes_view payload;     // uncompressed payload; see above for what it borrows
  std::size_t size = 0;  // bytes of the input this segment occupied
};

// What segment_decoder::decode() answers: a segment, need_more{n} or a decode_error.
using segment_decode_result = std::variant<segment, need_more, decode_error>;

// Decodes segments from the front of caller-owned spans. Holds only the
// compression mode and a reusable decompression buffer (at most 128 KiB);
// one decoder per connection direction, not thread-safe.
class segment_decoder {
 public:
  // `c` must be the compression agreed in STARTUP; default none.
  explicit segment_decoder(segment_compression c = segment_compression::none) noexcept
      : compression_(c) {}

  // The mode given to the constructor; it picks the header size and layout.
  segment_compression compression() const noexcept { return compression_; }

  // Looks at the front of `in`:
  //  - segment: a whole segment; consume segment::size bytes and call again;
  //  - need_more{n}: at least n more bytes are needed (the header CRC24 is
  //    checked as soon as the header is there, before asking for the payload);
  //  - decode_error (offsets from the start of `in`):
  //      bad_header_crc24     offset of the CRC24, field "header crc24";
  //      bad_payload_crc32    offset of the CRC32 trailer, field "payload crc32";
  //      decompression_failed offset of the payload, field "lz4 payload" (the
  //                           block is corrupt or does not inflate to exactly
  //                           the header's uncompressed length).
  segment_decode_result decode(bytes_view in);

 private:
  segment_compression compression_;
  std::vector<std::byte> inflated_;
};

}  // namespace cqlpp::protocol
