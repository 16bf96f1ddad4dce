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
#include <type_traits>
#include <utility>

namespace cqlpp::transport {

// n bytes from this thread's free list of n's size class (heap above 1 KiB);
// throws std::bad_alloc like operator new.
void* op_allocate(std::size_t n);
// Frees p, allocated by op_allocate with the same n, onto this thread's list
// (to the heap when it is full or the block is over 1 KiB). Null is ignored.
void op_deallocate(void* p, std::size_t n) noexcept;

// Derive from this to allocate through op_memory (sized delete needs the
// deleting destructor, so give the hierarchy a virtual destructor).
struct recycled_op {
  // op_allocate(n).
  static void* operator new(std::size_t n) { return op_allocate(n); }
  // op_deallocate(p, n): sized, so the size class is known.
  static void operator delete(void* p, std::size_t n) noexcept { op_deallocate(p, n); }
};

// The same memory as a standard allocator (for std::allocate_shared).
template <class T>
struct op_allocator {
  using value_type = T;  // what it allocates
  op_allocator() noexcept = default;
  // Rebinding: stateless, every op_allocator is equal.
  template <class U>
  op_allocator(const op_allocator<U>&) noexcept {}  // NOLINT
  // Room for n T, from op_allocate.
  T* allocate(std::size_t n) { return static_cast<T*>(op_allocate(n * sizeof(T))); }
  // Frees what allocate(n) returned.
  void deallocate(T* p, std::size_t n) noexcept { op_deallocate(p, n * sizeof(T)); }
  template <class U>
  bool operator==(const op_allocator<U>&) const noexcept { return true; }
};

// f with op_memory as its associated allocator and nothing else associated.
// Unlike asio::bind_allocator (whose binder forwards the associated executor
// and so makes post/dispatch wrap it in a work-tracking dispatcher holding one
// more executor copy), posting it costs one recycled block and nothing else.
template <class F>
struct recycled_fn {
  F f;  // the wrapped function
  using allocator_type = op_allocator<void>;  // Asio's associated allocator
  // An op_allocator.
  allocator_type get_allocator() const noexcept { return {}; }
  // Calls f(a...).
  template <class... A>
  decltype(auto) operator()(A&&... a) {
    return f(std::forward<A>(a)...);
  }
};
// f wrapped as a recycled_fn, to post or dispatch.
template <class F>
recycled_fn<std::decay_t<F>> recycled(F&& f) {
  return {std::forward<F>(f)};
}

}  // namespace cqlpp::transport
