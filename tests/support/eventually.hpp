// eventually: polls a condition with a bound, for counters that settle on
// another thread. Returns the condition's last value.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace cqlpp::test {

inline bool eventually(const std::function<bool()>& pred,
                       std::chrono::milliseconds bound = std::chrono::milliseconds(10000)) {
  const auto end = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return pred();
}

}  // namespace cqlpp::test
