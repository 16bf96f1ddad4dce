// host_pool: N connections to one node, least-busy selection, reconnection
// with exponential backoff and jitter, and a bounded wait queue.
//
// - async_request picks the open connection with the fewest requests in
//   flight. When every connection is at its stream-id capacity, the request
//   waits in a queue of at most max_queue entries (errc::queue_full beyond),
//   and leaves it when any request of the pool completes.
// - A request's timeout counts from submission, queue time included. A queued
//   request honours its cancellation slot (it leaves the queue at once with
//   operation_aborted and is never sent), and one still queued at its
//   deadline fails with request_timeout — or, when no connection is open
//   (the node went away and did not come back in time), with no_connection.
// - A connection that closes (peer, heartbeat, error) is replaced after
//   base * 2^attempt (capped at max), each delay randomised by ±jitter so that
//   many clients do not reconnect in step.
// - A connection whose orphaned ids pass orphan_threshold is retired and
//   replaced: a node that never answers some requests must not starve the pool.
//
// Thread-safety: every public member may be called from any thread.
// Lifetime: shared_ptr; close() fails what is queued, closes every connection,
// ends connection attempts and cancels every timer, so that afterwards
// nothing of the pool keeps an io_context busy.
#pragma once

#include <asio.hpp>
#include <atomic>
#include <cstdint>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "cqlpp/transport/connection.hpp"
#include "cqlpp/transport/handshake.hpp"
#include "cqlpp/transport/pool_options.hpp"

namespace cqlpp::transport {

namespace detail {
// A request waiting for capacity; run() submits it, fail() completes it.
// Once sent, the same object is the connection's pending op: one object per
// request from queue to response, the handler moved into it once.
struct queued_request : pending_base {
  std::uint64_t queue_seq = 0;                      // finds it in the queue to cancel it
  std::chrono::steady_clock::time_point deadline;   // submission + timeout
  // Set by the cancellation handler (on the handler's executor); read when
  // the request leaves the queue, on that executor too.
  std::shared_ptr<std::atomic<bool>> cancelled;
  // Takes ownership of itself (`self` == this) and sends on `c`.
  // `load` counts the pool's requests on `c`; decremented on completion.
  virtual void run(std::unique_ptr<queued_request> self, const std::shared_ptr<connection>& c,
                   std::shared_ptr<std::atomic<int>> load) = 0;
  virtual void fail(std::error_code ec) = 0;
};
}  // namespace detail

// N connections to one node (see the top of this file).
class host_pool : public std::enable_shared_from_this<host_pool> {
 public:
  // A pool with no connection open yet (async_start opens them). Every
  // connection gets `copts` (and `tls_ctx`; null: each builds one from copts.tls).
  static std::shared_ptr<host_pool> create(asio::any_io_executor ex, connection_options copts,
                                           pool_options popts = {},
                                           std::shared_ptr<asio::ssl::context> tls_ctx = nullptr);
  ~host_pool();

  // Opens the connections; completes void(std::error_code) when the first
  // one is ready (or with the first one's error, when none could open; its
  // detail is in last_error_detail()).
  template <class Token>
  auto async_start(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code)>(
        [self = shared_from_this()](auto handler) {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          auto ex = asio::prefer(asio::get_associated_executor(*h, self->ex_),
                                 asio::execution::outstanding_work.tracked);
          self->start([h, ex](std::error_code ec) {
            asio::post(ex, [h, ec]() mutable { std::move(*h)(ec); });
          });
        },
        token);
  }

  template <class Token>
  auto async_request(request r, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, response)>(
        [self = shared_from_this()](auto handler, request r) {
          using H = std::decay_t<decltype(handler)>;
          auto q = std::make_unique<queued_op<H>>(self, std::move(handler), std::move(r));
          self->prepare(*q, q->req.timeout);
          auto slot = asio::get_associated_cancellation_slot(q->handler);
          if (slot.is_connected()) {
            // Assigned here, on the caller's side, before another thread can
            // see the request; the connection replaces it when sending.
            q->cancelled = std::make_shared<std::atomic<bool>>(false);
            slot.assign([w = self->weak_from_this(), seq = q->queue_seq, flag = q->cancelled](asio::cancellation_type) {
              flag->store(true);
              if (auto p = w.lock()) p->cancel_queued(seq);
            });
          }
          self->enqueue(std::move(q));
        },
        token, std::move(r));
  }

  // Fails queued requests with connection_closed, closes every connection and
  // ends pending attempts and timers (see Lifetime above). Idempotent.
  void close();
  // Connections waiting out a reconnection backoff try now, and the backoff
  // starts over: the node was just reported up.
  void reconnect_now();
  // Every open connection switches to `keyspace` (USE), and every connection
  // opened later starts in it; `done(ec)` runs once all open ones answered
  // (on an arbitrary thread), with the first failure if any.
  void use_keyspace(std::string keyspace, std::function<void(std::error_code)> done);
  pool_stats stats() const;  // a snapshot of the counters
  // The failure_detail() of the last connection attempt that failed; empty when none has.
  std::string last_error_detail() const;
  // The protocol version the first connection negotiated, pinned for the
  // pool's life (0 until one opened). Lock-free: read once per request.
  std::uint8_t protocol_version() const;
  // The options each new connection gets: create()'s, with the keyspace of the
  // last use_keyspace(). Read without the pool's lock: not while use_keyspace() runs.
  const connection_options& options() const noexcept { return copts_; }

 private:
  template <class Handler>
  struct queued_op final : detail::queued_request {
    queued_op(std::shared_ptr<host_pool> p, Handler&& h, request r)
        : pool(std::move(p)),
          handler(std::move(h)),
          req(std::move(r)),
          work(asio::prefer(asio::get_associated_executor(handler, pool->ex_),
                            asio::execution::outstanding_work.tracked)) {}
    void run(std::unique_ptr<detail::queued_request> self, const std::shared_ptr<connection>& c,
             std::shared_ptr<std::atomic<int>> l) override {
      load = std::move(l);
      // Issue from the handler's executor: that is where its cancellation
      // slot may be touched (see connection.hpp).
      dispatch_to(asio::get_associated_executor(handler, pool->ex_), [self = std::move(self), c]() mutable {
        auto* op = static_cast<queued_op*>(self.get());
        op->issue(std::move(self), c);
      });
    }
    void issue(std::unique_ptr<detail::queued_request> self, const std::shared_ptr<connection>& c) {
      std::error_code ec;
      if (cancelled && cancelled->load()) ec = asio::error::operation_aborted;
      else if (!pool->remaining_timeout(*this, req.timeout)) ec = errc::request_timeout;
      if (ec) {
        // Never sent: give the capacity back and fail it here.
        load->fetch_sub(1);
        pool->on_complete();
        return fail(ec);
      }
      asio::cancellation_slot slot;
      if constexpr (std::is_same_v<asio::associated_cancellation_slot_t<Handler>, asio::cancellation_slot>)
        slot = asio::get_associated_cancellation_slot(handler);
      request r = std::move(req);
      c->submit_op(std::move(self), std::move(r), slot);
    }
    // As the connection's pending op: the response (or the failure) arrived.
    void complete(std::error_code ec, response r, bool may_run_here) override {
      if (may_run_here && runs_here(work)) {
        // In place: the handler is not moved again (the owner frees this op after).
        load->fetch_sub(1);
        pool->on_complete();
        return call_clearing_slot(handler, ec, std::move(r));
      }
      auto ex = std::move(work);
      auto done = recycled([pool = std::move(pool), h = std::move(handler), load = std::move(load), ec,
                            r = std::move(r)]() mutable {
        load->fetch_sub(1);
        pool->on_complete();
        call_clearing_slot(h, ec, std::move(r));
      });
      post_to(ex, std::move(done));
    }
    void fail(std::error_code ec) override {
      post_to(work, [h = std::move(handler), ec]() mutable { call_clearing_slot(h, ec, response{}); });
    }
    std::shared_ptr<host_pool> pool;
    Handler handler;
    request req;
    // The handler's executor, tracking work so its io_context keeps running
    // while the request waits or is in flight.
    std::decay_t<decltype(asio::prefer(std::declval<asio::associated_executor_t<Handler, asio::any_io_executor>>(),
                                       asio::execution::outstanding_work.tracked))> work;
    std::shared_ptr<std::atomic<int>> load;  // the connection's count, once picked
  };

  struct slot {
    std::shared_ptr<connection> conn;  // null while (re)connecting
    // The pool's requests on conn: exact, unlike the connection's counters,
    // which lag behind posts to its strand.
    std::shared_ptr<std::atomic<int>> load = std::make_shared<std::atomic<int>>(0);
    int attempts = 0;
    bool connecting = false;
    std::shared_ptr<connection> trying;               // the attempt's connection, to end it on close()
    std::shared_ptr<asio::steady_timer> reconnect;  // armed while waiting to reconnect
  };

  host_pool(asio::any_io_executor ex, connection_options copts, pool_options popts,
            std::shared_ptr<asio::ssl::context> tls_ctx);

  void start(std::function<void(std::error_code)> done);
  void connect_slot(std::size_t i);
  void schedule_reconnect(std::size_t i);
  void enqueue(std::unique_ptr<detail::queued_request> q);
  // Numbers the request and sets its deadline (timeout 0: the connection's).
  void prepare(detail::queued_request& q, std::chrono::milliseconds timeout);
  // The time left before q's deadline into `timeout`; false when none is left.
  bool remaining_timeout(const detail::queued_request& q, std::chrono::milliseconds& timeout) const;
  void cancel_queued(std::uint64_t seq);
  void arm_queue_timer_locked();
  void on_queue_timer();
  void on_complete();
  void drain();  // runs queued requests while capacity lasts; called with mu_ unlocked
  // The least-loaded open connection with a free id (and its load counter,
  // already incremented), or nulls.
  std::pair<std::shared_ptr<connection>, std::shared_ptr<std::atomic<int>>> pick_locked();

  asio::any_io_executor ex_;
  connection_options copts_;
  pool_options popts_;
  std::shared_ptr<asio::ssl::context> tls_ctx_;

  std::atomic<std::uint8_t> version_{0};
  mutable std::mutex mu_;
  std::vector<slot> slots_;
  std::deque<std::unique_ptr<detail::queued_request>> queue_;
  std::function<void(std::error_code)> start_done_;
  std::string last_error_detail_;
  std::error_code last_error_;
  int failed_starts_ = 0;
  bool closed_ = false;
  std::mt19937 rng_{std::random_device{}()};
  std::atomic<std::uint64_t> next_seq_{0};  // numbers requests without taking mu_
  std::atomic<std::size_t> queued_{0};      // queue_.size(), written under mu_, read without it
  // Fails queued requests at their deadline; runs only while some wait.
  asio::steady_timer queue_timer_;
  bool queue_timer_armed_ = false;

  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::uint64_t> reconnect_attempts_{0};
};

}  // namespace cqlpp::transport
