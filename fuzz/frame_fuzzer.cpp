// Fuzz target: frame header + frame boundary decoding.
// Checks that a decoded frame re-encodes to the same header bytes.
#include <cstring>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/frame.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  const bytes_view in(reinterpret_cast<const std::byte*>(data), size);
  auto r = decode_frame(in, frame_limits{1 << 20});
  if (auto* f = std::get_if<frame_view>(&r)) {
    const auto h = encode_frame_header(f->header);
    FUZZ_ASSERT(std::memcmp(h.data(), data, h.size()) == 0);
    FUZZ_ASSERT(f->size() <= size);
  }
  return 0;
}
