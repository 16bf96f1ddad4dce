// io_thread: an io_context running on a background thread for the duration of
// a test, so tests can wait on futures with a bound instead of hanging.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

namespace cqlpp::test {

struct io_thread {
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  ~io_thread() {
    guard.reset();
    io.stop();
    thread.join();
  }
  // Runs a coroutine to completion on the io thread, with a bound.
  template <class T>
  T run(asio::awaitable<T> a, std::chrono::seconds bound = std::chrono::seconds(120)) {
    auto f = asio::co_spawn(io, std::move(a), asio::use_future);
    if (f.wait_for(bound) != std::future_status::ready) throw std::runtime_error("timed out");
    return f.get();
  }
};

}  // namespace cqlpp::test
