// connection_state: the stateful half of one CQL connection, without I/O
// (nghttp2's session model): stream-id allocation, matching responses to
// requests, orphans, per-request deadlines and heartbeat decisions.
//
//   submit(op, flags, body, tag, deadline)  -> a handle; the frame is in output
//   take_output(buf)                        -> the bytes to write, in order
//   receive(bytes, now, sink)               -> bytes consumed; completions to sink
//   tick(now, sink)                         -> deadlines expired, heartbeat sent
//                                              or the connection declared defunct
//   next_wakeup()                           -> when tick() next has work
//   abandon(handle) / fail(ec, sink)        -> caller gives up / connection gone
//
// Every submitted request completes exactly once through the sink — response,
// request_timeout, or the connection's failure — unless the caller abandons
// it first; an abandoned id stays orphaned until its late answer is absorbed
// (or the connection fails), so it is never reused under a live answer.
// Deadlines are kept in order (an intrusive list: O(1) for the usual
// same-timeout case), so an idle connection wakes only for its heartbeat.
// Time is passed in; nothing here reads a clock, allocates per request once
// its buffers have grown, or does I/O.
//
// Framing: v4 frames (optionally lz4 bodies, v4 §5) or v5 segments once
// enabled; the handshake itself is still the shell's (transport/handshake).
// Sink callbacks run inside receive()/tick()/fail(); a body view is valid
// until the callback returns. Not thread-safe: one owner, one thread/strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <system_error>
#include <vector>

#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/protocol/frame_assembler.hpp"
#include "cqlpp/protocol/segment.hpp"
#include "cqlpp/protocol/segment_encoder.hpp"
#include "cqlpp/protocol/stream_ids.hpp"

namespace cqlpp::protocol {

// A point in time as the caller's clock gives it; connection_state is told the time, it never reads it.
using steady_time = std::chrono::steady_clock::time_point;

// Failures connection_state reports, in connection_category().
enum class connection_errc {
  request_timeout = 1,  // no response before the request's deadline
  defunct,              // heartbeat unanswered within heartbeat_timeout
  no_stream_ids,        // every id is in use or orphaned
  protocol_violation,   // the peer's bytes break framing
  closed,               // fail() was called or the state failed earlier
};
// The category of connection_errc, named "cqlpp.connection".
const std::error_category& connection_category() noexcept;
// Makes connection_errc values convertible to std::error_code.
inline std::error_code make_error_code(connection_errc e) noexcept { return {static_cast<int>(e), connection_category()}; }

// Limits and heartbeat timing of one connection_state, fixed at construction.
struct connection_state_options {
  int max_stream_ids = stream_id_pool::max_ids;  // stream ids 0..n-1 (clamped to 1..32768); default 32768
  // Largest body sent or received, and largest inflated lz4 body; default 256 MB, the spec's limit.
  std::uint32_t max_frame_body = 256u * 1024u * 1024u;
  std::chrono::milliseconds heartbeat_interval{30'000};  // idle time before an OPTIONS
  std::chrono::milliseconds heartbeat_timeout{10'000};   // OPTIONS unanswered -> defunct
};

// A request in flight: its id and that id's generation, so a stale handle
// never touches a later request on the same id.
struct request_handle {
  std::int16_t id = -1;          // the request's stream id; -1 in a handle that names no request
  std::uint32_t generation = 0;  // bumped each time the id is given out
};

// Where completions go: implemented by the caller, called from receive(), tick() and fail(). A callback may
// call fail() itself; `body` is valid only until it returns.
class completion_sink {
 public:
  virtual ~completion_sink() = default;
  // The answer to the request submitted with `tag`. An lz4 body is already inflated (compression flag
  // cleared, length updated); the body is still undecoded (see message.hpp).
  virtual void on_response(std::uint64_t tag, const frame_header& h, bytes_view body) = 0;
  // The request submitted with `tag` will get no answer: request_timeout, or the error given to fail().
  virtual void on_failure(std::uint64_t tag, std::error_code ec) = 0;
  // A frame on a negative stream id (an EVENT), body inflated. Ignored by default.
  virtual void on_event(const frame_header&, bytes_view) {}
};

// Counters since construction, and the id pool as it stands; see connection_state::stats().
struct connection_state_stats {
  int ids_in_use = 0;                  // requests in flight now, a pending heartbeat included
  int orphaned_ids = 0;                // ids held for a late answer (abandoned or timed out)
  std::uint64_t responses = 0;         // frames received, events, orphans and strays included
  std::uint64_t orphan_responses = 0;  // late answers absorbed on orphaned ids
  std::uint64_t stray_responses = 0;   // answers on ids with no request, dropped
  std::uint64_t timeouts = 0;          // requests failed with request_timeout
  std::uint64_t heartbeats_sent = 0;   // heartbeat OPTIONS sent
};

// The state of one connection; see the top of this file.
class connection_state {
 public:
  // `now` starts the idle time that heartbeats are measured from.
  connection_state(connection_state_options o, steady_time now);

  // The version byte of the frames sent from now on; default 4. Below 5, compressed bodies received are inflated.
  void set_version(std::uint8_t v) noexcept { version_ = v; }
  // The version byte frames are sent with.
  std::uint8_t version() const noexcept { return version_; }
  // v4 §5: lz4 bodies from now on for every request but STARTUP and OPTIONS, once the server has agreed.
  void enable_body_compression() noexcept { lz4_ = true; }
  // v5 §2.3: both directions switch to segments.
  void enable_segments(segment_compression c);
  // Heartbeats start once the handshake is done.
  void enable_heartbeats(steady_time now) noexcept;

  // Frames one request into the output. Errors: no_stream_ids, closed,
  // too_large (a body over max_frame_body) — nothing is queued then.
  std::error_code submit(opcode op, std::uint8_t flags, bytes_view body, std::uint64_t tag, steady_time deadline,
                         request_handle& out);
  // The caller gives up: no completion will come; the id stays orphaned
  // until the late answer. False when the handle is no longer in flight.
  bool abandon(request_handle h) noexcept;

  // Whether take_output() would give bytes.
  bool has_output() const noexcept { return !out_.empty() || (seg_out_ && seg_out_->has_pending()); }
  // Swaps the pending output into `buf` (cleared first): no copy.
  void take_output(std::vector<std::byte>& buf);

  // Decodes what it can from `in`; returns the bytes consumed (keep the
  // rest and call again with more). A framing error fails the state.
  std::size_t receive(bytes_view in, steady_time now, completion_sink& sink);
  // Fails the requests whose deadline is at or before `now` (request_timeout; their ids are orphaned). Once
  // heartbeats are enabled, sends an OPTIONS after heartbeat_interval without input (unless no id is free),
  // or fails the state (defunct) when one has been unanswered longer than heartbeat_timeout.
  void tick(steady_time now, completion_sink& sink);
  // The earliest deadline or heartbeat time; nullopt when tick() has nothing to do.
  std::optional<steady_time> next_wakeup() const noexcept;
  // Every request in flight fails with `ec`; the state accepts nothing more.
  void fail(std::error_code ec, completion_sink& sink);

  // True once the state has failed: fail() was called, the peer broke framing, or a heartbeat went unanswered.
  bool failed() const noexcept { return static_cast<bool>(failure_); }
  // Why it failed; empty while it has not.
  std::error_code failure() const noexcept { return failure_; }
  // The counters, with the id pool's current counts.
  connection_state_stats stats() const noexcept;

 private:
  static constexpr std::int32_t none = -1;
  struct slot {
    std::uint64_t tag = 0;
    steady_time deadline{};
    std::uint32_t generation = 0;
    std::int32_t prev = none, next = none;  // deadline order
    bool internal = false;                  // a heartbeat
  };

  void link(std::int16_t id);
  void unlink(std::int16_t id) noexcept;
  void frame(std::int16_t id, opcode op, std::uint8_t flags, bytes_view body);
  void dispatch(const frame_view& f, completion_sink& sink);
  bool inflate(frame_header& h, bytes_view& body, std::vector<std::byte>& inflated) const;
  std::size_t receive_frames(bytes_view in, completion_sink& sink);
  std::size_t receive_segments(bytes_view in, completion_sink& sink);

  connection_state_options opts_;
  stream_id_pool ids_;
  std::vector<slot> slots_;
  std::int32_t head_ = none, tail_ = none;  // earliest .. latest deadline
  std::uint8_t version_ = 4;
  bool lz4_ = false;
  std::optional<segment_encoder> seg_out_;
  std::optional<segment_decoder> seg_in_;
  std::optional<frame_assembler> assembler_;
  std::vector<std::byte> out_, scratch_, inflated_, rx_inflated_;
  bool heartbeats_ = false;
  steady_time last_read_;
  std::optional<request_handle> heartbeat_;
  steady_time heartbeat_sent_{};
  std::error_code failure_;
  connection_state_stats stats_;
};

}  // namespace cqlpp::protocol

template <>
struct std::is_error_code_enum<cqlpp::protocol::connection_errc> : std::true_type {};
