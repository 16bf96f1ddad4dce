#include "cqlpp/transport/op_memory.hpp"

#include <array>
#include <new>

namespace cqlpp::transport {

namespace {
constexpr std::size_t grain = 128;
constexpr std::size_t classes = 8;  // up to 1 KiB
constexpr std::size_t max_blocks = 256;

struct free_block {
  free_block* next;
};

struct free_lists {
  std::array<free_block*, classes> head{};
  std::array<std::size_t, classes> count{};
  ~free_lists() {
    for (auto* b : head)
      while (b) {
        auto* next = b->next;
        ::operator delete(static_cast<void*>(b));
        b = next;
      }
  }
};
thread_local free_lists t_lists;

std::size_t class_of(std::size_t n) noexcept { return (n + grain - 1) / grain - 1; }
}  // namespace

void* op_allocate(std::size_t n) {
  if (n == 0) n = 1;
  const auto c = class_of(n);
  if (c >= classes) return ::operator new(n);
  auto& l = t_lists;
  if (auto* b = l.head[c]) {
    l.head[c] = b->next;
    --l.count[c];
    return b;
  }
  return ::operator new((c + 1) * grain);
}

void op_deallocate(void* p, std::size_t n) noexcept {
  if (!p) return;
  if (n == 0) n = 1;
  const auto c = class_of(n);
  if (c >= classes) return ::operator delete(p);
  auto& l = t_lists;
  if (l.count[c] == max_blocks) return ::operator delete(p);
  auto* b = static_cast<free_block*>(p);
  b->next = l.head[c];
  l.head[c] = b;
  ++l.count[c];
}

}  // namespace cqlpp::transport
