// buffer_cache: byte buffers recycled per thread, so that steady-state
// requests and responses reuse grown vectors instead of allocating.
//
// take_buffer() returns an empty vector, with capacity when the calling
// thread has one cached; give_back() keeps a buffer for reuse when its
// capacity is at most max_cached_capacity and the thread holds fewer than
// max_cached_buffers, else frees it. Bounded: at most 64 × 64 KiB per thread,
// freed when the thread exits. request and response give their bodies back
// when they die, so most code never calls these directly.
#pragma once

#include <cstddef>
#include <vector>

namespace cqlpp::transport {

inline constexpr std::size_t max_cached_capacity = 64 * 1024;  // larger buffers are freed, not kept (64 KiB)
inline constexpr std::size_t max_cached_buffers = 64;          // buffers kept per thread at most

// An empty vector: the calling thread's last cached buffer (with capacity), or
// a new one without when none is cached.
std::vector<std::byte> take_buffer() noexcept;
// Clears `b` and keeps it for this thread's next take_buffer(), or frees it
// when it is over max_cached_capacity or the cache is full. `b` is left empty.
void give_back(std::vector<std::byte>&& b) noexcept;

// A byte vector that gives its storage back to the cache when it dies.
// It is a std::vector in every other respect (the protocol layer writes and
// reads std::vector<std::byte>&), so code that fills or reads it is unchanged.
class pooled_bytes : public std::vector<std::byte> {
 public:
  using std::vector<std::byte>::vector;
  pooled_bytes() noexcept = default;
  // Takes over v's storage (implicit, so that a std::vector converts).
  pooled_bytes(std::vector<std::byte>&& v) noexcept : std::vector<std::byte>(std::move(v)) {}  // NOLINT
  pooled_bytes(const pooled_bytes&) = default;  // copies the bytes into new storage
  pooled_bytes(pooled_bytes&&) noexcept = default;  // takes the storage; the source is left empty
  pooled_bytes& operator=(const pooled_bytes&) = default;  // copies the bytes, as std::vector does
  // Gives this storage back to the cache, then takes o's.
  pooled_bytes& operator=(pooled_bytes&& o) noexcept {
    if (this != &o) {
      if (capacity() != 0) give_back(std::move(vec()));
      vec() = std::move(o.vec());
    }
    return *this;
  }
  // Inline test first: most pooled_bytes that die were moved from.
  ~pooled_bytes() {
    if (capacity() != 0) give_back(std::move(vec()));
  }
  // A cached buffer (empty, usually with capacity) to fill.
  static pooled_bytes reuse() noexcept { return pooled_bytes(take_buffer()); }
  // Itself, as the std::vector it is.
  std::vector<std::byte>& vec() noexcept { return *this; }
  // Itself, as the std::vector it is.
  const std::vector<std::byte>& vec() const noexcept { return *this; }
};

}  // namespace cqlpp::transport
