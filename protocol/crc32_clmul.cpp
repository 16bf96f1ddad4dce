// CRC-32 by carry-less multiplication (x86-64 PCLMULQDQ), for crc.cpp.
//
// Folding, after Intel's "Fast CRC Computation for Generic Polynomials Using
// PCLMULQDQ" (2009), in its bit-reflected form: four 128-bit lanes are folded
// forward 512 bits at a time, then into one lane, then reduced to 32 bits
// (Barrett). The constants are x^n mod P for the fold distances, bit-reflected
// and shifted left by one, plus P' and mu = floor(x^64 / P); each is derived
// in the comment beside it and checked against the table method by the tests.
#include "cqlpp/protocol/detail/crc32_clmul.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

namespace cqlpp::protocol::detail {
namespace {

constexpr long long k1 = 0x154442bd4;  // x^(4*128+32) mod P: fold 512 bits, low half
constexpr long long k2 = 0x1c6e41596;  // x^(4*128-32) mod P: fold 512 bits, high half
constexpr long long k3 = 0x1751997d0;  // x^(128+32) mod P: fold 128 bits, low half
constexpr long long k4 = 0x0ccaa009e;  // x^(128-32) mod P: fold 128 bits, high half
constexpr long long k5 = 0x163cd6124;  // x^64 mod P: 96 bits to 64
constexpr long long p_r = 0x1db710641;  // P, reflected (33 bits)
constexpr long long mu = 0x1f7011641;   // floor(x^64 / P), reflected

__attribute__((target("pclmul,sse4.1"))) inline __m128i fold(__m128i x, __m128i k, __m128i next) {
  const __m128i lo = _mm_clmulepi64_si128(x, k, 0x00);
  const __m128i hi = _mm_clmulepi64_si128(x, k, 0x11);
  return _mm_xor_si128(_mm_xor_si128(lo, hi), next);
}

__attribute__((target("pclmul,sse4.1"))) inline __m128i load(const unsigned char* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

}  // namespace

bool crc32_clmul_available() noexcept {
  static const bool ok = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return ok;
}

__attribute__((target("pclmul,sse4.1")))
std::uint32_t crc32_clmul(std::uint32_t state, const unsigned char* p, std::size_t n) noexcept {
  __m128i x1 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(state)));
  __m128i x2 = load(p + 16), x3 = load(p + 32), x4 = load(p + 48);
  p += 64;
  n -= 64;
  const __m128i k12 = _mm_set_epi64x(k2, k1);
  while (n >= 64) {
    x1 = fold(x1, k12, load(p));
    x2 = fold(x2, k12, load(p + 16));
    x3 = fold(x3, k12, load(p + 32));
    x4 = fold(x4, k12, load(p + 48));
    p += 64;
    n -= 64;
  }
  const __m128i k34 = _mm_set_epi64x(k4, k3);
  x1 = fold(x1, k34, x2);
  x1 = fold(x1, k34, x3);
  x1 = fold(x1, k34, x4);
  while (n >= 16) {
    x1 = fold(x1, k34, load(p));
    p += 16;
    n -= 16;
  }
  // 128 bits to 96: the low half times x^(128-32), added to the high half.
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k34, 0x10));
  // 96 to 64: the low 32 bits times x^64, added to the rest.
  const __m128i mask32 = _mm_setr_epi32(-1, 0, 0, 0);
  const __m128i k5v = _mm_set_epi64x(0, k5);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 4), _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5v, 0x00));
  // Barrett reduction: q = (low 32 bits * mu) mod x^32, remainder = x ^ q * P.
  const __m128i pmu = _mm_set_epi64x(mu, p_r);
  __m128i t = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), pmu, 0x10);
  t = _mm_clmulepi64_si128(_mm_and_si128(t, mask32), pmu, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, t), 1));
}

}  // namespace cqlpp::protocol::detail

#else

namespace cqlpp::protocol::detail {
bool crc32_clmul_available() noexcept { return false; }
std::uint32_t crc32_clmul(std::uint32_t state, const unsigned char*, std::size_t) noexcept { return state; }
}  // namespace cqlpp::protocol::detail

#endif
