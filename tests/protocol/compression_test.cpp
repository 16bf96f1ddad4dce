#include "cqlpp/protocol/compression.hpp"

#include <doctest/doctest.h>

#include <string>

#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;

namespace {

std::vector<std::byte> sample(std::size_t n, bool compressible) {
  std::vector<std::byte> v(n);
  std::uint32_t x = 2463534242u;
  for (std::size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    v[i] = static_cast<std::byte>(compressible ? "abcdefgh"[i % 8] : static_cast<char>(x));
  }
  return v;
}

}  // namespace

TEST_CASE("lz4 body: round trip at assorted sizes, appending after existing bytes") {
  for (std::size_t n : {0u, 1u, 15u, 16u, 1000u, 65536u, 300000u}) {
    for (bool comp : {true, false}) {
      CAPTURE(n);
      CAPTURE(comp);
      const auto body = sample(n, comp);
      std::vector<std::byte> out{std::byte{0xAA}};
      CHECK_FALSE(compress_body(body, out));
      CHECK(out[0] == std::byte{0xAA});
      // v4 §5: big-endian uncompressed length first.
      CHECK(std::to_integer<std::size_t>(out[1]) == (n >> 24));
      CHECK(std::to_integer<std::size_t>(out[4]) == (n & 0xFF));
      auto back = decompress_body(bytes_view(out).subspan(1));
      REQUIRE(back.has_value());
      CHECK(*back == body);
    }
  }
}

TEST_CASE("lz4 body: lengths are checked before allocating") {
  SUBCASE("default maximum is the protocol's 256 MiB") {
    auto r = decompress_body(from_hex("10000001 00"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::frame_too_large);
    CHECK(r.error().offset == 0);
  }
  SUBCASE("configurable maximum") {
    std::vector<std::byte> out;
    CHECK_FALSE(compress_body(sample(101, true), out));
    auto r = decompress_body(out, 100);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::frame_too_large);
    CHECK(decompress_body(out, 101).has_value());
  }
  SUBCASE("a huge prefix on a tiny block is refused without inflating") {
    auto r = decompress_body(from_hex("0c000000 1f00"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::decompression_failed);
    CHECK(r.error().offset == 4);
  }
  SUBCASE("fewer than 4 bytes") {
    for (std::size_t n = 0; n < 4; ++n) {
      auto r = decompress_body(bytes_view(from_hex("00000000")).first(n));
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == errc::truncated);
    }
  }
}

TEST_CASE("lz4 body: the block must inflate to exactly the announced length") {
  std::vector<std::byte> out;
  CHECK_FALSE(compress_body(sample(1000, true), out));
  SUBCASE("prefix one too large") {
    out[3] = static_cast<std::byte>(std::to_integer<int>(out[3]) + 1);
    auto r = decompress_body(out);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::decompression_failed);
    CHECK(r.error().offset == 4);
    CHECK(std::string(r.error().field) == "lz4 block");
  }
  SUBCASE("prefix one too small") {
    out[3] = static_cast<std::byte>(std::to_integer<int>(out[3]) - 1);
    CHECK(decompress_body(out).error().code == errc::decompression_failed);
  }
  SUBCASE("every truncation of the block") {
    for (std::size_t n = 4; n < out.size(); ++n)
      CHECK(decompress_body(bytes_view(out).first(n)).error().code == errc::decompression_failed);
  }
  SUBCASE("garbage block") {
    auto r = decompress_body(from_hex("00000010 ffffffffffffffff"));
    CHECK(r.error().code == errc::decompression_failed);
  }
}

TEST_CASE("lz4 block helpers") {
  const auto in = sample(5000, true);
  std::vector<std::byte> out(lz4_compress_bound(in.size()));
  const auto n = lz4_compress_block(in, out);
  REQUIRE(n > 0);
  CHECK(n < in.size());
  std::vector<std::byte> back(in.size());
  CHECK(lz4_decompress_block(bytes_view(out).first(n), back));
  CHECK(back == in);
  std::vector<std::byte> small(in.size() - 1), big(in.size() + 1);
  CHECK_FALSE(lz4_decompress_block(bytes_view(out).first(n), small));
  CHECK_FALSE(lz4_decompress_block(bytes_view(out).first(n), big));
  CHECK_FALSE(lz4_decompress_block({}, back));
  // Output too small for the compressed block: refused, not overrun.
  std::vector<std::byte> tiny(4);
  CHECK(lz4_compress_block(sample(5000, false), tiny) == 0);
}
