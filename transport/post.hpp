// post_to / dispatch_to: asio::post and asio::dispatch, minus the polymorphic
// wrapper's allocations.
//
// Posting through an asio::any_io_executor allocates for the properties it
// queries on the way (Asio 1.22: a query whose result is a class type is
// returned through `new`). When the wrapper holds an io_context executor,
// posting to that executor directly does the same thing without them: the
// hot path's completions stay free of heap allocations.
#pragma once

#include <asio.hpp>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace cqlpp::transport {

namespace detail {
using io_ex = asio::io_context::executor_type;
using io_tracked = std::decay_t<decltype(asio::prefer(std::declval<io_ex>(), asio::execution::outstanding_work.tracked))>;
}  // namespace detail

template <class Executor, class F>
void post_to(const Executor& ex, F&& f) {
  if constexpr (std::is_same_v<Executor, asio::any_io_executor>) {
    // target<T>() does not check the type in Asio 1.22: compare it first.
    const auto& type = ex.target_type();
    if (type == typeid(detail::io_tracked))
      return (void)asio::post(*ex.template target<detail::io_tracked>(), std::forward<F>(f));
    if (type == typeid(detail::io_ex)) return (void)asio::post(*ex.template target<detail::io_ex>(), std::forward<F>(f));
  }
  asio::post(ex, std::forward<F>(f));
}

// Whether a handler on ex may run at once on this thread: ex is (or wraps) an
// io_context executor — not a strand, which may be busy elsewhere — whose
// io_context this thread is running.
template <class Executor>
bool runs_here(const Executor& ex) noexcept {
  if constexpr (std::is_same_v<Executor, detail::io_ex> || std::is_same_v<Executor, detail::io_tracked>) {
    return ex.running_in_this_thread();
  } else if constexpr (std::is_same_v<Executor, asio::any_io_executor>) {
    // target<T>() does not check the type in Asio 1.22: compare it first.
    const auto& type = ex.target_type();
    if (type == typeid(detail::io_tracked)) return ex.template target<detail::io_tracked>()->running_in_this_thread();
    if (type == typeid(detail::io_ex)) return ex.template target<detail::io_ex>()->running_in_this_thread();
    return false;
  } else {
    return false;
  }
}

// Runs f at once when runs_here(ex), else posts it. For completions that
// arrive on an I/O thread, never for the initiating call: it saves a trip
// through the scheduler per request.
template <class Executor, class F>
void dispatch_to(const Executor& ex, F&& f) {
  if (runs_here(ex)) return (void)std::forward<F>(f)();
  post_to(ex, std::forward<F>(f));
}

// Calls h(args...) after clearing its cancellation slot. Call it on h's
// executor: that is where the slot was assigned, and slots are not
// thread-safe.
template <class Handler, class... Args>
void call_clearing_slot(Handler& h, Args&&... args) {
  auto slot = asio::get_associated_cancellation_slot(h);
  if (slot.is_connected()) slot.clear();
  std::move(h)(std::forward<Args>(args)...);
}

}  // namespace cqlpp::transport
