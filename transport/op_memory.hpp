// op_memory: per-thread free lists for the objects that carry one request
// (the pool's queued op, the connection's pending op, a stream's waiter).
//
// They are allocated and freed once per request, all of a few sizes; keeping
// freed blocks per thread, by size class (multiples of 128 bytes up to
// 1 KiB, at most 256 blocks per class), makes that steady state free of heap
// allocations. Larger objects go to the heap. A block freed on another thread
// joins that thread's list. Bounded; freed when the thread exits.
#pragma once

#include <cstddef>

namespace cqlpp::transport {

void* op_allocate(std::size_t n);
void op_deallocate(void* p, std::size_t n) noexcept;

// Derive from this to allocate through op_memory (sized delete needs the
// deleting destructor, so give the hierarchy a virtual destructor).
struct recycled_op {
  static void* operator new(std::size_t n) { return op_allocate(n); }
  static void operator delete(void* p, std::size_t n) noexcept { op_deallocate(p, n); }
};

// The same memory as a standard allocator (for std::allocate_shared).
template <class T>
struct op_allocator {
  using value_type = T;
  op_allocator() noexcept = default;
  template <class U>
  op_allocator(const op_allocator<U>&) noexcept {}  // NOLINT
  T* allocate(std::size_t n) { return static_cast<T*>(op_allocate(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { op_deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const op_allocator<U>&) const noexcept { return true; }
};

}  // namespace cqlpp::transport
