// LZ4 compression for the native protocol. This is the one header behind which
// liblz4 lives: nothing else in cqlpp includes <lz4.h>.
//
// Two uses:
//  - v4 frame bodies (v4 §5, flag 0x01): a 4-byte big-endian uncompressed
//    length, then one raw LZ4 block. compress_body / decompress_body.
//  - v5 segments (v5 §2.2): one raw LZ4 block per segment payload, the
//    lengths living in the segment header. lz4_compress_block /
//    lz4_decompress_block.
//
// All functions are thread-safe (no shared state) and never throw except
// std::bad_alloc from growing a vector.
#pragma once

#include <cstdint>
#include <span>
#include <system_error>
#include <optional>
#include <vector>

#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/result.hpp"

namespace cqlpp::protocol {

// Size of the v4 uncompressed-length prefix.
inline constexpr std::size_t lz4_body_prefix_size = 4;

// v4 §5: appends [uncompressed length, u32 big-endian][lz4 block of body] to
// `out`. Returns errc::too_large (appending nothing) when the body exceeds the
// protocol's 256 MiB frame limit.
[[nodiscard]] std::error_code compress_body(bytes_view body, std::vector<std::byte>& out);

// v4 §5: inverse of compress_body. The length prefix is checked against
// `max_uncompressed` before anything is allocated. Errors (offsets from the
// start of `compressed`):
//  - errc::truncated             fewer than 4 bytes (offset 0);
//  - errc::frame_too_large       the prefix exceeds max_uncompressed (offset 0);
//  - errc::decompression_failed  the block is corrupt, or inflates to a size
//                                other than the prefix says (offset 4).
result<std::vector<std::byte>> decompress_body(bytes_view compressed,
                                               std::uint32_t max_uncompressed = max_frame_body);
// The same into `out` (resized; its capacity is reused across calls).
std::optional<decode_error> decompress_body_into(bytes_view compressed, std::vector<std::byte>& out,
                                                std::uint32_t max_uncompressed = max_frame_body);

// Worst-case size of lz4_compress_block's output for `n` input bytes.
std::size_t lz4_compress_bound(std::size_t n) noexcept;

// Compresses `in` as one raw LZ4 block (LZ4_compress_default) into `out`,
// which must hold at least lz4_compress_bound(in.size()) bytes. Returns the
// compressed size, or 0 if `in` is too large for LZ4 (~2 GiB) or `out` too
// small.
std::size_t lz4_compress_block(bytes_view in, std::span<std::byte> out) noexcept;

// Decompresses one raw LZ4 block into exactly `out`. True iff the block is
// valid and inflates to exactly out.size() bytes. Never reads or writes
// outside `in` / `out`, whatever `in` holds.
bool lz4_decompress_block(bytes_view in, std::span<std::byte> out) noexcept;

}  // namespace cqlpp::protocol
