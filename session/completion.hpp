// completion<T>: a move-only, type-erased handler for void(std::error_code, T).
//
// The session's request path is one non-template function in session.cpp;
// this is what carries the caller's handler through it. It keeps what Asio
// asks of a handler: its associated executor (with outstanding work tracked,
// so the caller's io_context keeps running while the request is in flight)
// and its cancellation slot. Handlers of up to inline_size bytes — callbacks,
// use_future, use_awaitable, deferred continuations — are stored inline, so
// erasing the type costs no allocation.
#pragma once

#include <asio.hpp>
#include <cstddef>
#include <new>
#include <system_error>
#include <type_traits>
#include <utility>

#include "cqlpp/transport/post.hpp"

namespace cqlpp::detail {

template <class T>
class completion {
 public:
  static constexpr std::size_t inline_size = 128;

  completion() = default;
  template <class Handler, class = std::enable_if_t<!std::is_same_v<std::decay_t<Handler>, completion>>>
  completion(Handler&& h, const asio::any_io_executor& fallback)
      : ex_(executor_for(h, fallback)), slot_(asio::get_associated_cancellation_slot(h)) {
    using H = std::decay_t<Handler>;
    if constexpr (sizeof(holder<H>) <= inline_size && alignof(holder<H>) <= alignof(std::max_align_t) &&
                  std::is_nothrow_move_constructible_v<H>) {
      p_ = ::new (static_cast<void*>(buf_)) holder<H>(std::forward<Handler>(h));
      inline_ = true;
    } else {
      p_ = new holder<H>(std::forward<Handler>(h));
    }
  }
  completion(completion&& o) noexcept { take(std::move(o)); }
  completion& operator=(completion&& o) noexcept {
    if (this != &o) {
      reset();
      take(std::move(o));
    }
    return *this;
  }
  ~completion() { reset(); }

  explicit operator bool() const noexcept { return p_ != nullptr; }
  const asio::any_io_executor& executor() const noexcept { return ex_; }
  asio::cancellation_slot slot() const noexcept { return slot_; }

  // Runs the handler here; call it on executor(). The slot is cleared first:
  // it was assigned on that executor, and slots are not thread-safe.
  void complete(std::error_code ec, T v) {
    if (slot_.is_connected()) slot_.clear();
    auto* p = p_;
    const bool was_inline = inline_;
    p_ = nullptr;
    ex_ = asio::any_io_executor();
    p->call(ec, std::move(v));  // may destroy nothing of ours: p is detached
    if (was_inline) p->~base();
    else delete p;
  }
  // Posts complete() to executor(): never inline from the caller.
  void post(std::error_code ec, T v) {
    auto ex = ex_;
    transport::post_to(ex, [c = std::move(*this), ec, v = std::move(v)]() mutable { c.complete(ec, std::move(v)); });
  }

 private:
  // The handler's executor, work tracked. One that is no I/O executor (a
  // use_future promise's, which runs what it is given at once) is
  // represented by the fallback: the handler then runs there, as dispatch()
  // on its own executor would have run it.
  template <class Handler>
  static asio::any_io_executor executor_for(const Handler& h, const asio::any_io_executor& fallback) {
    using E = asio::associated_executor_t<Handler, asio::any_io_executor>;
    if constexpr (std::is_constructible_v<asio::any_io_executor, E>)
      return asio::prefer(asio::get_associated_executor(h, fallback), asio::execution::outstanding_work.tracked);
    else
      return asio::prefer(fallback, asio::execution::outstanding_work.tracked);
  }

  struct base {
    virtual ~base() = default;
    virtual void call(std::error_code ec, T&& v) = 0;
    virtual base* move_to(void* dst) noexcept = 0;  // move-constructs into dst, returns it
  };
  template <class H>
  struct holder final : base {
    explicit holder(H&& h) : h(std::move(h)) {}
    explicit holder(const H& h) : h(h) {}
    void call(std::error_code ec, T&& v) override { std::move(h)(ec, std::move(v)); }
    base* move_to(void* dst) noexcept override { return ::new (dst) holder(std::move(h)); }
    H h;
  };

  void take(completion&& o) noexcept {
    ex_ = std::move(o.ex_);
    slot_ = o.slot_;
    o.slot_ = {};
    inline_ = o.inline_;
    if (!o.p_) return;
    if (inline_) {
      p_ = o.p_->move_to(buf_);
      o.p_->~base();
    } else {
      p_ = o.p_;
    }
    o.p_ = nullptr;
  }
  void reset() noexcept {
    if (!p_) return;
    if (inline_) p_->~base();
    else delete p_;
    p_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char buf_[inline_size];
  base* p_ = nullptr;
  bool inline_ = false;
  asio::any_io_executor ex_;
  asio::cancellation_slot slot_;
};

}  // namespace cqlpp::detail
