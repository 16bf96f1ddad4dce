// v5 §2 segments: header layout, CRC errors, encoder packing/splitting, and
// the frame assembler's rules. Byte-exactness against the Python driver is in
// segments_golden_test.cpp.
#include "cqlpp/protocol/segment.hpp"

#include <doctest/doctest.h>

#include <string>

#include "cqlpp/protocol/compression.hpp"
#include "cqlpp/protocol/crc.hpp"
#include "cqlpp/protocol/frame_assembler.hpp"
#include "cqlpp/protocol/segment_encoder.hpp"
#include "test_bytes.hpp"

using namespace cqlpp::protocol;
using cqlpp::test::from_hex;
using cqlpp::test::to_hex;
using bytes = std::vector<std::byte>;

namespace {

// A v5 RESULT response envelope with an n-byte body.
bytes envelope(std::size_t n, std::uint8_t fill = 0x61, std::int16_t stream = 1) {
  bytes e(9 + n, std::byte{fill});
  const auto h = encode_frame_header({5, true, 0, stream, opcode::result,
                                      static_cast<std::uint32_t>(n)});
  std::copy(h.begin(), h.end(), e.begin());
  return e;
}

bytes noise(std::size_t n) {
  bytes v(n);
  std::uint32_t x = 7;
  for (auto& b : v) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    b = static_cast<std::byte>(x);
  }
  return v;
}

// Only for payloads stored raw: an inflated payload would point into the
// decoder destroyed on return.
segment decode_one(bytes_view in, segment_compression c) {
  segment_decoder d(c);
  auto r = d.decode(in);
  REQUIRE(std::holds_alternative<segment>(r));
  return std::get<segment>(r);
}

decode_error decode_err(bytes_view in, segment_compression c) {
  segment_decoder d(c);
  auto r = d.decode(in);
  REQUIRE(std::holds_alternative<decode_error>(r));
  return std::get<decode_error>(r);
}

}  // namespace

TEST_CASE("segment header: layouts of v5 §2.1 and §2.2") {
  bytes out;
  encode_segment_header({9, 0, true}, segment_compression::none, out);
  CHECK(to_hex(out) == "090002a4c8c1");  // 9 | 1<<17, then CRC24 0xc1c8a4, all LE
  out.clear();
  encode_segment_header({9, 0, true}, segment_compression::lz4, out);
  CHECK(to_hex(out) == "0900000004c2b895");  // flag at bit 34
  out.clear();
  encode_segment_header({max_segment_payload, max_segment_payload, false},
                        segment_compression::lz4, out);
  auto h = decode_segment_header(out, segment_compression::lz4);
  REQUIRE(std::holds_alternative<segment_header>(h));
  CHECK(std::get<segment_header>(h) == segment_header{max_segment_payload, max_segment_payload, false});
}

TEST_CASE("segment header: round trip and padding bits are ignored (but CRC-covered)") {
  for (auto c : {segment_compression::none, segment_compression::lz4})
    for (std::uint32_t len : {0u, 1u, 255u, 65536u, max_segment_payload})
      for (bool sc : {false, true}) {
        const segment_header want{len, c == segment_compression::lz4 ? len / 2 : 0, sc};
        bytes out;
        encode_segment_header(want, c, out);
        CHECK(out.size() == segment_header_size(c));
        auto got = decode_segment_header(out, c);
        REQUIRE(std::holds_alternative<segment_header>(got));
        CHECK(std::get<segment_header>(got) == want);
      }
  // Uncompressed header with a padding bit (bit 23) set and a matching CRC24.
  const std::uint64_t bits = 5 | (1u << 17) | (1u << 23);
  const auto crc = crc24(bits, 3);
  bytes raw = {std::byte(bits & 0xFF), std::byte((bits >> 8) & 0xFF), std::byte(bits >> 16),
               std::byte(crc & 0xFF), std::byte((crc >> 8) & 0xFF), std::byte(crc >> 16)};
  auto got = decode_segment_header(raw, segment_compression::none);
  REQUIRE(std::holds_alternative<segment_header>(got));
  CHECK(std::get<segment_header>(got) == segment_header{5, 0, true});
}

TEST_CASE("segment: every flipped bit names the CRC that caught it") {
  for (auto c : {segment_compression::none, segment_compression::lz4}) {
    CAPTURE(static_cast<int>(c));
    bytes seg;
    encode_segment(noise(40), true, c, seg);
    const std::size_t hsize = segment_header_size(c);
    REQUIRE(seg.size() == hsize + 40 + 4);
    for (std::size_t bit = 0; bit < seg.size() * 8; ++bit) {
      CAPTURE(bit);
      bytes bad = seg;
      bad[bit / 8] ^= std::byte(1u << (bit % 8));
      const auto e = decode_err(bad, c);
      if (bit / 8 < hsize) {
        CHECK(e.code == errc::bad_header_crc24);
        CHECK(e.offset == hsize - 3);
        CHECK(std::string(e.field) == "header crc24");
      } else {
        CHECK(e.code == errc::bad_payload_crc32);
        CHECK(e.offset == hsize + 40);
        CHECK(std::string(e.field) == "payload crc32");
      }
    }
  }
}

TEST_CASE("segment: the header CRC is checked before the payload is asked for") {
  bytes seg;
  encode_segment(noise(100), true, segment_compression::none, seg);
  seg[0] ^= std::byte{1};
  CHECK(decode_err(bytes_view(seg).first(6), segment_compression::none).code ==
        errc::bad_header_crc24);
}

TEST_CASE("segment lz4: compressed when it helps, raw with uncompressed length 0 otherwise") {
  bytes text(5000, std::byte{'x'});
  bytes seg;
  encode_segment(text, true, segment_compression::lz4, seg);
  segment_decoder dec(segment_compression::lz4);  // owns the inflated payload
  auto s = std::get<segment>(dec.decode(seg));
  CHECK(s.header.uncompressed_length == 5000);
  CHECK(s.header.payload_length < 5000);
  CHECK(bytes(s.payload.begin(), s.payload.end()) == text);

  seg.clear();
  const auto rnd = noise(5000);
  encode_segment(rnd, false, segment_compression::lz4, seg);
  s = decode_one(seg, segment_compression::lz4);
  CHECK(s.header == segment_header{5000, 0, false});
  CHECK(s.payload.data() == seg.data() + 8);  // raw: a view, no copy
}

TEST_CASE("segment lz4: payloads that do not inflate to the header's length are errors") {
  bytes text(5000, std::byte{'x'});
  bytes block(lz4_compress_bound(text.size()));
  block.resize(lz4_compress_block(text, block));
  auto build = [&](bytes_view payload, std::uint32_t ulen) {
    bytes seg;
    encode_segment_header({static_cast<std::uint32_t>(payload.size()), ulen, true},
                          segment_compression::lz4, seg);
    seg.insert(seg.end(), payload.begin(), payload.end());
    const auto crc = segment_crc32(payload);
    for (int i = 0; i < 4; ++i) seg.push_back(std::byte((crc >> (8 * i)) & 0xFF));
    return seg;
  };
  CHECK(decode_one(build(block, 5000), segment_compression::lz4).header.uncompressed_length == 5000);
  for (std::uint32_t ulen : {4999u, 5001u, max_segment_payload}) {
    const auto e = decode_err(build(block, ulen), segment_compression::lz4);
    CHECK(e.code == errc::decompression_failed);
    CHECK(e.offset == 8);
  }
  CHECK(decode_err(build({}, 10), segment_compression::lz4).code == errc::decompression_failed);
  bytes garbage = block;
  garbage[0] = std::byte{0xFF};
  CHECK(decode_err(build(garbage, 5000), segment_compression::lz4).code ==
        errc::decompression_failed);
}

TEST_CASE("segment encoder: packs small envelopes, flushes before a large one, splits it") {
  const auto a = envelope(10), b = envelope(20, 0x62), big = envelope(300000, 0x63);
  segment_encoder enc;
  bytes out;
  enc.add(a, out);
  enc.add(b, out);
  CHECK(out.empty());
  CHECK(enc.has_pending());
  enc.add(big, out);  // flushes a+b, then three non-self-contained pieces
  enc.add(a, out);
  enc.flush(out);
  CHECK_FALSE(enc.has_pending());
  enc.flush(out);  // nothing pending: nothing emitted

  segment_decoder dec;
  bytes_view in(out);
  std::vector<std::pair<std::size_t, bool>> shape;
  while (!in.empty()) {
    auto s = std::get<segment>(dec.decode(in));
    shape.emplace_back(s.payload.size(), s.header.self_contained);
    in = in.subspan(s.size);
  }
  const std::size_t m = max_segment_payload;
  CHECK(shape == std::vector<std::pair<std::size_t, bool>>{
                     {a.size() + b.size(), true}, {m, false}, {m, false},
                     {big.size() - 2 * m, false}, {a.size(), true}});
}

TEST_CASE("segment encoder: envelopes that exactly fill a segment share it; one more byte spills") {
  const auto a = envelope(65535 - 9), b = envelope(65536 - 9);
  REQUIRE(a.size() + b.size() == max_segment_payload);
  bytes out;
  segment_encoder enc;
  enc.add(a, out);
  enc.add(b, out);
  enc.add(envelope(0), out);
  CHECK(out.size() == 6 + max_segment_payload + 4);  // a+b flushed when the third came
  enc.flush(out);
  CHECK(out.size() == 6 + max_segment_payload + 4 + 6 + 9 + 4);
}

TEST_CASE("frame assembler: a self-contained segment yields its envelopes as views") {
  bytes payload = envelope(3);
  const auto e2 = envelope(0, 0, 2);
  payload.insert(payload.end(), e2.begin(), e2.end());
  frame_assembler fa;
  auto r = fa.push(payload, true);
  REQUIRE(r.has_value());
  CHECK(r->count() == 2);
  auto it = r->begin();
  CHECK((*it).body.data() == payload.data() + 9);
  CHECK((*it).header.stream == 1);
  ++it;
  CHECK((*it).header.stream == 2);
  CHECK(++it == r->end());
  CHECK(fa.push({}, true)->empty());  // an empty self-contained payload: no envelopes
}

TEST_CASE("frame assembler: protocol violations") {
  frame_assembler fa;
  SUBCASE("self-contained segment ending inside an envelope, at every cut") {
    bytes payload = envelope(5);
    const auto second = envelope(20);
    payload.insert(payload.end(), second.begin(), second.end());
    for (std::size_t n = 15; n < payload.size(); ++n) {
      auto r = fa.push(bytes_view(payload).first(n), true);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().code == errc::truncated);
      CHECK(r.error().offset == 14);
      CHECK(std::string(r.error().field) == "envelope");
    }
  }
  SUBCASE("self-contained segment while a large envelope is incomplete") {
    const auto big = envelope(100);
    REQUIRE(fa.push(bytes_view(big).first(50), false).has_value());
    CHECK(fa.in_progress());
    auto r = fa.push(envelope(1), true);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::truncated);
    CHECK(std::string(r.error().field) == "large envelope");
  }
  SUBCASE("a non-self-contained piece running past its envelope") {
    bytes piece = envelope(100);
    piece.push_back(std::byte{0});
    auto r = fa.push(piece, false);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::trailing_bytes);
    CHECK(r.error().offset == 109);
    fa = frame_assembler();
    REQUIRE(fa.push(bytes_view(piece).first(50), false).has_value());
    r = fa.push(bytes_view(piece).subspan(50), false);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == errc::trailing_bytes);
    CHECK(r.error().offset == 59);
  }
  SUBCASE("envelope over the configured limit, in either kind of segment") {
    frame_assembler small(frame_limits{1000});
    auto r = small.push(envelope(1001), true);
    CHECK(r.error().code == errc::frame_too_large);
    r = small.push(bytes_view(envelope(1001)).first(9), false);
    CHECK(r.error().code == errc::frame_too_large);
  }
  SUBCASE("bad envelope header inside a self-contained segment gives its offset") {
    bytes payload = envelope(1);
    bytes bad = envelope(1);
    bad[4] = std::byte{0x42};  // no such opcode
    payload.insert(payload.end(), bad.begin(), bad.end());
    auto r = fa.push(payload, true);
    CHECK(r.error().code == errc::unknown_opcode);
    CHECK(r.error().offset == 10 + 4);
  }
}

TEST_CASE("frame assembler: a large envelope cut at every point reassembles") {
  const auto big = envelope(200, 0x33, 9);
  for (std::size_t cut = 0; cut <= big.size(); ++cut) {
    CAPTURE(cut);
    frame_assembler fa;
    auto first = fa.push(bytes_view(big).first(cut), false);
    REQUIRE(first.has_value());
    CHECK(first->empty() == (cut < big.size()));
    if (cut == big.size()) continue;
    auto second = fa.push(bytes_view(big).subspan(cut), false);
    REQUIRE(second.has_value());
    REQUIRE(second->count() == 1);
    CHECK(to_hex(second->bytes()) == to_hex(big));
    CHECK((*second->begin()).header.stream == 9);
    CHECK_FALSE(fa.in_progress());
    // The assembler is ready for the next envelope of either kind.
    CHECK(fa.push(envelope(2), true)->count() == 1);
  }
  // One byte per segment, header included.
  frame_assembler fa;
  for (std::size_t i = 0; i < big.size(); ++i) {
    auto r = fa.push(bytes_view(big).subspan(i, 1), false);
    REQUIRE(r.has_value());
    CHECK(r->empty() == (i + 1 < big.size()));
  }
}
