// The two checksums of the v5 framing format (v5 §2.1, §2.2).
//
// CRC24 protects a segment header; CRC32 protects a segment payload. Both are
// pure functions of their input, thread-safe and allocation-free.
#pragma once

#include <cstdint>

#include "cqlpp/protocol/primitives.hpp"

namespace cqlpp::protocol {

// CRC24 of the first `size` bytes (3 or 5) of a little-endian header integer,
// as Cassandra computes it: register initialised to 0x875060, polynomial
// 0x1974F0B, each byte fed in from the lowest one up, most significant bit
// first (v5 §2.1: "initializing the CRC24 algorithm with the value 0x875060
// and using the polynomial 0x1974F0B").
std::uint32_t crc24(std::uint64_t header_bits, std::size_t size) noexcept;

// Plain zlib/IEEE CRC-32 (reflected polynomial 0xEDB88320), continuing from
// `crc` (0 for a fresh checksum): crc32_update(crc32_update(0, a), b) equals
// the CRC-32 of a followed by b.
std::uint32_t crc32_update(std::uint32_t crc, bytes_view data) noexcept;

// The CRC32 the v5 framing format puts after each payload: zlib's CRC-32 of
// the payload, seeded with the CRC-32 of the four bytes fa 2d 55 ca (what
// Cassandra's Crc.computeCrc32 and the Python driver's compute_crc32 do).
std::uint32_t segment_crc32(bytes_view payload) noexcept;

// The seed above, exposed for tests: crc32_update(0, fa 2d 55 ca).
std::uint32_t segment_crc32_seed() noexcept;

}  // namespace cqlpp::protocol
