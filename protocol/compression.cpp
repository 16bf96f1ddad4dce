#include "cqlpp/protocol/compression.hpp"

#include <lz4.h>

#include <climits>

namespace cqlpp::protocol {

std::size_t lz4_compress_bound(std::size_t n) noexcept {
  if (n > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) return 0;
  return static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(n)));
}

std::size_t lz4_compress_block(bytes_view in, std::span<std::byte> out) noexcept {
  if (in.size() > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE)) return 0;
  const int cap = out.size() > static_cast<std::size_t>(INT_MAX) ? INT_MAX
                                                                   : static_cast<int>(out.size());
  const int n = LZ4_compress_default(reinterpret_cast<const char*>(in.data()),
                                     reinterpret_cast<char*>(out.data()),
                                     static_cast<int>(in.size()), cap);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

bool lz4_decompress_block(bytes_view in, std::span<std::byte> out) noexcept {
  if (in.size() > static_cast<std::size_t>(INT_MAX) ||
      out.size() > static_cast<std::size_t>(INT_MAX))
    return false;
  // LZ4_decompress_safe is the variant documented as safe against malicious
  // input: it never reads past `in` nor writes past `out`.
  const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(in.data()),
                                    reinterpret_cast<char*>(out.data()),
                                    static_cast<int>(in.size()), static_cast<int>(out.size()));
  return n >= 0 && static_cast<std::size_t>(n) == out.size();
}

std::error_code compress_body(bytes_view body, std::vector<std::byte>& out) {
  if (body.size() > max_frame_body) return errc::too_large;
  const std::size_t base = out.size();
  const std::size_t bound = lz4_compress_bound(body.size());
  out.resize(base + lz4_body_prefix_size + bound);
  const auto len = static_cast<std::uint32_t>(body.size());
  for (std::size_t i = 0; i < 4; ++i)
    out[base + i] = static_cast<std::byte>(len >> (24 - 8 * i));
  const std::size_t n =
      lz4_compress_block(body, std::span(out).subspan(base + lz4_body_prefix_size, bound));
  out.resize(base + lz4_body_prefix_size + n);
  return {};
}

std::optional<decode_error> decompress_body_into(bytes_view compressed, std::vector<std::byte>& out,
                                                std::uint32_t max_uncompressed) {
  if (compressed.size() < lz4_body_prefix_size)
    return decode_error{errc::truncated, 0, "uncompressed length"};
  std::uint32_t len = 0;
  for (std::size_t i = 0; i < 4; ++i) len = (len << 8) | std::to_integer<std::uint32_t>(compressed[i]);
  if (len > max_uncompressed) return decode_error{errc::frame_too_large, 0, "uncompressed length"};
  // LZ4 expands at most 255:1, so a block shorter than len/255 cannot fill the
  // buffer: refuse it before allocating `len` bytes on a hostile prefix.
  const bytes_view block = compressed.subspan(lz4_body_prefix_size);
  if (len / 255 > block.size())
    return decode_error{errc::decompression_failed, lz4_body_prefix_size, "lz4 block"};
  out.resize(len);
  if (!lz4_decompress_block(block, out))
    return decode_error{errc::decompression_failed, lz4_body_prefix_size, "lz4 block"};
  return std::nullopt;
}

result<std::vector<std::byte>> decompress_body(bytes_view compressed, std::uint32_t max_uncompressed) {
  std::vector<std::byte> out;
  if (auto e = decompress_body_into(compressed, out, max_uncompressed)) return *e;
  return out;
}

}  // namespace cqlpp::protocol
