#include "cqlpp/streaming/result_stream.hpp"

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/transport/message_io.hpp"

namespace cqlpp::streaming {

namespace proto = cqlpp::protocol;

namespace detail {

// One page of rows, with the response bytes its views point into. Counts
// itself in the registry for exactly as long as it exists.
struct page {
  page(transport::response r, proto::rows_result rr, stream_registry& reg)
      : resp(std::move(r)), rows(std::move(rr)), it(rows.begin()), end(rows.end()), reg_(reg),
        bytes_(resp.body.size()) {
    reg_.pages_held.fetch_add(1);
    reg_.bytes_held.fetch_add(static_cast<std::int64_t>(bytes_));
  }
  ~page() {
    reg_.pages_held.fetch_sub(1);
    reg_.bytes_held.fetch_sub(static_cast<std::int64_t>(bytes_));
  }
  page(const page&) = delete;
  page& operator=(const page&) = delete;

  transport::response resp;
  proto::rows_result rows;  // views into resp.body (a heap buffer that never moves)
  proto::rows_result::iterator it, end;
  bool handed_out_whole = false;
  std::optional<paging_state> resume_after;  // the state that continues after this page

 private:
  stream_registry& reg_;
  std::size_t bytes_;
};

}  // namespace detail

void stream_registry::add(const std::shared_ptr<stream_core>& c) {
  std::error_code closed;
  {
    std::lock_guard lk(mu_);
    closed = closed_;
    if (!closed) {
      // Drop expired entries now and then so the list stays as long as the live set.
      if (cores_.size() > 64 && cores_.size() % 64 == 0)
        std::erase_if(cores_, [](const auto& w) { return w.expired(); });
      cores_.push_back(c);
    }
  }
  if (closed) asio::post(c->strand(), [c, closed] { c->shutdown(closed); });
}

void stream_registry::close_all(std::error_code ec) {
  std::vector<std::weak_ptr<stream_core>> cores;
  {
    std::lock_guard lk(mu_);
    closed_ = ec;
    cores.swap(cores_);
  }
  for (auto& w : cores)
    if (auto c = w.lock()) asio::post(c->strand(), [c, ec] { c->shutdown(ec); });
}

bool stream_registry::closed() const {
  std::lock_guard lk(mu_);
  return static_cast<bool>(closed_);
}

stream_core::stream_core(std::shared_ptr<page_source> src, std::shared_ptr<stream_registry> reg,
                         asio::any_io_executor ex, stream_options opts)
    : src_(std::move(src)),
      reg_(std::move(reg)),
      strand_(asio::make_strand(transport::io_executor_of(ex))),
      prefetch_(std::max(0, opts.prefetch)),
      next_state_(std::move(opts.resume_from)) {
  resume_state_ = next_state_;
  reg_->live_streams.fetch_add(1);
}

stream_core::~stream_core() {
  // Pages free themselves (and their counters) as current_/ready_ die.
  if (fetching_) reg_->fetches_in_flight.fetch_sub(1);
  reg_->live_streams.fetch_sub(1);
}

std::size_t stream_core::pages_held() const noexcept { return (current_ ? 1 : 0) + ready_.size(); }

void stream_core::start() { maybe_fetch(); }

void stream_core::maybe_fetch() {
  // Held pages plus the one being fetched never exceed prefetch + 1.
  if (fetching_ || !more_ || error_ || pages_held() + 1 > static_cast<std::size_t>(prefetch_) + 1) return;
  fetching_ = true;
  reg_->fetches_in_flight.fetch_add(1);
  fetch_cancel_ = std::make_shared<asio::cancellation_signal>();
  src_->fetch_page(next_state_, strand_, fetch_cancel_->slot(),
                   [w = weak_from_this(), reg = reg_, sig = fetch_cancel_](std::error_code ec, transport::response r) {
                     (void)sig;  // kept alive until the connection has cleared our slot
                     auto self = w.lock();
                     if (!self) {
                       // The stream is gone: the response (and its bytes) die here.
                       reg->abandoned_fetches.fetch_add(1);
                       return;
                     }
                     self->on_page(ec, std::move(r));
                   });
}

void stream_core::on_page(std::error_code ec, transport::response r) {
  fetching_ = false;
  reg_->fetches_in_flight.fetch_sub(1);
  if (error_) return;  // shut down meanwhile; the response is dropped here
  if (ec) {
    error_ = ec;
    return serve();
  }
  auto decoded = transport::decode(r, src_->version());
  if (!decoded) {
    error_ = errc::bad_response;
    error_detail_ = decoded.error().message();
    return serve();
  }
  auto& msg = decoded->message;
  if (auto* e = std::get_if<proto::error_response>(&msg)) {
    error_ = e->error_code();
    error_detail_ = e->message;
    return serve();
  }
  auto* rows = std::get_if<proto::rows_result>(&msg);
  if (!rows) {
    // VOID and friends: a statement without rows is an empty stream.
    more_ = false;
    return serve();
  }
  const auto& md = rows->metadata();
  if (md.paging_state) {
    next_state_ = paging_state(md.paging_state->begin(), md.paging_state->end());
  } else {
    next_state_.reset();
    more_ = false;
  }
  reg_->pages_fetched.fetch_add(1);
  if (md.no_metadata) {
    if (auto types = src_->column_types()) {
      types_ = std::move(types);  // lives as long as the core, longer than its pages
      rows->use_column_types(types_.get());
    }
  }
  // The rows view points into r.body's heap buffer, which moves with r
  // without reallocating.
  ready_.push_back(std::make_unique<detail::page>(std::move(r), std::move(*rows), *reg_));
  ready_.back()->resume_after = next_state_;
  serve();
  maybe_fetch();
}

void stream_core::next(std::unique_ptr<detail::waiter> w) {
  if (waiter_) {
    // One outstanding call at a time, as with Asio's own objects.
    w->complete(asio::error::in_progress, nullptr, std::nullopt);
    return;
  }
  waiter_ = std::move(w);
  serve();
}

void stream_core::serve() {
  if (!waiter_) return;
  if (shut_down_) {
    // The page a row may still point into lived until this call; now it goes.
    current_.reset();
    auto w = std::move(waiter_);
    return w->complete(error_, nullptr, std::nullopt);
  }
  for (;;) {
    if (current_) {
      if (waiter_->wants_page && !current_->handed_out_whole && current_->it != current_->end) {
        // The rest of the current page: rows already handed out by
        // async_next are not repeated.
        if (current_->it != current_->rows.begin()) {
          current_->rows = current_->rows.tail(current_->it);
          current_->end = current_->rows.end();
        }
        current_->handed_out_whole = true;
        current_->it = current_->end;
        auto w = std::move(waiter_);
        return w->complete({}, &current_->rows, std::nullopt);
      }
      if (!waiter_->wants_page && current_->it != current_->end) {
        row r(*current_->it);
        ++current_->it;
        auto w = std::move(waiter_);
        return w->complete({}, nullptr, r);
      }
      current_.reset();  // used up: free it before anything else is fetched
    }
    if (!ready_.empty()) {
      current_ = std::move(ready_.front());
      ready_.pop_front();
      resume_state_ = current_->resume_after;
      maybe_fetch();  // a page slot just opened up
      continue;
    }
    if (error_) {
      auto w = std::move(waiter_);
      return w->complete(error_, nullptr, std::nullopt);
    }
    if (!more_ && !fetching_) {
      auto w = std::move(waiter_);
      return w->complete({}, nullptr, std::nullopt);  // the end
    }
    maybe_fetch();
    return;  // wait for on_page
  }
}

void stream_core::cancel_waiter() {
  if (!waiter_) return;
  auto w = std::move(waiter_);
  w->complete(asio::error::operation_aborted, nullptr, std::nullopt);
}

void stream_core::shutdown(std::error_code ec) {
  if (!error_) error_ = ec;
  shut_down_ = true;
  if (fetching_ && fetch_cancel_) fetch_cancel_->emit(asio::cancellation_type::terminal);
  ready_.clear();
  // current_ stays: the caller may still hold a row of it, valid until its
  // next call on the stream (which frees it) or the stream's destruction.
  more_ = false;
  if (waiter_) {
    auto w = std::move(waiter_);
    w->complete(error_, nullptr, std::nullopt);
  }
}

void result_stream::release() noexcept {
  if (!core_) return;
  // Finish on the strand, where the core's state lives: abandon the fetch
  // in flight and free the pages. The posted operation holds the last
  // reference; when it ends, the core is gone.
  auto core = std::move(core_);
  auto& strand = core->strand();
  asio::post(strand, [core = std::move(core)]() mutable {
    core->shutdown(asio::error::operation_aborted);
    core.reset();
  });
}

}  // namespace cqlpp::streaming
