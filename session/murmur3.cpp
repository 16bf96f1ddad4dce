// MurmurHash3 x64 128 as org.apache.cassandra.utils.MurmurHash#hash3_x64_128
// computes it. All arithmetic is on uint64_t: Java's long wraps the same way,
// and unsigned overflow is defined in C++ where signed overflow is not.
#include "cqlpp/session/murmur3.hpp"

#include <bit>

namespace cqlpp::routing {

namespace {

constexpr std::uint64_t c1 = 0x87c37b91114253d5ULL;
constexpr std::uint64_t c2 = 0x4cf5ad432745937fULL;

constexpr std::uint64_t fmix(std::uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// A 16-byte block's halves are little-endian 64-bit words whose bytes are
// masked with 0xff (MurmurHash#getBlock): no sign quirk in the body.
std::uint64_t block_word(const std::byte* p) noexcept {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

// A tail byte as Java's `(long) key.get(i)` widens it: sign-extended.
std::uint64_t tail_byte(std::byte b) noexcept {
  const auto s = static_cast<std::int8_t>(std::to_integer<std::uint8_t>(b));
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(s));
}

}  // namespace

namespace detail {

std::int64_t murmur3_cassandra_h1(std::span<const std::byte> key) noexcept {
  const std::size_t length = key.size();
  const std::size_t nblocks = length / 16;
  std::uint64_t h1 = 0;  // seed 0, as Murmur3Partitioner passes
  std::uint64_t h2 = 0;

  for (std::size_t i = 0; i < nblocks; ++i) {
    std::uint64_t k1 = block_word(key.data() + i * 16);
    std::uint64_t k2 = block_word(key.data() + i * 16 + 8);

    k1 *= c1;
    k1 = std::rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = std::rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;

    k2 *= c2;
    k2 = std::rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = std::rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }

  // The tail: bytes 8..14 feed k2 and bytes 0..7 feed k1, each XORed in
  // sign-extended (the quirk this function exists to reproduce). XOR order
  // does not matter, so a loop replaces Java's fall-through switch.
  const std::byte* tail = key.data() + nblocks * 16;
  const std::size_t rest = length & 15;
  std::uint64_t k1 = 0;
  std::uint64_t k2 = 0;
  for (std::size_t i = 8; i < rest; ++i) k2 ^= tail_byte(tail[i]) << ((i - 8) * 8);
  if (rest > 8) {
    k2 *= c2;
    k2 = std::rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
  }
  for (std::size_t i = 0; i < rest && i < 8; ++i) k1 ^= tail_byte(tail[i]) << (i * 8);
  if (rest > 0) {
    k1 *= c1;
    k1 = std::rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
  }

  h1 ^= length;
  h2 ^= length;
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  // h2 += h1 would finish the 128-bit hash; the token uses only h1.
  return static_cast<std::int64_t>(h1);  // modular since C++20, as Java's long
}

}  // namespace detail

std::int64_t murmur3_token(std::span<const std::byte> key) noexcept {
  return detail::normalize_token(detail::murmur3_cassandra_h1(key));
}

}  // namespace cqlpp::routing
