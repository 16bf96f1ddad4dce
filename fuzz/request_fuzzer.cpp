// Fuzz target: decode_request on an arbitrary body (the server side).
// First byte: bit 0 = version (4/5), bits 1..3 = request opcode, bits 4..6 =
// header flags (tracing, custom payload, beta). When the body decodes,
// encode -> decode -> encode must be stable and decode to an equal message.
#include <array>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/message.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static constexpr std::array<opcode, 8> ops{opcode::startup, opcode::options, opcode::auth_response,
                                             opcode::register_, opcode::query, opcode::prepare,
                                             opcode::execute, opcode::batch};
  const auto v = (data[0] & 1) ? protocol_version::v5 : protocol_version::v4;
  frame_view f;
  f.header.version = static_cast<std::uint8_t>(v);
  f.header.op = ops[(data[0] >> 1) & 7];
  const std::uint8_t fl = static_cast<std::uint8_t>(data[0] >> 4);
  f.header.flags = static_cast<std::uint8_t>(((fl & 1) ? frame_flags::tracing : 0) |
                                             ((fl & 2) ? frame_flags::custom_payload : 0) |
                                             ((fl & 4) ? frame_flags::use_beta : 0));
  f.body = bytes_view(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  f.header.length = static_cast<std::uint32_t>(f.body.size());
  auto d = decode_request(f, v);
  if (!d) return 0;
  std::vector<std::byte> once;
  if (encode_request(once, d->message, d->stream, v, d->extras)) return 0;
  auto f2 = decode_frame(once);
  FUZZ_ASSERT(std::holds_alternative<frame_view>(f2));
  auto d2 = decode_request(std::get<frame_view>(f2), v);
  FUZZ_ASSERT(d2.has_value());
  std::vector<std::byte> twice;
  FUZZ_ASSERT(!encode_request(twice, d2->message, d2->stream, v, d2->extras));
  FUZZ_ASSERT(once == twice);
  return 0;
}
