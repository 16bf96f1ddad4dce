// Client-side write timestamps (microseconds since the epoch), strictly
// increasing across all of a session's threads: two writes issued one after
// the other are ordered so even when the clock stalls, is coarse or steps
// back — then the generator counts on from its last value by 1 µs until the
// clock catches up. A retried or speculative write carries the timestamp of
// its first attempt (it is in the encoded body), so it is applied once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace cqlpp::detail {

class timestamp_generator {
 public:
  // `now_us`: the clock's reading; passed in so that tests can step it.
  std::int64_t next(std::int64_t now_us) noexcept {
    auto last = last_.load(std::memory_order_relaxed);
    for (;;) {
      const auto t = now_us > last ? now_us : last + 1;
      if (last_.compare_exchange_weak(last, t, std::memory_order_relaxed)) return t;
    }
  }
  std::int64_t next() noexcept {
    using namespace std::chrono;
    return next(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
  }

 private:
  std::atomic<std::int64_t> last_{0};
};

}  // namespace cqlpp::detail
