// Fuzz target: structure-aware generation (protocol/generate.hpp). The input
// drives generate_request and generate_type/generate_value instead of being
// decoded as bytes. Checks: every generated request encodes without error and
// decodes back to itself (v4 and v5); every generated value encodes for its
// type and decodes back to itself.
#include "cqlpp/protocol/generate.hpp"
#include "fuzz/fuzz_target.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  byte_source src(bytes_view(reinterpret_cast<const std::byte*>(data), size));
  const auto v = src.boolean() ? protocol_version::v5 : protocol_version::v4;
  const auto g = generate_request(src, v);
  std::vector<std::byte> wire;
  FUZZ_ASSERT(!encode_request(wire, g.message, static_cast<std::int16_t>(src.u16() & 0x7FFF), v));
  const auto f = decode_frame(wire);
  const auto* frame = std::get_if<frame_view>(&f);
  FUZZ_ASSERT(frame != nullptr);
  const auto back = decode_request(*frame, v);
  FUZZ_ASSERT(back.has_value());
  FUZZ_ASSERT(back->message == g.message);

  const auto t = generate_type(src);
  const auto value = generate_value(src, t);
  std::vector<std::byte> cell;
  writer w(cell);
  FUZZ_ASSERT(!encode_value(w, value, t));
  reader r(cell);
  const auto view = r.value("value");
  FUZZ_ASSERT(r.ok());
  const auto decoded = decode_value(view, t);
  FUZZ_ASSERT(decoded.has_value());
  FUZZ_ASSERT(*decoded == value);
  return 0;
}
