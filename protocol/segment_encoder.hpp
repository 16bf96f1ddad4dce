// Packs whole envelopes into v5 segments (v5 §1, §2.1, §2.2).
//
// Small envelopes are gathered into one self-contained segment until the next
// one would push the payload past 131071 bytes; an envelope larger than that
// is sent alone, cut into max-size pieces across non-self-contained segments
// (the last piece holds the remainder). This is how Cassandra and the Python
// driver split (SegmentCodec.encode): a single envelope of n bytes encodes to
// byte-identical segments here and there.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "cqlpp/protocol/primitives.hpp"
#include "cqlpp/protocol/segment.hpp"

namespace cqlpp::protocol {

// Stateful envelope-to-segment packer: holds the pending self-contained payload between add() and flush().
// Not thread-safe.
class segment_encoder {
 public:
  // `c` must be the compression agreed in STARTUP; default none.
  explicit segment_encoder(segment_compression c = segment_compression::none) noexcept
      : compression_(c) {}

  // The mode given to the constructor.
  segment_compression compression() const noexcept { return compression_; }

  // Queues one whole envelope (opaque bytes: header + body). May append
  // finished segments to `out`: the pending self-contained segment when this
  // envelope does not fit beside it, and all pieces of a large envelope.
  // `envelope` is copied if kept pending; it need not outlive the call.
  void add(bytes_view envelope, std::vector<std::byte>& out);

  // Appends the pending envelopes (if any were added since the last flush) as
  // one self-contained segment. Call before handing `out` to the socket.
  void flush(std::vector<std::byte>& out);

  // True when envelopes are queued that flush() has not written yet.
  bool has_pending() const noexcept { return pending_frames_ != 0; }

 private:
  segment_compression compression_;
  std::vector<std::byte> pending_;   // concatenated whole envelopes, <= max_segment_payload
  std::size_t pending_frames_ = 0;
};

// One-shot: every envelope through a fresh encoder, then flush.
std::vector<std::byte> encode_segments(std::span<const bytes_view> envelopes,
                                       segment_compression c);

}  // namespace cqlpp::protocol
