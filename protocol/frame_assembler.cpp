#include "cqlpp/protocol/frame_assembler.hpp"

namespace cqlpp::protocol {

// The batch only ever holds envelopes push() has already validated, so these
// decode_frame calls cannot fail; the limits are irrelevant here.
namespace {

// push() validated every envelope of the batch: their headers and lengths
// are read here without checking them again (this runs per response).
std::uint32_t body_length(bytes_view env) noexcept {
  const auto b = [&](std::size_t i) { return std::to_integer<std::uint32_t>(env[i]); };
  return (b(5) << 24) | (b(6) << 16) | (b(7) << 8) | b(8);
}

}  // namespace

frame_view envelope_batch::iterator::operator*() const noexcept {
  frame_header h;
  const auto v = std::to_integer<std::uint8_t>(rest_[0]);
  h.version = static_cast<std::uint8_t>(v & 0x7F);
  h.response = (v & 0x80) != 0;
  h.flags = std::to_integer<std::uint8_t>(rest_[1]);
  h.stream = static_cast<std::int16_t>(
      static_cast<std::uint16_t>((std::to_integer<unsigned>(rest_[2]) << 8) | std::to_integer<unsigned>(rest_[3])));
  h.op = static_cast<opcode>(std::to_integer<std::uint8_t>(rest_[4]));
  h.length = body_length(rest_);
  return frame_view{h, rest_.subspan(frame_header_size, h.length)};
}

envelope_batch::iterator& envelope_batch::iterator::operator++() noexcept {
  rest_ = rest_.subspan(frame_header_size + body_length(rest_));
  return *this;
}

std::size_t envelope_batch::count() const noexcept {
  std::size_t n = 0;
  for (auto it = begin(); it != end(); ++it) ++n;
  return n;
}

result<envelope_batch> frame_assembler::push(bytes_view payload, bool self_contained) {
  if (large_done_) {
    large_.clear();
    large_size_ = 0;
    large_done_ = false;
  }
  if (!self_contained) return push_piece(payload);
  if (!large_.empty())
    return decode_error{errc::truncated, 0, "large envelope"};

  // v5 §1: "If self contained, then the payload includes one or more complete
  // envelopes". An empty payload is let through as zero envelopes: the Python
  // driver emits one for an empty message and it is harmless.
  std::size_t at = 0;
  while (at < payload.size()) {
    auto r = decode_frame(payload.subspan(at), limits_);
    if (auto* f = std::get_if<frame_view>(&r)) {
      at += f->size();
    } else if (std::holds_alternative<need_more>(r)) {
      return decode_error{errc::truncated, at, "envelope"};
    } else {
      auto e = std::get<decode_error>(r);
      e.offset += at;
      return e;
    }
  }
  return envelope_batch(payload);
}

result<envelope_batch> frame_assembler::push_piece(bytes_view piece) {
  const std::size_t had = large_.size();
  if (large_size_ != 0 && had + piece.size() > large_size_)
    return decode_error{errc::trailing_bytes, large_size_ - had, "large envelope"};
  // Until the 9-byte header is in, only those bytes are kept; after it, the
  // buffer grows with the bytes actually received, never by the header's
  // claimed length (a hostile length must not become an allocation).
  large_.insert(large_.end(), piece.begin(), piece.end());
  if (large_size_ == 0 && large_.size() >= frame_header_size) {
    auto h = decode_frame_header(large_, limits_);
    if (auto* e = std::get_if<decode_error>(&h)) return *e;
    large_size_ = frame_header_size + std::get<frame_header>(h).length;
    if (large_.size() > large_size_)
      return decode_error{errc::trailing_bytes, large_size_ - had, "large envelope"};
  }
  if (large_size_ != 0 && large_.size() == large_size_) {
    large_done_ = true;
    return envelope_batch(large_);
  }
  return envelope_batch();
}

}  // namespace cqlpp::protocol
