#include "protocol/crc.hpp"

#include <array>
#include <bit>
#include <cstring>

namespace cqlpp::protocol {
namespace {

constexpr std::uint32_t crc24_init = 0x875060;
constexpr std::uint32_t crc24_poly = 0x1974F0B;

// CRC-32 is on the path of every v5 byte sent or received, so it runs
// slice-by-16: sixteen 256-entry tables let one step consume 16 input bytes
// with independent lookups instead of a serial byte-at-a-time chain.
constexpr std::size_t slices = 16;
using crc32_tables = std::array<std::array<std::uint32_t, 256>, slices>;

constexpr crc32_tables make_crc32_tables() {
  crc32_tables t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    t[0][i] = c;
  }
  // t[k][i] is the CRC contribution of byte value i followed by k zero bytes.
  for (std::size_t k = 1; k < slices; ++k)
    for (std::size_t i = 0; i < 256; ++i)
      t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFF];
  return t;
}

constexpr crc32_tables tables = make_crc32_tables();

inline std::uint64_t load_le64(const unsigned char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
  return v;
}

// The eight table lookups for one little-endian 64-bit word whose first byte
// sits `first` slices away from the end of the block.
inline std::uint32_t fold64(std::uint64_t w, std::size_t first) noexcept {
  std::uint32_t r = 0;
  for (std::size_t b = 0; b < 8; ++b)
    r ^= tables[first - b][(w >> (8 * b)) & 0xFF];
  return r;
}

}  // namespace

std::uint32_t crc24(std::uint64_t header_bits, std::size_t size) noexcept {
  std::uint32_t crc = crc24_init;
  for (std::size_t i = 0; i < size; ++i) {
    crc ^= static_cast<std::uint32_t>(header_bits & 0xFF) << 16;
    header_bits >>= 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= crc24_poly;
    }
  }
  return crc;
}

std::uint32_t crc32_update(std::uint32_t crc, bytes_view data) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  crc = ~crc;
  while (n >= slices) {
    const std::uint64_t a = load_le64(p) ^ crc;
    const std::uint64_t b = load_le64(p + 8);
    crc = fold64(a, slices - 1) ^ fold64(b, slices - 9);
    p += slices;
    n -= slices;
  }
  while (n--) crc = (crc >> 8) ^ tables[0][(crc ^ *p++) & 0xFF];
  return ~crc;
}

std::uint32_t segment_crc32_seed() noexcept {
  static constexpr std::byte seed_bytes[] = {std::byte{0xfa}, std::byte{0x2d}, std::byte{0x55},
                                             std::byte{0xca}};
  return crc32_update(0, seed_bytes);
}

std::uint32_t segment_crc32(bytes_view payload) noexcept {
  // The seed is a constant; computing it costs four table steps, cheaper than
  // a guarded static on this hot path.
  return crc32_update(segment_crc32_seed(), payload);
}

}  // namespace cqlpp::protocol
