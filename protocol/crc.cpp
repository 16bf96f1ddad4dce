#include "cqlpp/protocol/crc.hpp"

#include "cqlpp/protocol/detail/crc32_clmul.hpp"

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

// One slice-by-16 step: `a` and `b` are the block's two little-endian words,
// the running CRC already folded into `a`. Byte i of the block is looked up in
// table 15 - i (the CRC of that byte followed by 15 - i zero bytes).
inline std::uint32_t fold128(std::uint64_t a, std::uint64_t b) noexcept {
  const auto& t = tables;
  return t[15][a & 0xFF] ^ t[14][(a >> 8) & 0xFF] ^ t[13][(a >> 16) & 0xFF] ^
         t[12][(a >> 24) & 0xFF] ^ t[11][(a >> 32) & 0xFF] ^ t[10][(a >> 40) & 0xFF] ^
         t[9][(a >> 48) & 0xFF] ^ t[8][a >> 56] ^
         t[7][b & 0xFF] ^ t[6][(b >> 8) & 0xFF] ^ t[5][(b >> 16) & 0xFF] ^
         t[4][(b >> 24) & 0xFF] ^ t[3][(b >> 32) & 0xFF] ^ t[2][(b >> 40) & 0xFF] ^
         t[1][(b >> 48) & 0xFF] ^ t[0][b >> 56];
}

}  // namespace

// CRC-24 runs twice per v5 segment (sent and received): a byte-wise table
// instead of eight shift-and-xor steps per bit.
constexpr std::array<std::uint32_t, 256> make_crc24_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t crc = i << 16;
    for (int bit = 0; bit < 8; ++bit) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= crc24_poly;
    }
    t[i] = crc & 0xFFFFFF;
  }
  return t;
}
constexpr auto crc24_table = make_crc24_table();

std::uint32_t crc24(std::uint64_t header_bits, std::size_t size) noexcept {
  std::uint32_t crc = crc24_init;
  for (std::size_t i = 0; i < size; ++i) {
    const auto b = static_cast<std::uint32_t>(header_bits & 0xFF);
    header_bits >>= 8;
    crc = ((crc << 8) & 0xFFFFFF) ^ crc24_table[((crc >> 16) ^ b) & 0xFF];
  }
  return crc;
}

namespace detail {
std::uint32_t crc32_update_tables(std::uint32_t crc, const unsigned char* p, std::size_t n) noexcept {
  crc = ~crc;
  while (n >= slices) {
    const std::uint64_t a = load_le64(p) ^ crc;
    const std::uint64_t b = load_le64(p + 8);
    crc = fold128(a, b);
    p += slices;
    n -= slices;
  }
  while (n--) crc = (crc >> 8) ^ tables[0][(crc ^ *p++) & 0xFF];
  return ~crc;
}
}  // namespace detail

std::uint32_t crc32_update(std::uint32_t crc, bytes_view data) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t n = data.size();
  // Carry-less multiplication where the CPU has it: about ten times fewer
  // instructions per byte than the tables, which finish the last < 16 bytes.
  if (n >= 64 && detail::crc32_clmul_available()) {
    const std::size_t bulk = n & ~std::size_t{15};
    crc = ~detail::crc32_clmul(~crc, p, bulk);
    p += bulk;
    n -= bulk;
  }
  return detail::crc32_update_tables(crc, p, n);
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
