// post_to: asio::post, minus the polymorphic wrapper's allocations.
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

template <class Executor, class F>
void post_to(const Executor& ex, F&& f) {
  if constexpr (std::is_same_v<Executor, asio::any_io_executor>) {
    using io_ex = asio::io_context::executor_type;
    using io_tracked = std::decay_t<decltype(asio::prefer(std::declval<io_ex>(),
                                                          asio::execution::outstanding_work.tracked))>;
    // target<T>() does not check the type in Asio 1.22: compare it first.
    const auto& type = ex.target_type();
    if (type == typeid(io_tracked)) return (void)asio::post(*ex.template target<io_tracked>(), std::forward<F>(f));
    if (type == typeid(io_ex)) return (void)asio::post(*ex.template target<io_ex>(), std::forward<F>(f));
  }
  asio::post(ex, std::forward<F>(f));
}

}  // namespace cqlpp::transport
