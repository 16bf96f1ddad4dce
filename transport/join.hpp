// join_n: one callback after n others, with the first error among them —
// for an operation fanned out to every connection or every host.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <system_error>

namespace cqlpp::transport {

// A callback to call exactly `n` times (n > 0), from any threads; the n-th
// call runs `done` with the first error any call passed ({} if none).
inline std::function<void(std::error_code)> join_n(std::size_t n, std::function<void(std::error_code)> done) {
  struct state {
    std::mutex mu;
    std::size_t left;
    std::error_code first;
    std::function<void(std::error_code)> done;
  };
  auto s = std::make_shared<state>();
  s->left = n;
  s->done = std::move(done);
  return [s](std::error_code ec) {
    std::function<void(std::error_code)> fire;
    std::error_code result;
    {
      std::lock_guard lk(s->mu);
      if (ec && !s->first) s->first = ec;
      if (--s->left == 0) {
        fire = std::move(s->done);
        result = s->first;
      }
    }
    if (fire) fire(result);
  };
}

}  // namespace cqlpp::transport
