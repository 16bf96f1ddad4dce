#include "cqlpp/protocol/crc.hpp"

#include "cqlpp/protocol/detail/crc32_clmul.hpp"

#include <doctest/doctest.h>

#include <string_view>
#include <vector>

using namespace cqlpp::protocol;

namespace {

bytes_view as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::byte*>(s.data()), s.size()};
}

// Bit-at-a-time reference CRC-32 (reflected 0xEDB88320), to check the sliced one.
std::uint32_t reference_crc32(std::uint32_t crc, bytes_view data) {
  crc = ~crc;
  for (auto b : data) {
    crc ^= std::to_integer<std::uint32_t>(b);
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}

// n bytes from a linear congruential generator: varied, and the same every run.
std::vector<std::byte> pseudo_random_bytes(std::size_t n, std::uint32_t x) {
  std::vector<std::byte> data(n);
  for (auto& b : data) {
    x = x * 1103515245u + 12345u;
    b = static_cast<std::byte>(x >> 16);
  }
  return data;
}

}  // namespace

TEST_CASE("crc32: the standard check value") {
  CHECK(crc32_update(0, as_bytes("123456789")) == 0xCBF43926u);
  CHECK(crc32_update(0, {}) == 0u);
}

TEST_CASE("crc32: the v5 seed is crc32(fa 2d 55 ca), as the Python driver computes it") {
  // Values from zlib.crc32 via cassandra.segment.CRC32_INITIAL.
  CHECK(segment_crc32_seed() == 0x44777ED3u);
  CHECK(segment_crc32(as_bytes("123456789")) == 0xE2A261A7u);
  CHECK(segment_crc32({}) == 0x44777ED3u);
}

TEST_CASE("crc32: slice-by-16 equals the bitwise reference at every length and alignment") {
  const auto data = pseudo_random_bytes(300, 12345);
  for (std::size_t off = 0; off < 16; ++off)
    for (std::size_t len = 0; off + len <= 80; ++len) {
      const bytes_view v = bytes_view(data).subspan(off, len);
      CHECK(crc32_update(0, v) == reference_crc32(0, v));
    }
  CHECK(crc32_update(0, data) == reference_crc32(0, data));
}

TEST_CASE("crc32: the carry-less-multiply path equals the bitwise reference (lengths 0..1100, any seed)") {
  const auto data = pseudo_random_bytes(1200, 987654321);
  MESSAGE("carry-less multiplication available: " << cqlpp::protocol::detail::crc32_clmul_available());
  for (std::size_t off = 0; off < 16; off += 3)
    for (std::size_t len = 0; len <= 1100; ++len) {
      const bytes_view v = bytes_view(data).subspan(off, len);
      const std::uint32_t seed = static_cast<std::uint32_t>(len * 2654435761u);
      const auto want = reference_crc32(seed, v);
      REQUIRE(crc32_update(seed, v) == want);
      const auto* p = reinterpret_cast<const unsigned char*>(v.data());
      REQUIRE(cqlpp::protocol::detail::crc32_update_tables(seed, p, v.size()) == want);
      if (cqlpp::protocol::detail::crc32_clmul_available() && len >= 64 && len % 16 == 0)
        REQUIRE(~cqlpp::protocol::detail::crc32_clmul(~seed, p, len) == want);
    }
}

TEST_CASE("crc32: updating piecewise equals one pass") {
  std::vector<std::byte> data(257);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::byte>(i * 7);
  const auto whole = crc32_update(0, data);
  for (std::size_t cut = 0; cut <= data.size(); ++cut) {
    const auto a = crc32_update(0, bytes_view(data).first(cut));
    CHECK(crc32_update(a, bytes_view(data).subspan(cut)) == whole);
  }
}

TEST_CASE("crc24: values the Python driver's compute_crc24 gives") {
  CHECK(crc24(0x020009, 3) == 0xC1C8A4u);        // uncompressed, 9 bytes, self-contained
  CHECK(crc24(0, 3) == 0x7DE777u);
  CHECK(crc24(0xFFFFFF, 3) == 0x7A86FFu);
  CHECK(crc24(0x0400000009, 5) == 0x95B8C2u);     // lz4 header, 9 bytes raw, self-contained
  CHECK(crc24(0, 0) == 0x875060u);                // nothing fed: the init value
}
