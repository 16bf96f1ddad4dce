// Puts v5 envelopes back together from segment payloads (v5 §1, §2.4).
//
// A self-contained segment carries one or more whole envelopes; a run of
// non-self-contained segments carries the pieces of one large envelope, in
// order. The assembler checks both rules and hands back envelopes as
// frame_views, decoded with decode_frame() under the given frame_limits (so
// max_body_length bounds the envelope size before it is buffered).
#pragma once

#include <cstddef>
#include <iterator>
#include <vector>

#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/protocol/result.hpp"
#include "cqlpp/protocol/segment.hpp"

namespace cqlpp::protocol {

// Whole envelopes laid end to end, already validated by the assembler.
// Iterating yields one frame_view per envelope; the views borrow from the
// same storage as the batch (see frame_assembler::push).
class envelope_batch {
 public:
  // Input iterator over the batch's envelopes; headers are read again on each dereference, unchecked.
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;  // single pass
    using value_type = frame_view;                      // one envelope
    using difference_type = std::ptrdiff_t;             // required by std::input_iterator

    iterator() = default;
    // The envelope at the current position; its body borrows the batch's storage.
    frame_view operator*() const noexcept;
    // Moves past the current envelope (header and body).
    iterator& operator++() noexcept;
    // Post-increment: moves on, returns the iterator as it was.
    iterator operator++(int) noexcept { auto t = *this; ++*this; return t; }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.rest_.data() == b.rest_.data() && a.rest_.size() == b.rest_.size();
    }

   private:
    friend class envelope_batch;
    explicit iterator(bytes_view rest) noexcept : rest_(rest) {}
    bytes_view rest_;
  };

  envelope_batch() = default;
  // The first envelope.
  iterator begin() const noexcept { return iterator(data_); }
  // Past the last envelope.
  iterator end() const noexcept { return iterator(data_.subspan(data_.size())); }
  // No envelope: push() completed none (e.g. it took a piece of a large one).
  bool empty() const noexcept { return data_.empty(); }
  // The number of envelopes; walks the batch.
  std::size_t count() const noexcept;
  // The envelopes' bytes end to end, headers included.
  bytes_view bytes() const noexcept { return data_; }

 private:
  friend class frame_assembler;
  explicit envelope_batch(bytes_view d) noexcept : data_(d) {}
  bytes_view data_;
};

// One per connection direction; not thread-safe.
class frame_assembler {
 public:
  // `limits` apply to every envelope header, of small and large envelopes alike.
  explicit frame_assembler(frame_limits limits = {}) noexcept : limits_(limits) {}

  // Feeds one segment's (uncompressed) payload. Returns the envelopes it
  // completes: all of them for a self-contained segment (views into
  // `payload`), none or the finished large envelope for a non-self-contained
  // one (a view into this assembler, valid until the next push()).
  //
  // Errors (the assembler is then in an unspecified state; drop the
  // connection): offsets are from the start of `payload`, except for
  // header errors of a large envelope, which are from the envelope's start.
  //  - errc::truncated, field "envelope": a self-contained segment ends
  //    inside an envelope (or holds part of one only);
  //  - errc::truncated, field "large envelope": a self-contained segment
  //    arrived while a large envelope was still incomplete;
  //  - errc::trailing_bytes, field "large envelope": a non-self-contained
  //    segment runs past the end of the envelope it carries;
  //  - whatever decode_frame_header reports for an envelope header
  //    (frame_too_large, unsupported_version, unknown_opcode, ...).
  result<envelope_batch> push(bytes_view payload, bool self_contained);
  // The same for a decoded segment: its payload and self-contained flag.
  result<envelope_batch> push(const segment& s) { return push(s.payload, s.header.self_contained); }

  // True while a large envelope is partly received.
  bool in_progress() const noexcept { return !large_.empty() && !large_done_; }

 private:
  result<envelope_batch> push_piece(bytes_view piece);

  frame_limits limits_;
  std::vector<std::byte> large_;  // the large envelope being assembled
  std::size_t large_size_ = 0;    // its total size once its header is known, else 0
  bool large_done_ = false;
};

}  // namespace cqlpp::protocol
