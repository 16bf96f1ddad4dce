#include "cqlpp/transport/buffer_cache.hpp"

#include <array>

namespace cqlpp::transport {

namespace {
struct cache {
  std::array<std::vector<std::byte>, max_cached_buffers> bufs;
  std::size_t n = 0;
};
thread_local cache t_cache;
}  // namespace

std::vector<std::byte> take_buffer() noexcept {
  auto& c = t_cache;
  if (c.n == 0) return {};
  return std::move(c.bufs[--c.n]);
}

void give_back(std::vector<std::byte>&& b) noexcept {
  if (b.capacity() == 0) return;
  auto& c = t_cache;
  if (b.capacity() > max_cached_capacity || c.n == max_cached_buffers) {
    std::vector<std::byte>().swap(b);
    return;
  }
  b.clear();
  c.bufs[c.n++] = std::move(b);
}

}  // namespace cqlpp::transport
