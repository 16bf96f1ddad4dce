// The executor types the I/O shell runs on.
//
// Connections, timers and streams live on strands over an io_context's
// executor, named concretely: a strand over asio::any_io_executor would
// allocate whenever Asio wraps or queries it (several times per request in
// Asio 1.22). Callers still hand cqlpp an any_io_executor; it must belong to
// an asio::io_context (run by any number of threads).
#pragma once

#include <asio.hpp>
#include <stdexcept>
#include <type_traits>
#include <typeinfo>

namespace cqlpp::transport {

using io_executor = asio::io_context::executor_type;  // an io_context's own executor
using strand_type = asio::strand<io_executor>;         // what connections, timers and streams run on
// A steady-clock timer whose default executor is a strand_type.
using steady_timer = asio::basic_waitable_timer<std::chrono::steady_clock,
                                                asio::wait_traits<std::chrono::steady_clock>, strand_type>;

// The io_context executor behind `ex`. Throws std::invalid_argument when
// `ex` belongs to another kind of execution context.
inline io_executor io_executor_of(const asio::any_io_executor& ex) {
  using tracked = std::decay_t<decltype(asio::prefer(std::declval<io_executor>(),
                                                     asio::execution::outstanding_work.tracked))>;
  const auto& type = ex.target_type();
  if (type == typeid(io_executor)) return *ex.target<io_executor>();
  if (type == typeid(tracked)) return ex.target<tracked>()->context().get_executor();
  if (type == typeid(strand_type)) return ex.target<strand_type>()->get_inner_executor();
  throw std::invalid_argument("cqlpp: the executor must belong to an asio::io_context");
}

}  // namespace cqlpp::transport
