// The carry-less-multiplication CRC-32 behind crc32_update (crc.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

namespace cqlpp::protocol::detail {

// Whether this CPU has PCLMULQDQ and SSE4.1 (checked once).
bool crc32_clmul_available() noexcept;

// Continues the CRC-32 register `state` (the inverted form crc32_update keeps)
// over n bytes; n >= 64 and a multiple of 16. Only when available.
std::uint32_t crc32_clmul(std::uint32_t state, const unsigned char* p, std::size_t n) noexcept;

// crc32_update without the fast path, for the tests that compare the two.
std::uint32_t crc32_update_tables(std::uint32_t crc, const unsigned char* p, std::size_t n) noexcept;

}  // namespace cqlpp::protocol::detail
