// continuation: a completion step between an inner operation and the
// caller's handler that keeps the handler's associations.
//
// A plain lambda wrapped around a handler hides its associated executor,
// allocator and cancellation slot from the operation it is passed to: the
// caller then resumes on the wrong executor and cancellation never reaches
// the inner operation. continue_with(h, f) makes a handler that runs
// f(std::move(h), args...) and answers every association query with h's.
#pragma once

#include <asio/associator.hpp>
#include <type_traits>
#include <utility>

namespace cqlpp::transport {

// The handler continue_with() makes; its associations are `handler`'s.
template <class Handler, class F>
struct continuation {
  Handler handler;  // the caller's handler, passed on to `step`
  F step;           // called once as step(std::move(handler), args...)

  // Completes: runs step(std::move(handler), args...). Call once.
  template <class... Args>
  void operator()(Args&&... args) {
    std::move(step)(std::move(handler), std::forward<Args>(args)...);
  }
};

// A handler that runs step(std::move(h), args...) and has h's executor,
// allocator and cancellation slot.
template <class Handler, class F>
continuation<std::decay_t<Handler>, std::decay_t<F>> continue_with(Handler&& h, F&& step) {
  return {std::forward<Handler>(h), std::forward<F>(step)};
}

}  // namespace cqlpp::transport

namespace asio {

template <template <typename, typename> class Associator, class Handler, class F, class DefaultCandidate>
struct associator<Associator, cqlpp::transport::continuation<Handler, F>, DefaultCandidate> {
  using type = typename Associator<Handler, DefaultCandidate>::type;
  static type get(const cqlpp::transport::continuation<Handler, F>& c,
                  const DefaultCandidate& d = DefaultCandidate()) noexcept {
    return Associator<Handler, DefaultCandidate>::get(c.handler, d);
  }
};

}  // namespace asio
