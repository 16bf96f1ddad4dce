// Fuzz target: decode_response on an arbitrary body.
// First byte: bit 0 = version (4/5), bits 1..4 = opcode index among response
// opcodes, bits 5..7 = header flags (tracing, custom payload, warning).
// When the body decodes, encode -> decode -> encode must be stable.
#include <array>

#include "fuzz/fuzz_target.hpp"
#include "cqlpp/protocol/message.hpp"

using namespace cqlpp::protocol;

FUZZ_TARGET(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static constexpr std::array<opcode, 8> ops{opcode::error, opcode::ready, opcode::authenticate,
                                             opcode::supported, opcode::result, opcode::event,
                                             opcode::auth_challenge, opcode::auth_success};
  const auto v = (data[0] & 1) ? protocol_version::v5 : protocol_version::v4;
  frame_view f;
  f.header.version = static_cast<std::uint8_t>(v);
  f.header.response = true;
  f.header.op = ops[(data[0] >> 1) & 7];
  f.header.flags = static_cast<std::uint8_t>(((data[0] >> 4) & 0x0E));
  f.body = bytes_view(reinterpret_cast<const std::byte*>(data + 1), size - 1);
  f.header.length = static_cast<std::uint32_t>(f.body.size());
  auto d = decode_response(f, v);
  if (!d) return 0;
  std::vector<std::byte> once;
  if (encode_response(once, d->message, d->stream, v, d->extras)) return 0;  // e.g. bad combos
  auto f2 = decode_frame(once);
  FUZZ_ASSERT(std::holds_alternative<frame_view>(f2));
  auto d2 = decode_response(std::get<frame_view>(f2), v);
  FUZZ_ASSERT(d2.has_value());
  std::vector<std::byte> twice;
  FUZZ_ASSERT(!encode_response(twice, d2->message, d2->stream, v, d2->extras));
  FUZZ_ASSERT(once == twice);
  // Walk every cell of a row set: iteration must not fail or read out of bounds.
  if (const auto* rows = std::get_if<rows_result>(&d->message)) {
    std::size_t n = 0;
    for (const auto row : *rows) {
      for (std::size_t i = 0; i < row.size(); ++i) (void)row[i];
      if (++n > 10000) break;
    }
  }
  return 0;
}
