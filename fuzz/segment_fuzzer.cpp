// Fuzz target: v5 segment decoder + frame assembler on arbitrary bytes.
//
// First byte: bit 0 selects lz4 segments; bit 1 makes the target repair every
// header CRC24 and payload CRC32 first, so the fuzzer gets past the checksums
// into decompression and envelope assembly; bit 2 picks a small envelope limit.
// Every segment that decodes is re-encoded and decoded again: same payload,
// same self-contained flag.
#include <algorithm>
#include <vector>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/crc.hpp"
#include "cqlpp/protocol/frame_assembler.hpp"
#include "cqlpp/protocol/segment.hpp"

using namespace cqlpp::protocol;

namespace {

std::uint64_t load_le(const std::byte* p, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

void store_le(std::byte* p, std::uint64_t v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i, v >>= 8) p[i] = static_cast<std::byte>(v & 0xFF);
}

// Rewrites the CRCs of every segment laid out in `buf` so they are valid.
void repair_crcs(std::vector<std::byte>& buf, segment_compression c) {
  const std::size_t hsize = segment_header_size(c);
  const std::size_t fields = hsize - segment_crc24_size;
  std::size_t at = 0;
  while (buf.size() - at >= hsize) {
    const std::uint64_t bits = load_le(buf.data() + at, fields);
    store_le(buf.data() + at + fields, crc24(bits, fields), segment_crc24_size);
    const std::size_t len = bits & max_segment_payload;
    const std::size_t total = hsize + len + segment_crc32_size;
    if (buf.size() - at < total) return;
    const bytes_view payload(buf.data() + at + hsize, len);
    store_le(buf.data() + at + hsize + len, segment_crc32(payload), segment_crc32_size);
    at += total;
  }
}

void check_reencode(const segment& s, segment_compression c) {
  std::vector<std::byte> again;
  encode_segment(s.payload, s.header.self_contained, c, again);
  segment_decoder d(c);
  auto r = d.decode(again);
  FUZZ_ASSERT(std::holds_alternative<segment>(r));
  const auto& s2 = std::get<segment>(r);
  FUZZ_ASSERT(s2.size == again.size());
  FUZZ_ASSERT(s2.header.self_contained == s.header.self_contained);
  FUZZ_ASSERT(std::equal(s.payload.begin(), s.payload.end(), s2.payload.begin(), s2.payload.end()));
}

}  // namespace

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const auto c = (mode & 1) ? segment_compression::lz4 : segment_compression::none;
  std::vector<std::byte> buf(reinterpret_cast<const std::byte*>(data) + 1,
                             reinterpret_cast<const std::byte*>(data) + size);
  if (mode & 2) repair_crcs(buf, c);
  frame_limits limits;
  if (mode & 4) limits.max_body_length = 300;

  segment_decoder dec(c);
  frame_assembler fa(limits);
  bytes_view in(buf);
  while (!in.empty()) {
    auto r = dec.decode(in);
    if (auto* m = std::get_if<need_more>(&r)) {
      FUZZ_ASSERT(m->bytes > 0);
      break;
    }
    if (auto* e = std::get_if<decode_error>(&r)) {
      FUZZ_ASSERT(e->offset <= in.size());
      break;
    }
    const segment s = std::get<segment>(r);
    FUZZ_ASSERT(s.size <= in.size());
    FUZZ_ASSERT(s.payload.size() <= max_segment_payload);
    check_reencode(s, c);
    auto b = fa.push(s);
    if (!b) {
      FUZZ_ASSERT(b.error().code.category() == protocol_category());
      break;
    }
    std::size_t total = 0;
    for (const frame_view f : *b) {
      FUZZ_ASSERT(f.header.length <= limits.max_body_length);
      total += f.size();
    }
    FUZZ_ASSERT(total == b->bytes().size());
    in = in.subspan(s.size);
  }
  return 0;
}
