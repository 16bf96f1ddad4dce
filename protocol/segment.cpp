#include "cqlpp/protocol/segment.hpp"

#include <cassert>
#include <cstring>

#include "cqlpp/protocol/compression.hpp"
#include "cqlpp/protocol/crc.hpp"

namespace cqlpp::protocol {
namespace {

// v5 §2.1/§2.2: the self-contained flag follows the 17-bit length field(s).
constexpr unsigned self_contained_bit(segment_compression c) noexcept {
  return c == segment_compression::lz4 ? 34 : 17;
}

constexpr std::size_t header_fields_size(segment_compression c) noexcept {
  return segment_header_size(c) - segment_crc24_size;
}

std::uint64_t load_le(const std::byte* p, std::size_t n) noexcept {
  std::uint64_t v = 0;
  for (std::size_t i = n; i-- > 0;) v = (v << 8) | std::to_integer<std::uint64_t>(p[i]);
  return v;
}

void store_le(std::byte* p, std::uint64_t v, std::size_t n) noexcept {
  for (std::size_t i = 0; i < n; ++i, v >>= 8) p[i] = static_cast<std::byte>(v & 0xFF);
}

void append_le(std::vector<std::byte>& out, std::uint64_t v, std::size_t n) {
  const std::size_t base = out.size();
  out.resize(base + n);
  store_le(out.data() + base, v, n);
}

// Writes header + CRC24 at `p`, which has segment_header_size(c) bytes.
void write_header(std::byte* p, const segment_header& h, segment_compression c) noexcept {
  assert(h.payload_length <= max_segment_payload);
  assert(h.uncompressed_length <= max_segment_payload);
  std::uint64_t bits = h.payload_length;
  if (c == segment_compression::lz4) bits |= std::uint64_t{h.uncompressed_length} << 17;
  if (h.self_contained) bits |= std::uint64_t{1} << self_contained_bit(c);
  const std::size_t n = header_fields_size(c);
  store_le(p, bits, n);
  store_le(p + n, crc24(bits, n), segment_crc24_size);
}

}  // namespace

void encode_segment_header(const segment_header& h, segment_compression c,
                           std::vector<std::byte>& out) {
  const std::size_t base = out.size();
  out.resize(base + segment_header_size(c));
  write_header(out.data() + base, h, c);
}

void encode_segment(bytes_view payload, bool self_contained, segment_compression c,
                    std::vector<std::byte>& out) {
  assert(payload.size() <= max_segment_payload);
  const std::size_t base = out.size();
  const std::size_t hsize = segment_header_size(c);
  segment_header h{static_cast<std::uint32_t>(payload.size()), 0, self_contained};
  if (c == segment_compression::lz4 && !payload.empty()) {
    // Compress straight into place after the header; keep it only if it is
    // strictly smaller (v5 §2.2: otherwise send raw, uncompressed length 0).
    const std::size_t bound = lz4_compress_bound(payload.size());
    out.resize(base + hsize + bound);
    const std::size_t n = lz4_compress_block(payload, std::span(out).subspan(base + hsize, bound));
    if (n > 0 && n < payload.size()) {
      out.resize(base + hsize + n);
      h = {static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(payload.size()),
           self_contained};
      write_header(out.data() + base, h, c);
      append_le(out, segment_crc32(bytes_view(out).subspan(base + hsize, n)), segment_crc32_size);
      return;
    }
    out.resize(base);
  }
  out.resize(base + hsize);
  write_header(out.data() + base, h, c);
  out.insert(out.end(), payload.begin(), payload.end());  // no zero-fill first
  append_le(out, segment_crc32(payload), segment_crc32_size);
}

std::variant<segment_header, need_more, decode_error> decode_segment_header(
    bytes_view in, segment_compression c) noexcept {
  const std::size_t hsize = segment_header_size(c);
  if (in.size() < hsize) return need_more{hsize - in.size()};
  const std::size_t n = header_fields_size(c);
  const std::uint64_t bits = load_le(in.data(), n);
  // The CRC covers the header as received, padding bits included.
  if (load_le(in.data() + n, segment_crc24_size) != crc24(bits, n))
    return decode_error{errc::bad_header_crc24, n, "header crc24"};
  segment_header h;
  h.payload_length = static_cast<std::uint32_t>(bits & max_segment_payload);
  if (c == segment_compression::lz4)
    h.uncompressed_length = static_cast<std::uint32_t>((bits >> 17) & max_segment_payload);
  h.self_contained = ((bits >> self_contained_bit(c)) & 1) != 0;
  return h;
}

segment_decode_result segment_decoder::decode(bytes_view in) {
  auto hr = decode_segment_header(in, compression_);
  if (auto* e = std::get_if<decode_error>(&hr)) return *e;
  if (auto* m = std::get_if<need_more>(&hr)) return *m;
  const segment_header h = std::get<segment_header>(hr);

  // Both lengths are at most 17 bits, so the segment size is bounded and no
  // hostile header can ask for more than 128 KiB of buffer.
  const std::size_t hsize = segment_header_size(compression_);
  const std::size_t total = hsize + h.payload_length + segment_crc32_size;
  if (in.size() < total) return need_more{total - in.size()};

  const bytes_view wire = in.subspan(hsize, h.payload_length);
  const std::size_t crc_at = hsize + h.payload_length;
  if (load_le(in.data() + crc_at, segment_crc32_size) != segment_crc32(wire))
    return decode_error{errc::bad_payload_crc32, crc_at, "payload crc32"};

  segment s{h, wire, total};
  if (compression_ == segment_compression::lz4 && h.uncompressed_length != 0) {
    inflated_.resize(h.uncompressed_length);
    if (!lz4_decompress_block(wire, inflated_))
      return decode_error{errc::decompression_failed, hsize, "lz4 payload"};
    s.payload = inflated_;
  }
  return s;
}

}  // namespace cqlpp::protocol
