// connection: one CQL connection to one node, multiplexing up to 32,768
// requests by stream id.
//
// Shape:
// - The protocol half — stream ids, matching, orphans, ordered deadlines,
//   heartbeat decisions, framing — is protocol::connection_state; this class
//   is its I/O shell: socket, TLS, one timer (armed for the state's next
//   wakeup, so an idle connection wakes only for its heartbeat), the strand.
// - All state lives on the connection's strand; public calls may come from any
//   thread and are posted there.
// - async_request takes an encoded request body and completes with the
//   response frame (or an error). Requests issued in the same turn of the
//   event loop, or while a write is in flight, leave in one write.
// - A request whose caller gives up (timeout, cancellation slot) completes at
//   once with the error, and its stream id stays *orphaned* until the server's
//   late response arrives and is absorbed (or the connection closes).
// - A heartbeat (OPTIONS) is sent when the connection has been idle for
//   heartbeat_interval; unanswered within heartbeat_timeout, the connection is
//   defunct: every in-flight request fails at once with errc::defunct.
// - Closing (by the caller, the peer, or an error) fails every in-flight
//   request with the cause; nothing waits forever.
//
// Lifetime: held by shared_ptr; in-flight operations keep it alive. Handlers
// run on their associated executor, never inline from the initiating call.
// A handler whose executor is the io_context running the read that brought
// its response (not a strand) runs straight from that read; whatever it
// issues then leaves in the write at the end of the read. A request issued on
// that io_context's thread starts at once (dispatch); failures still post.
// On plain TCP, writes go straight to the socket; only what it does not
// take at once is written asynchronously.
// Cancellation: emit a handler's cancellation slot only from that handler's
// associated executor (the slot is assigned and cleared there).
#pragma once

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cqlpp/protocol/connection_state.hpp"
#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/transport/request.hpp"
#include "cqlpp/transport/byte_stream.hpp"
#include "cqlpp/transport/error.hpp"
#include "cqlpp/transport/op_memory.hpp"
#include "cqlpp/transport/options.hpp"
#include "cqlpp/transport/post.hpp"

namespace cqlpp::transport {

// Counters a test or cql-probe reads. A snapshot; cheap to take from any thread.
struct connection_stats {
  int ids_in_use = 0;                  // stream ids awaiting a response for a live request
  int orphaned_ids = 0;                // ids whose caller gave up, awaiting the late response
  std::uint64_t requests_sent = 0;     // requests given a stream id (handshake included)
  std::uint64_t responses_received = 0;  // frames received (events, orphan and stray ones included)
  std::uint64_t orphan_responses = 0;  // late responses absorbed
  std::uint64_t stray_responses = 0;   // responses for ids not in flight
  std::uint64_t writes = 0;            // write operations issued (coalescing ratio)
  std::uint64_t bytes_sent = 0;        // bytes written to the socket (TLS: plaintext)
  std::uint64_t bytes_received = 0;    // bytes read from the socket (TLS: plaintext)
  std::uint64_t heartbeats_sent = 0;   // OPTIONS pings sent
  std::uint64_t timeouts = 0;          // requests failed with request_timeout (their ids orphaned)
  std::uint64_t bytes_in_flight = 0;   // encoded, not yet written to the socket
};

// What the handshake settled (valid after async_connect succeeds).
struct handshake_info {
  std::uint8_t version = 0;  // the protocol version spoken (4 or 5); 0 before the handshake
  compression compress = compression::none;  // lz4 when asked for and offered
  std::map<std::string, std::vector<std::string>> supported;  // the SUPPORTED map
  std::string authenticator;        // empty when the server did not ask
  // OpenSSL's protocol name ("TLSv1.3"); empty without TLS.
  std::string tls_version, tls_cipher;  // tls_cipher: OpenSSL's cipher name; empty without TLS
};

namespace detail {
// A type-erased waiting request; complete() is called exactly once, on the strand.
// `may_run_here`: the caller is a read completion (never an initiating call),
// so a handler whose executor is this thread's io_context may run at once.
struct pending_base : recycled_op {
  virtual ~pending_base() = default;
  virtual void complete(std::error_code ec, response r, bool may_run_here = false) = 0;
  std::uint64_t seq = 0;
  protocol::request_handle handle;  // its id in the connection_state
};
}  // namespace detail

// One CQL connection to one node (see the top of this file).
class connection : public std::enable_shared_from_this<connection> {
 public:
  using strand_type = transport::strand_type;  // the strand all state lives on
  using event_handler = std::function<void(const response&)>;  // gets each EVENT frame (stream id -1)

  // A closed connection; async_open connects it. `tls_ctx`: the TLS context to
  // use when opts.tls.enabled; null builds one from opts.tls at open.
  static std::shared_ptr<connection> create(asio::any_io_executor ex, connection_options opts,
                                            std::shared_ptr<asio::ssl::context> tls_ctx = nullptr);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // TCP connect, TLS, then the raw socket is ready for the handshake layer.
  // Completes with void(std::error_code).
  template <class Token>
  auto async_open(Token&& token) {
    return asio::async_initiate<Token, void(std::error_code)>(
        [self = shared_from_this()](auto handler) {
          auto h = std::make_shared<decltype(handler)>(std::move(handler));
          auto ex = asio::prefer(asio::get_associated_executor(*h, self->strand_),
                                                  asio::execution::outstanding_work.tracked);
          self->start_open(std::function<void(std::error_code)>(
              [h, ex](std::error_code ec) mutable {
                asio::post(ex, [h, ec]() mutable { (*h)(ec); });
              }));
        },
        token);
  }

  // Sends one request; completes with void(std::error_code, response).
  template <class Token>
  auto async_request(request r, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, response)>(
        [self = shared_from_this()](auto handler, request r) {
          using H = std::decay_t<decltype(handler)>;
          auto p = std::make_unique<pending_op<H>>(std::move(handler), self->strand_);
          asio::cancellation_slot slot;
          if constexpr (std::is_same_v<asio::associated_cancellation_slot_t<H>, asio::cancellation_slot>)
            slot = asio::get_associated_cancellation_slot(p->handler);
          self->submit_op(std::move(p), std::move(r), slot);
        },
        token, std::move(r));
  }

  // The same for an owner with its own op type (the pool's queued op): p's
  // complete() is called exactly once, on the strand. A connected `slot`
  // is assigned to cancel the request: call this from the executor the slot
  // belongs to.
  void submit_op(std::unique_ptr<detail::pending_base> p, request r, asio::cancellation_slot slot);

  // Fails every in-flight request with connection_closed and closes the socket.
  // Thread-safe; idempotent. Before the connection is open, it also ends
  // async_open (with connection_closed) at the step it has reached.
  void close();
  // close(), and marks the connection abandoned by its owner: a handshake in
  // progress gives up instead of trying another protocol version.
  void abort() {
    aborted_ = true;
    close();
  }
  // abort() was called.
  bool aborted() const noexcept { return aborted_.load(); }

  // After the handshake layer negotiated them: frames go out with `version`
  // (and lz4 bodies / v5 segments), and the heartbeat starts.
  void set_negotiated(handshake_info info);
  // v5 only: from now on, both directions use segment framing (v5 §2.3: right
  // after the server's READY or AUTHENTICATE). Call on the strand, before the
  // next request is sent.
  void enable_segments(bool lz4);
  // v4 only: lz4 frame bodies from now on (after STARTUP, v4 §5).
  void enable_body_compression();
  // During the handshake: the version byte to put on frames (posted to the
  // strand, so it applies to every request made after it).
  void set_handshake_version(std::uint8_t v);
  // What the handshake settled; read after async_connect completed.
  const handshake_info& info() const noexcept { return info_; }

  // Set before async_open; called on the strand.
  void on_event(event_handler h) { event_handler_ = std::move(h); }
  // Called once, on the strand, when an open connection closes for any reason;
  // at once (on the strand) when it closed before the handler was installed.
  // Thread-safe: installed on the strand, so no close can slip between.
  void on_close(std::function<void(std::error_code)> h);
  connection_stats stats() const;  // a snapshot of the counters; from any thread
  // stats().orphaned_ids alone, lock-free (the pool reads it per request).
  int orphaned_ids() const noexcept { return stats_.orphaned_ids.load(std::memory_order_relaxed); }
  // TCP (and TLS) is up and the connection has not closed since.
  bool is_open() const noexcept { return open_.load(); }
  // Why the connection closed (or failed to open); empty while open.
  std::error_code close_reason() const;
  // Why the handshake failed, in words (the server's message, a TLS verify
  // error); empty otherwise. Read after the failed connect completed.
  const std::string& failure_detail() const noexcept { return failure_detail_; }
  // Sets failure_detail() (the handshake layer does).
  void set_failure_detail(std::string d) { failure_detail_ = std::move(d); }
  // The options given to create().
  const connection_options& options() const noexcept { return opts_; }
  // The strand all state lives on.
  strand_type& strand() noexcept { return strand_; }
  // The socket, plain or TLS; use it on the strand.
  byte_stream& stream() noexcept { return stream_; }

 private:
  template <class Handler>
  struct pending_op final : detail::pending_base {
    pending_op(Handler&& h, strand_type& s)
        : handler(std::move(h)),
          work(asio::prefer(asio::get_associated_executor(handler, s), asio::execution::outstanding_work.tracked)) {}
    void complete(std::error_code ec, response r, bool may_run_here) override {
      // The cancellation slot is cleared on the handler's executor, where it
      // was assigned and where the caller emits: slots are not thread-safe.
      if (may_run_here && runs_here(work)) {
        // In place: the handler is not moved again (the owner frees this op after).
        return call_clearing_slot(handler, ec, std::move(r));
      }
      auto ex = std::move(work);
      // Recycled memory for the posted step.
      auto run = recycled([h = std::move(handler), ec, r = std::move(r)]() mutable {
        call_clearing_slot(h, ec, std::move(r));
      });
      post_to(ex, std::move(run));
    }
    Handler handler;
    // The handler's executor, tracking work so its io_context stays running
    // while the request is in flight.
    std::decay_t<decltype(asio::prefer(std::declval<asio::associated_executor_t<Handler, strand_type>>(),
                                       asio::execution::outstanding_work.tracked))> work;
  };

  connection(asio::any_io_executor ex, connection_options opts, std::shared_ptr<asio::ssl::context> tls_ctx);

  struct sink;  // completes pending ops from the state's completions

  void start_open(std::function<void(std::error_code)> done);
  void start_request(std::unique_ptr<detail::pending_base> p, request r);
  void cancel_seq(std::uint64_t seq);
  void schedule_flush();
  void flush();
  void start_read();
  bool on_read(std::size_t n);    // false once the connection is closed
  void write_done(std::error_code ec, std::size_t n);
  void run_ready();
  void arm_tick();
  void rearm();
  void on_tick();
  void fail_all(std::error_code ec);
  void sync_stats() noexcept;

  asio::any_io_executor ex_;
  strand_type strand_;
  connection_options opts_;
  std::shared_ptr<asio::ssl::context> tls_ctx_;
  byte_stream stream_;
  steady_timer tick_;
  handshake_info info_;
  // The protocol half: ids, matching, orphans, deadlines, heartbeats, framing.
  protocol::connection_state state_;
  std::vector<std::unique_ptr<detail::pending_base>> pending_;  // by stream id
  std::atomic<std::uint64_t> next_seq_{0};

  std::vector<std::byte> writing_;  // bytes of the write in flight (swapped with the state's output)
  bool writing_now_ = false;
  // Responses decoded by the last receive, completed once the state is
  // consistent again (a handler run at once may issue the next request).
  std::vector<std::pair<std::unique_ptr<detail::pending_base>, response>> ready_;
  bool completing_ = false;  // run_ready() is running: its caller flushes after it
  bool flush_scheduled_ = false;

  std::vector<std::byte> rx_;       // received bytes not yet decoded
  std::size_t rx_used_ = 0;
  bool ticking_ = false;
  std::chrono::steady_clock::time_point tick_at_;  // when the armed tick fires

  std::atomic<bool> open_{false};
  std::atomic<bool> closed_by_owner_{false};
  std::atomic<bool> aborted_{false};
  std::error_code close_reason_;
  std::string failure_detail_;
  event_handler event_handler_;
  std::function<void(std::error_code)> close_handler_;
  bool closed_after_open_ = false;  // fail_all ran on an open connection (strand)

  // Stats, written on the strand, read anywhere.
  struct atomic_stats {
    std::atomic<int> ids_in_use{0}, orphaned_ids{0};
    std::atomic<std::uint64_t> requests_sent{0}, responses_received{0}, orphan_responses{0},
        stray_responses{0}, writes{0}, bytes_sent{0}, bytes_received{0}, heartbeats_sent{0}, timeouts{0},
        bytes_in_flight{0};
  } stats_;
};

}  // namespace cqlpp::transport
