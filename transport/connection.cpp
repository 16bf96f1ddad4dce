#include "cqlpp/transport/connection.hpp"

#include <algorithm>

namespace cqlpp::transport {

using clock = std::chrono::steady_clock;
namespace proto = cqlpp::protocol;

namespace {
// One timer per connection, armed for the state's next wakeup (the earliest
// deadline or the heartbeat), never a periodic scan.
constexpr std::size_t min_read = 64 * 1024;
}  // namespace

std::shared_ptr<connection> connection::create(asio::any_io_executor ex, connection_options opts,
                                               std::shared_ptr<asio::ssl::context> tls_ctx) {
  return std::shared_ptr<connection>(new connection(std::move(ex), std::move(opts), std::move(tls_ctx)));
}

connection::connection(asio::any_io_executor ex, connection_options opts,
                       std::shared_ptr<asio::ssl::context> tls_ctx)
    : ex_(ex),
      strand_(asio::make_strand(io_executor_of(ex))),
      opts_(std::move(opts)),
      tls_ctx_(std::move(tls_ctx)),
      stream_(strand_),
      tick_(strand_),
      state_(protocol::connection_state_options{opts_.max_stream_ids, opts_.max_frame_body, opts_.heartbeat_interval,
                                                opts_.heartbeat_timeout},
             clock::now()) {
  pending_.resize(static_cast<std::size_t>(std::max(1, std::min(opts_.max_stream_ids, 32768))));
  state_.set_version(opts_.max_version);
}

connection::~connection() = default;

connection_stats connection::stats() const {
  connection_stats s;
  s.ids_in_use = stats_.ids_in_use;
  s.orphaned_ids = stats_.orphaned_ids;
  s.requests_sent = stats_.requests_sent;
  s.responses_received = stats_.responses_received;
  s.orphan_responses = stats_.orphan_responses;
  s.stray_responses = stats_.stray_responses;
  s.writes = stats_.writes;
  s.bytes_sent = stats_.bytes_sent;
  s.bytes_received = stats_.bytes_received;
  s.heartbeats_sent = stats_.heartbeats_sent;
  s.timeouts = stats_.timeouts;
  s.bytes_in_flight = stats_.bytes_in_flight;
  return s;
}

std::error_code connection::close_reason() const { return close_reason_; }


// The state's completions, turned into the pending ops' completions.
struct connection::sink final : protocol::completion_sink {
  connection& c;
  explicit sink(connection& conn) : c(conn) {}
  static std::error_code map(std::error_code ec) {
    using protocol::connection_errc;
    if (ec.category() != protocol::connection_category()) return ec;
    switch (static_cast<connection_errc>(ec.value())) {
      case connection_errc::request_timeout: return errc::request_timeout;
      case connection_errc::defunct: return errc::defunct;
      case connection_errc::no_stream_ids: return errc::no_stream_ids;
      case connection_errc::protocol_violation: return errc::protocol_violation;
      case connection_errc::closed: return errc::connection_closed;
    }
    return ec;
  }
  // The tag is the op's address; pending_ owns it under its id until now.
  std::unique_ptr<detail::pending_base> take(std::uint64_t tag) {
    auto* raw = reinterpret_cast<detail::pending_base*>(static_cast<std::uintptr_t>(tag));
    return std::move(c.pending_[static_cast<std::size_t>(raw->handle.id)]);
  }
  void on_response(std::uint64_t tag, const proto::frame_header& h, proto::bytes_view body) override {
    auto p = take(tag);
    c.sync_stats();  // counters first: the caller may read them once completed
    if (!p) return;
    response r{h, pooled_bytes::reuse()};
    r.body.assign(body.begin(), body.end());
    c.ready_.emplace_back(std::move(p), std::move(r));  // completed after receive() returns
  }
  void on_failure(std::uint64_t tag, std::error_code ec) override {
    // The whole connection failed: fail_all completes every op once the
    // connection is marked closed, so no caller sees it still open.
    if (c.state_.failed()) return;
    auto p = take(tag);
    c.sync_stats();
    if (p) p->complete(map(ec), {});
  }
  void on_event(const proto::frame_header& h, proto::bytes_view body) override {
    if (c.event_handler_) c.event_handler_(response{h, std::vector<std::byte>(body.begin(), body.end())});
  }
};

void connection::sync_stats() noexcept {
  const auto st = state_.stats();
  stats_.ids_in_use = st.ids_in_use;
  stats_.orphaned_ids = st.orphaned_ids;
  stats_.responses_received = st.responses;
  stats_.orphan_responses = st.orphan_responses;
  stats_.stray_responses = st.stray_responses;
  stats_.heartbeats_sent = st.heartbeats_sent;
  stats_.timeouts = st.timeouts;
}

// The handshake calls these between its requests; dispatching, like
// submit(), keeps them ordered before its next request on the strand (both
// run at once on the strand's thread, or queue in order on it). info_ is written here, before the
// caller is completed, and only read by callers afterwards.
void connection::set_negotiated(handshake_info info) {
  info_.version = info.version;
  info_.compress = info.compress;
  info_.supported = std::move(info.supported);
  info_.authenticator = std::move(info.authenticator);
  asio::dispatch(strand_, [self = shared_from_this(), v = info.version] {
    self->state_.set_version(v);
    self->state_.enable_heartbeats(clock::now());
    self->rearm();
  });
}

void connection::set_handshake_version(std::uint8_t v) {
  asio::dispatch(strand_, [self = shared_from_this(), v] { self->state_.set_version(v); });
}

void connection::enable_body_compression() {
  asio::dispatch(strand_, [self = shared_from_this()] { self->state_.enable_body_compression(); });
}

void connection::enable_segments(bool lz4) {
  asio::dispatch(strand_, [self = shared_from_this(), lz4] {
    self->state_.enable_segments(lz4 ? proto::segment_compression::lz4 : proto::segment_compression::none);
  });
}

void connection::on_close(std::function<void(std::error_code)> h) {
  asio::post(strand_, [self = shared_from_this(), h = std::move(h)]() mutable {
    if (self->closed_after_open_) return h(self->close_reason_);
    self->close_handler_ = std::move(h);
  });
}

void connection::close() {
  closed_by_owner_ = true;
  asio::post(strand_, [self = shared_from_this()] {
    self->fail_all(errc::connection_closed);
  });
}

void connection::submit_op(std::unique_ptr<detail::pending_base> p, request r, asio::cancellation_slot slot) {
  // Atomic: callers on several threads must never share a sequence number,
  // or cancelling one request would cancel another.
  const std::uint64_t seq = next_seq_.fetch_add(1, std::memory_order_relaxed) + 1;
  p->seq = seq;
  if (slot.is_connected()) {
    slot.assign([w = weak_from_this(), seq](asio::cancellation_type) {
      if (auto self = w.lock()) asio::post(self->strand_, [self, seq] { self->cancel_seq(seq); });
    });
  }
  // Dispatched: from a thread of the strand's io_context (the usual caller,
  // a completion handler) it runs at once, saving a trip through the
  // scheduler; its completion is still posted (start_request).
  asio::dispatch(strand_, recycled([self = shared_from_this(), p = std::move(p), r = std::move(r)]() mutable {
    self->start_request(std::move(p), std::move(r));
  }));
}

void connection::start_request(std::unique_ptr<detail::pending_base> p, request r) {
  if (!open_) {
    p->complete(close_reason_ ? close_reason_ : std::error_code(errc::not_connected), {});
    return;
  }
  const auto timeout = r.timeout.count() > 0 ? r.timeout : opts_.request_timeout;
  const auto deadline = clock::now() + timeout;
  proto::request_handle h;
  auto* raw = p.get();
  const auto tag = static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(raw));
  const auto ec = state_.submit(r.op, r.flags, r.bytes(), tag, deadline, h);
  if (ec) {
    p->complete(sink::map(ec) == errc::connection_closed && close_reason_ ? close_reason_ : sink::map(ec), {});
    return;
  }
  raw->handle = h;
  pending_[static_cast<std::size_t>(h.id)] = std::move(p);
  stats_.requests_sent.fetch_add(1, std::memory_order_relaxed);
  sync_stats();
  schedule_flush();
  rearm();
}

void connection::cancel_seq(std::uint64_t seq) {
  // Linear in ids in flight, but cancellation is rare next to requests.
  for (auto& p : pending_) {
    if (p && p->seq == seq) {
      auto owned = std::move(p);
      state_.abandon(owned->handle);  // orphaned until the late answer
      sync_stats();
      owned->complete(asio::error::operation_aborted, {});
      return;
    }
  }
}

void connection::schedule_flush() {
  // Defer the write to the end of this turn, so requests posted together
  // leave in one write; while a write is in flight, they wait for it. While
  // a read completes its responses, the read writes when they are done.
  if (flush_scheduled_ || writing_now_ || completing_) return;
  flush_scheduled_ = true;
  asio::post(strand_, recycled([self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  }));
}

void connection::flush() {
  if (writing_now_ || !open_ || !state_.has_output()) return;
  state_.take_output(writing_);  // swapped, not copied: the state reuses the old buffer
  if (writing_.empty()) return;
  stats_.writes.fetch_add(1, std::memory_order_relaxed);
  std::size_t sent = 0;
  if (!stream_.is_tls()) {
    // The usual case: the socket takes it all now, and no completion has to
    // travel through the scheduler. What it does not take goes asynchronously.
    std::error_code ec;
    sent = stream_.socket().write_some(asio::buffer(writing_), ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return fail_all(ec);
    if (sent == writing_.size()) return write_done({}, sent);
  }
  writing_now_ = true;
  stats_.bytes_in_flight.store(writing_.size() - sent, std::memory_order_relaxed);
  stream_.async_write(asio::buffer(writing_) + sent, asio::bind_executor(strand_, recycled(
      [self = shared_from_this(), sent](std::error_code ec, std::size_t n) {
        self->writing_now_ = false;
        self->write_done(ec, sent + n);
      })));
}

void connection::write_done(std::error_code ec, std::size_t n) {
  stats_.bytes_sent.fetch_add(n, std::memory_order_relaxed);
  writing_.clear();
  stats_.bytes_in_flight.store(0, std::memory_order_relaxed);
  if (ec) return fail_all(ec == asio::error::operation_aborted && close_reason_ ? close_reason_ : ec);
  // More output queued while an asynchronous write was in flight.
  if (state_.has_output()) flush();
}

namespace {
std::error_code read_error(std::error_code ec) {
  return ec == asio::error::eof ? std::error_code(errc::connection_closed) : ec;
}
}  // namespace

void connection::start_read() {
  if (rx_.size() - rx_used_ < min_read / 2) rx_.resize(std::max(rx_.size() * 2, rx_used_ + min_read));
  stream_.async_read_some(asio::buffer(rx_.data() + rx_used_, rx_.size() - rx_used_),
      asio::bind_executor(strand_, recycled(
      [self = shared_from_this()](std::error_code ec, std::size_t n) {
        if (ec) return self->fail_all(self->close_reason_ ? self->close_reason_ : read_error(ec));
        if (self->on_read(n)) self->start_read();
      })));
}

bool connection::on_read(std::size_t n) {
  rx_used_ += n;
  stats_.bytes_received.fetch_add(n, std::memory_order_relaxed);
  sink sk(*this);
  const std::size_t pos = state_.receive(proto::bytes_view(rx_.data(), rx_used_), clock::now(), sk);
  sync_stats();
  if (state_.failed()) {
    run_ready();
    fail_all(sink::map(state_.failure()));
    return false;
  }
  if (!open_) {
    run_ready();
    return false;
  }
  if (pos > 0) {
    std::copy(rx_.begin() + static_cast<std::ptrdiff_t>(pos),
              rx_.begin() + static_cast<std::ptrdiff_t>(rx_used_), rx_.begin());
    rx_used_ -= pos;
  }
  // Back to the usual size once a large frame has been consumed.
  if (rx_used_ == 0 && rx_.size() > 4 * min_read) {
    rx_.resize(min_read);
    rx_.shrink_to_fit();
  }
  run_ready();
  // The requests its handlers issued (and any heartbeat) leave together now.
  flush();
  return open_;
}

// Completes the responses of the last receive. A handler on this thread's
// io_context runs at once (it may issue its next request, which then joins
// the coming flush); others are posted to their executor.
void connection::run_ready() {
  completing_ = true;
  // By index: nothing run here adds to ready_, but a growing vector would
  // not invalidate this loop either.
  std::size_t i = 0;
  try {
    for (; i < ready_.size(); ++i) {
      auto& [p, r] = ready_[i];
      p->complete({}, std::move(r), true);
    }
  } catch (...) {
    // A handler threw. The exception leaves through io_context::run(), as it
    // would from a posted handler, but the connection must go on: the other
    // responses complete by posting, and reading (or failing) resumes.
    for (++i; i < ready_.size(); ++i) ready_[i].first->complete({}, std::move(ready_[i].second), false);
    ready_.clear();
    completing_ = false;
    asio::post(strand_, [self = shared_from_this()] {
      if (self->state_.failed()) return self->fail_all(sink::map(self->state_.failure()));
      if (!self->open_) return;
      self->flush();
      self->start_read();
    });
    throw;
  }
  ready_.clear();
  completing_ = false;
}

// The state's next wakeup may now be earlier than the armed tick.
void connection::rearm() {
  const auto next = state_.next_wakeup();
  if (!next || (ticking_ && *next >= tick_at_)) return;
  if (ticking_) {
    tick_.cancel();  // its completion sees operation_aborted (or a stale time) and stops
    ticking_ = false;
  }
  arm_tick();
}

void connection::arm_tick() {
  if (ticking_ || !open_) return;
  const auto next = state_.next_wakeup();
  if (!next) return;  // nothing in flight, no heartbeat due: sleep
  ticking_ = true;
  // Deadlines are exact to this grain; coarser waking would only add misses.
  tick_at_ = std::max(*next, clock::now() + std::chrono::milliseconds(1));
  tick_.expires_at(tick_at_);
  tick_.async_wait(asio::bind_executor(strand_, [self = shared_from_this(), at = tick_at_](std::error_code ec) {
    if (ec || at != self->tick_at_) return;  // cancelled, or superseded by an earlier deadline
    self->ticking_ = false;
    self->on_tick();
  }));
}

void connection::on_tick() {
  if (!open_) return;
  sink sk(*this);
  state_.tick(clock::now(), sk);
  sync_stats();
  if (state_.failed()) return fail_all(sink::map(state_.failure()));
  if (state_.has_output()) schedule_flush();
  arm_tick();
}

void connection::fail_all(std::error_code ec) {
  if (!close_reason_) close_reason_ = ec;
  const bool was_open = open_.exchange(false);
  if (was_open || stream_.socket().is_open()) stream_.close();
  tick_.cancel();
  ticking_ = false;
  // No response can arrive any more: every id, orphaned or not, is free.
  // The sink stays silent for a failed state; the sweep below completes.
  sink sk(*this);
  state_.fail(close_reason_, sk);
  sync_stats();
  // Counters first (above): callers may read them as soon as they are completed.
  for (auto& p : pending_) {
    if (!p) continue;
    auto owned = std::move(p);
    owned->complete(close_reason_, {});
  }
  if (was_open) {
    closed_after_open_ = true;
    if (close_handler_) {
      auto h = std::move(close_handler_);
      h(close_reason_);
    }
  }
  stats_.bytes_in_flight.store(0, std::memory_order_relaxed);
}

}  // namespace cqlpp::transport
