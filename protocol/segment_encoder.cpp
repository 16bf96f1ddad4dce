#include "cqlpp/protocol/segment_encoder.hpp"

#include <algorithm>

namespace cqlpp::protocol {

void segment_encoder::add(bytes_view envelope, std::vector<std::byte>& out) {
  if (pending_.size() + envelope.size() > max_segment_payload) flush(out);
  if (envelope.size() <= max_segment_payload) {
    pending_.insert(pending_.end(), envelope.begin(), envelope.end());
    ++pending_frames_;
    return;
  }
  // v5 §1: "the payload contains some part of a large envelope, which has been
  // split into its own sequence of frames" - nothing else shares them.
  for (std::size_t at = 0; at < envelope.size(); at += max_segment_payload)
    encode_segment(envelope.subspan(at, std::min<std::size_t>(max_segment_payload,
                                                               envelope.size() - at)),
                   false, compression_, out);
}

void segment_encoder::flush(std::vector<std::byte>& out) {
  if (pending_frames_ == 0) return;
  encode_segment(pending_, true, compression_, out);
  pending_.clear();
  pending_frames_ = 0;
}

std::vector<std::byte> encode_segments(std::span<const bytes_view> envelopes,
                                       segment_compression c) {
  std::vector<std::byte> out;
  segment_encoder enc(c);
  for (const auto& e : envelopes) enc.add(e, out);
  enc.flush(out);
  return out;
}

}  // namespace cqlpp::protocol
