// stream_id_pool: allocation of request stream ids on one connection
// (v4 §2.3: ids 0..32767 for client requests; negative ids are the server's).
//
// O(1) acquire and release through a LIFO free list. An id has three states:
//   free      - may be handed out
//   in_use    - a request is waiting for its response
//   orphaned  - its caller gave up (timeout, cancellation, destroyed stream),
//               but the server may still answer; the id must not be reused
//               until that answer arrives, or a late response would land on
//               someone else's request (python-driver PR#1114's bug).
// Not thread-safe: owned by one connection, used on its executor.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace cqlpp::protocol {

// The stream ids of one connection and the state of each (see above).
class stream_id_pool {
 public:
  // The three states described at the top of this file.
  enum class state : std::uint8_t { free, in_use, orphaned };

  static constexpr int max_ids = 32768;  // ids 0..32767: the non-negative [short] stream ids (v4 §2.3)

  // `capacity` ids, 0..capacity-1 (clamped to 1..32768).
  explicit stream_id_pool(int capacity = max_ids);

  // A free id, or nullopt when every id is in use or orphaned.
  std::optional<std::int16_t> acquire() noexcept;
  // The response for `id` arrived (or the connection closed): back to free.
  // Returns the state the id was in, so the caller knows whether a response
  // belongs to a live request (in_use), to an abandoned one (orphaned), or to
  // nothing (free: a stray or duplicate response — a protocol violation).
  state release(std::int16_t id) noexcept;
  // The caller gave up on `id`; it stays reserved until release().
  void orphan(std::int16_t id) noexcept;
  // Every id back to free (connection closed: no response can arrive any more).
  void reset() noexcept;

  // The state of `id`; free for an id outside 0..capacity()-1.
  state state_of(std::int16_t id) const noexcept;
  // Ids in the pool: the constructor's capacity after clamping.
  int capacity() const noexcept { return static_cast<int>(states_.size()); }
  // Ids whose request is still waiting for its response.
  int in_use() const noexcept { return in_use_; }
  // Ids given up by their caller but still reserved until their response arrives.
  int orphaned() const noexcept { return orphaned_; }
  // Free ids: how many more acquire() calls can succeed.
  int available() const noexcept { return static_cast<int>(free_.size()); }

 private:
  std::vector<state> states_;
  std::vector<std::int16_t> free_;  // stack; lowest ids on top so traces stay readable
  int in_use_ = 0;
  int orphaned_ = 0;
};

}  // namespace cqlpp::protocol
