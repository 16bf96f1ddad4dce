// Structure-aware generation: what generate_request and generate_value build
// is valid — it encodes and decodes back to itself — for every input.
#include "cqlpp/protocol/generate.hpp"

#include <doctest/doctest.h>

#include <set>

using namespace cqlpp::protocol;

namespace {

// A deterministic pseudo-random input of n bytes (xorshift), one per seed.
std::vector<std::byte> input(std::uint64_t seed, std::size_t n) {
  std::vector<std::byte> b(n);
  std::uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (auto& c : b) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<std::byte>(x);
  }
  return b;
}

}  // namespace

TEST_CASE("generate_request: 4,000 inputs, every opcode, each encodes and decodes back to itself") {
  std::set<opcode> seen;
  for (std::uint64_t seed = 0; seed < 4000; ++seed) {
    const auto bytes = input(seed, 256);
    byte_source src(bytes);
    const auto v = seed % 2 ? protocol_version::v5 : protocol_version::v4;
    const auto g = generate_request(src, v);
    seen.insert(opcode_of(g.message));
    std::vector<std::byte> wire;
    REQUIRE_FALSE(encode_request(wire, g.message, 1, v));
    const auto f = decode_frame(wire);
    REQUIRE(std::holds_alternative<frame_view>(f));
    const auto back = decode_request(std::get<frame_view>(f), v);
    REQUIRE(back.has_value());
    CHECK(back->message == g.message);
  }
  CHECK(seen.size() == 8);  // STARTUP, OPTIONS, AUTH_RESPONSE, REGISTER, QUERY, PREPARE, EXECUTE, BATCH
}

TEST_CASE("generate_value: values of generated types round-trip; an empty input still gives something valid") {
  std::set<type_kind> kinds;
  for (std::uint64_t seed = 0; seed < 4000; ++seed) {
    const auto bytes = input(seed, 128);
    byte_source src(bytes);
    const auto t = generate_type(src);
    kinds.insert(t.kind);
    const auto value = generate_value(src, t);
    std::vector<std::byte> cell;
    writer w(cell);
    REQUIRE_FALSE(encode_value(w, value, t));
    reader r(cell);
    const auto view = r.value("value");
    REQUIRE(r.ok());
    const auto decoded = decode_value(view, t);
    REQUIRE(decoded.has_value());
    CHECK(*decoded == value);
  }
  CHECK(kinds.size() >= 25);  // natives, collections, tuple, UDT, vector, custom
  byte_source none(bytes_view{});
  const auto g = generate_request(none, protocol_version::v4);
  std::vector<std::byte> wire;
  CHECK_FALSE(encode_request(wire, g.message, 0, protocol_version::v4));
}
