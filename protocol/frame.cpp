#include "cqlpp/protocol/frame.hpp"

#include "cqlpp/protocol/reader.hpp"

namespace cqlpp::protocol {

std::array<std::byte, frame_header_size> encode_frame_header(const frame_header& h) noexcept {
  const auto s = static_cast<std::uint16_t>(h.stream);
  return {
      static_cast<std::byte>(h.version | (h.response ? 0x80 : 0x00)),
      static_cast<std::byte>(h.flags),
      static_cast<std::byte>(s >> 8),
      static_cast<std::byte>(s),
      static_cast<std::byte>(h.op),
      static_cast<std::byte>(h.length >> 24),
      static_cast<std::byte>(h.length >> 16),
      static_cast<std::byte>(h.length >> 8),
      static_cast<std::byte>(h.length),
  };
}

std::variant<frame_header, need_more, decode_error> decode_frame_header(
    bytes_view in, const frame_limits& limits) noexcept {
  if (in.size() < frame_header_size) return need_more{frame_header_size - in.size()};
  // Nine bytes, all present: read in place (this runs for every frame).
  const auto byte = [&](std::size_t i) { return std::to_integer<std::uint32_t>(in[i]); };
  frame_header h;
  const std::uint32_t v = byte(0);
  h.version = static_cast<std::uint8_t>(v & 0x7F);
  h.response = (v & 0x80) != 0;
  if (h.version < limits.min_version || h.version > limits.max_version)
    return decode_error{make_error_code(errc::unsupported_version), 0, "version"};
  h.flags = static_cast<std::uint8_t>(byte(1));
  h.stream = static_cast<std::int16_t>(static_cast<std::uint16_t>((byte(2) << 8) | byte(3)));
  const auto op = static_cast<std::uint8_t>(byte(4));
  if (!is_known_opcode(op)) return decode_error{make_error_code(errc::unknown_opcode), 4, "opcode"};
  h.op = static_cast<opcode>(op);
  h.length = (byte(5) << 24) | (byte(6) << 16) | (byte(7) << 8) | byte(8);
  if (h.length > limits.max_body_length)
    return decode_error{make_error_code(errc::frame_too_large), 5, "length"};
  return h;
}

frame_decode_result decode_frame(bytes_view in, const frame_limits& limits) noexcept {
  auto hr = decode_frame_header(in, limits);
  if (auto* nm = std::get_if<need_more>(&hr)) return *nm;
  if (auto* e = std::get_if<decode_error>(&hr)) return *e;
  const auto& h = std::get<frame_header>(hr);
  const std::size_t total = frame_header_size + h.length;
  if (in.size() < total) return need_more{total - in.size()};
  return frame_view{h, in.subspan(frame_header_size, h.length)};
}

}  // namespace cqlpp::protocol
