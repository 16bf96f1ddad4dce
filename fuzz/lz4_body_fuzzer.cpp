// Fuzz target: v4 lz4 body decompression with a small limit, and the
// compress -> decompress round trip of the raw input.
#include <algorithm>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/compression.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  const bytes_view in(reinterpret_cast<const std::byte*>(data), size);
  constexpr std::uint32_t limit = 1u << 16;

  auto r = decompress_body(in, limit);
  if (r) {
    FUZZ_ASSERT(r->size() <= limit);
    std::vector<std::byte> again;
    FUZZ_ASSERT(!compress_body(*r, again));
    auto back = decompress_body(again, limit);
    FUZZ_ASSERT(back.has_value() && *back == *r);
  } else {
    FUZZ_ASSERT(r.error().offset <= size);
  }

  std::vector<std::byte> packed;
  FUZZ_ASSERT(!compress_body(in, packed));
  auto back = decompress_body(packed, static_cast<std::uint32_t>(size));
  FUZZ_ASSERT(back.has_value());
  FUZZ_ASSERT(std::equal(back->begin(), back->end(), in.begin(), in.end()));
  if (size > 0) {
    auto refused = decompress_body(packed, static_cast<std::uint32_t>(size - 1));
    FUZZ_ASSERT(!refused.has_value() && refused.error().code == errc::frame_too_large);
  }
  return 0;
}
