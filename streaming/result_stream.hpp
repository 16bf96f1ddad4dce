// result_stream: a paged result as an RAII object.
//
// It owns what it uses: its in-flight page request (and so that request's
// stream id) and at most prefetch + 1 pages. Destroying it — end of scope,
// `break`, an exception, a cancelled coroutine — gives everything back: the
// page fetch in flight is abandoned (its id stays orphaned at the connection
// until the late answer arrives and is absorbed), every page is freed, and no
// callback ever runs against the destroyed stream (fetch callbacks hold only a
// weak reference to the stream's state). There is no close() to remember.
//
// Back-pressure: the next page is requested only while fewer than
// prefetch + 1 pages are held, so a slow consumer never makes the driver
// buffer more, and a consumer that stops reading stops the fetching.
//
// Counters (stream_registry): the destructor posts the release to the
// stream's strand and returns; the counters settle when that has run, a
// moment later. To know they have, release with async_release instead.
// After the session closes, the page holding the last row handed out stays
// alive (and counted) until the next call on the stream, which fails with
// session_closed, or the stream's destruction.
//
// Threading: use one stream from one thread (or strand) at a time; internal
// state lives on the stream's own strand. Completions run on the handler's
// associated executor, never inline.
#pragma once

#include <asio.hpp>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "cqlpp/streaming/error.hpp"
#include "cqlpp/streaming/page_source.hpp"
#include "cqlpp/streaming/row.hpp"
#include "cqlpp/streaming/stream_metrics.hpp"
#include "cqlpp/transport/executor.hpp"
#include "cqlpp/transport/op_memory.hpp"
#include "cqlpp/transport/post.hpp"

namespace cqlpp::streaming {

// How a stream pages, given to session::async_stream.
struct stream_options {
  int prefetch = 1;  // pages requested ahead of the one being read; negative = 0; default 1
  // Start after this state (from paging_state_for_resume()); default: unset, from the first page.
  std::optional<paging_state> resume_from;
};

namespace detail {
struct page;
// A pending async_next / async_next_page; completed exactly once, on the strand.
struct waiter : transport::recycled_op {
  virtual ~waiter() = default;
  virtual void complete(std::error_code ec, const protocol::rows_result* page, std::optional<row> r) = 0;
  bool wants_page = false;
};
}  // namespace detail

// Shared state of one stream. Owned by the result_stream (the only strong
// reference apart from short-lived posted operations); fetch callbacks hold
// a weak_ptr.
class stream_core : public std::enable_shared_from_this<stream_core> {
 public:
  // A stream over `src` on its own strand over `ex` (an io_context's
  // executor), counted in `reg`; start() makes the first fetch.
  stream_core(std::shared_ptr<page_source> src, std::shared_ptr<stream_registry> reg,
              asio::any_io_executor ex, stream_options opts);
  ~stream_core();

  void start();                                   // on the strand: first fetch
  void next(std::unique_ptr<detail::waiter> w);   // on the strand
  void cancel_waiter();                           // on the strand
  void shutdown(std::error_code ec);              // on the strand: end the stream now

  // The strand the stream's state lives on.
  transport::strand_type& strand() noexcept { return strand_; }
  // The state that resumes after the last page handed out (nullopt at the end).
  const std::optional<paging_state>& resume_state() const noexcept { return resume_state_; }
  // The server's message (or the decode error) of a failed fetch; empty otherwise.
  const std::string& error_detail() const noexcept { return error_detail_; }

 private:
  void maybe_fetch();
  void on_page(std::error_code ec, transport::response r);
  void serve();
  std::size_t pages_held() const noexcept;

  std::shared_ptr<page_source> src_;
  std::shared_ptr<const protocol::rows_metadata> types_;  // for pages without metadata
  std::shared_ptr<stream_registry> reg_;
  transport::strand_type strand_;
  int prefetch_;
  std::optional<paging_state> next_state_;   // what to fetch next
  std::optional<paging_state> resume_state_; // resumes after the current page
  bool more_ = true;                          // the server has more pages
  bool fetching_ = false;
  // One signal per fetch, shared with that fetch's completion: the
  // connection clears the handler's slot when it completes, which may be
  // after this core is gone, so the signal must live as long as the handler.
  std::shared_ptr<asio::cancellation_signal> fetch_cancel_;
  std::unique_ptr<detail::page> current_;
  std::deque<std::unique_ptr<detail::page>> ready_;
  std::unique_ptr<detail::waiter> waiter_;
  std::error_code error_;
  std::string error_detail_;
  bool shut_down_ = false;  // ended (session closed or released): every call fails
};

// A paged result (see the top of this file). Move-only; an empty one (default
// constructed, moved from, released) is not valid() and fails every read
// with errc::empty_stream.
class result_stream {
 public:
  result_stream() = default;
  // Owns `core` (session::async_stream makes it).
  explicit result_stream(std::shared_ptr<stream_core> core) noexcept : core_(std::move(core)) {}
  result_stream(result_stream&&) noexcept = default;  // takes the stream; the source is left empty
  // Releases this stream (as destruction does), then takes o's.
  result_stream& operator=(result_stream&& o) noexcept {
    if (this != &o) {
      release();
      core_ = std::move(o.core_);
    }
    return *this;
  }
  result_stream(const result_stream&) = delete;
  result_stream& operator=(const result_stream&) = delete;
  ~result_stream() { release(); }

  // The next row, or nullopt at the end: void(std::error_code, std::optional<row>).
  // The row is valid until the next call on this stream.
  template <class Token>
  auto async_next(Token&& token) {
    return initiate<Token, void(std::error_code, std::optional<row>)>(false, std::forward<Token>(token));
  }

  // The next whole page (the rest of the current one first), or nullptr at the
  // end: void(std::error_code, const protocol::rows_result*). Valid until the
  // next call on this stream.
  template <class Token>
  auto async_next_page(Token&& token) {
    return initiate<Token, void(std::error_code, const protocol::rows_result*)>(true, std::forward<Token>(token));
  }

  // Gives everything back now, as destruction does, and completes void()
  // once it is done: the fetch in flight abandoned, every page freed, the
  // counters settled. The stream is empty (not valid()) afterwards.
  template <class Token>
  auto async_release(Token&& token) {
    // Taken from the stream now, not when a deferred operation is launched:
    // the initiation holds what it needs and no pointer to this object.
    return asio::async_initiate<Token, void()>(
        [core = std::move(core_)](auto handler) mutable {
          auto ex = asio::prefer(asio::get_associated_executor(handler, asio::system_executor()),
                                 asio::execution::outstanding_work.tracked);
          if (!core) return asio::post(ex, std::move(handler));
          auto& strand = core->strand();
          asio::post(strand, [core = std::move(core), h = std::move(handler), ex]() mutable {
            core->shutdown(asio::error::operation_aborted);
            core.reset();
            asio::post(ex, std::move(h));
          });
        },
        token);
  }

  // Paging state that resumes after the last page handed out, on any
  // connection or node (nullopt when the result is complete).
  std::optional<paging_state> paging_state_for_resume() const {
    return core_ ? core_->resume_state() : std::nullopt;
  }
  // The server's message when the stream failed with a server error.
  std::string error_detail() const { return core_ ? core_->error_detail() : std::string(); }
  // Holds a stream: not default-constructed, moved from or released.
  bool valid() const noexcept { return core_ != nullptr; }

 private:
  template <class Handler, class Sig, class Fallback>
  struct waiter_op;

  template <class Token, class Sig>
  auto initiate(bool page, Token&& token);

  void release() noexcept;

  std::shared_ptr<stream_core> core_;
};

// ---- implementation of the templates ----

// Fallback: the executor a handler without one of its own completes on —
// the core's strand, named concretely, so that posting to it goes through
// no polymorphic wrapper.
template <class Handler, class Sig, class Fallback>
struct result_stream::waiter_op final : detail::waiter {
  waiter_op(Handler h, Fallback fallback)
      : handler(std::move(h)),
        work(asio::prefer(asio::get_associated_executor(handler, fallback), asio::execution::outstanding_work.tracked)) {}
  void complete(std::error_code ec, const protocol::rows_result* page, std::optional<row> r) override {
    auto ex = std::move(work);
    // Recycled memory for the posted completion (it carries the row).
    transport::post_to(ex, transport::recycled([h = std::move(handler), ec, page, r]() mutable {
      auto slot = asio::get_associated_cancellation_slot(h);
      if (slot.is_connected()) slot.clear();
      if constexpr (std::is_same_v<Sig, void(std::error_code, std::optional<row>)>) {
        (void)page;
        std::move(h)(ec, r);
      } else {
        (void)r;
        std::move(h)(ec, page);
      }
    }));
  }
  Handler handler;
  std::decay_t<decltype(asio::prefer(std::declval<asio::associated_executor_t<Handler, Fallback>>(),
                                     asio::execution::outstanding_work.tracked))> work;
};

template <class Token, class Sig>
auto result_stream::initiate(bool page, Token&& token) {
  // The initiation holds the core, not this object: a deferred operation may
  // be launched after the stream was moved.
  return asio::async_initiate<Token, Sig>(
      [core = core_, page](auto handler) {
        using H = std::decay_t<decltype(handler)>;
        if (!core) {
          // Completes on the handler's own executor — which for use_future is
          // no io executor at all (so no any_io_executor here) — or the system's.
          auto w = std::make_unique<waiter_op<H, Sig, asio::system_executor>>(std::move(handler),
                                                                              asio::system_executor());
          w->complete(errc::empty_stream, nullptr, std::nullopt);
          return;
        }
        auto slot = asio::get_associated_cancellation_slot(handler);
        if (slot.is_connected()) {
          // Cancelling the awaiting operation frees the caller; the stream stays usable.
          slot.assign([w = std::weak_ptr<stream_core>(core)](asio::cancellation_type) {
            if (auto c = w.lock()) asio::post(c->strand(), [c] { c->cancel_waiter(); });
          });
        }
        using strand_t = std::decay_t<decltype(core->strand())>;
        auto w = std::make_unique<waiter_op<H, Sig, strand_t>>(std::move(handler), core->strand());
        w->wants_page = page;
        asio::post(core->strand(), transport::recycled([core, w = std::move(w)]() mutable { core->next(std::move(w)); }));
      },
      token);
}

}  // namespace cqlpp::streaming
