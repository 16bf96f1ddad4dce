#include "cqlpp/protocol/connection_state.hpp"

#include <string>

#include "cqlpp/protocol/compression.hpp"

namespace cqlpp::protocol {

namespace {

struct category final : std::error_category {
  const char* name() const noexcept override { return "cqlpp.connection"; }
  std::string message(int ev) const override {
    switch (static_cast<connection_errc>(ev)) {
      case connection_errc::request_timeout: return "request timed out";
      case connection_errc::defunct: return "connection defunct: heartbeat not answered in time";
      case connection_errc::no_stream_ids: return "no free stream id on the connection";
      case connection_errc::protocol_violation: return "protocol violation by the peer";
      case connection_errc::closed: return "connection closed";
    }
    return "unknown connection error";
  }
};

}  // namespace

const std::error_category& connection_category() noexcept {
  static const category c;
  return c;
}

connection_state::connection_state(connection_state_options o, steady_time now)
    : opts_(o), ids_(o.max_stream_ids), slots_(static_cast<std::size_t>(ids_.capacity())), last_read_(now) {}

void connection_state::enable_segments(segment_compression c) {
  seg_out_.emplace(c);
  seg_in_.emplace(c);
  assembler_.emplace(frame_limits{opts_.max_frame_body});
  lz4_ = false;  // v5 compresses segments, never envelope bodies
}

void connection_state::enable_heartbeats(steady_time now) noexcept {
  heartbeats_ = true;
  last_read_ = now;
}

std::error_code connection_state::submit(opcode op, std::uint8_t flags, bytes_view body, std::uint64_t tag,
                                         steady_time deadline, request_handle& out) {
  if (failure_) return connection_errc::closed;
  if (body.size() > opts_.max_frame_body) return errc::too_large;
  const auto id = ids_.acquire();
  if (!id) return connection_errc::no_stream_ids;
  auto& s = slots_[static_cast<std::size_t>(*id)];
  s.tag = tag;
  s.deadline = deadline;
  s.internal = false;
  ++s.generation;
  link(*id);
  frame(*id, op, flags, body);
  out = {*id, s.generation};
  return {};
}

bool connection_state::abandon(request_handle h) noexcept {
  if (failure_ || h.id < 0 || h.id >= ids_.capacity()) return false;
  auto& s = slots_[static_cast<std::size_t>(h.id)];
  if (ids_.state_of(h.id) != stream_id_pool::state::in_use || s.generation != h.generation || s.internal)
    return false;
  unlink(h.id);
  ids_.orphan(h.id);
  return true;
}

// Deadlines in order. Requests nearly always share one timeout, so a new
// deadline is nearly always the latest: walk back from the tail.
void connection_state::link(std::int16_t id) {
  auto& s = slots_[static_cast<std::size_t>(id)];
  std::int32_t after = tail_;
  while (after != none && slots_[static_cast<std::size_t>(after)].deadline > s.deadline)
    after = slots_[static_cast<std::size_t>(after)].prev;
  s.prev = after;
  s.next = after == none ? head_ : slots_[static_cast<std::size_t>(after)].next;
  if (s.next != none) slots_[static_cast<std::size_t>(s.next)].prev = id;
  else tail_ = id;
  if (after != none) slots_[static_cast<std::size_t>(after)].next = id;
  else head_ = id;
}

void connection_state::unlink(std::int16_t id) noexcept {
  auto& s = slots_[static_cast<std::size_t>(id)];
  if (s.prev != none) slots_[static_cast<std::size_t>(s.prev)].next = s.next;
  else if (head_ == id) head_ = s.next;
  if (s.next != none) slots_[static_cast<std::size_t>(s.next)].prev = s.prev;
  else if (tail_ == id) tail_ = s.prev;
  s.prev = s.next = none;
}

void connection_state::frame(std::int16_t id, opcode op, std::uint8_t flags, bytes_view body) {
  frame_header h{version_, false, flags, id, op, 0};
  // v4 §5: everything but STARTUP and OPTIONS is compressed once agreed.
  if (lz4_ && op != opcode::startup && op != opcode::options) {
    inflated_.clear();
    if (!compress_body(body, inflated_)) {
      body = inflated_;
      h.flags |= frame_flags::compression;
    }
  }
  h.length = static_cast<std::uint32_t>(body.size());
  const auto hdr = encode_frame_header(h);
  if (seg_out_) {
    scratch_.assign(hdr.begin(), hdr.end());
    scratch_.insert(scratch_.end(), body.begin(), body.end());
    seg_out_->add(scratch_, out_);
  } else {
    out_.insert(out_.end(), hdr.begin(), hdr.end());
    out_.insert(out_.end(), body.begin(), body.end());
  }
}

void connection_state::take_output(std::vector<std::byte>& buf) {
  if (seg_out_) seg_out_->flush(out_);
  buf.clear();
  buf.swap(out_);
}

std::size_t connection_state::receive(bytes_view in, steady_time now, completion_sink& sink) {
  if (failure_) return in.size();  // nothing can be answered any more
  if (!in.empty()) last_read_ = now;
  return seg_in_ ? receive_segments(in, sink) : receive_frames(in, sink);
}

std::size_t connection_state::receive_frames(bytes_view in, completion_sink& sink) {
  const frame_limits limits{opts_.max_frame_body};
  std::size_t pos = 0;
  while (!failure_ && !seg_in_) {
    auto r = decode_frame(in.subspan(pos), limits);
    if (auto* f = std::get_if<frame_view>(&r)) {
      pos += f->size();
      dispatch(*f, sink);
      continue;
    }
    if (std::holds_alternative<need_more>(r)) return pos;
    fail(connection_errc::protocol_violation, sink);
    return in.size();
  }
  // A response switched the framing to segments mid-buffer (v5 READY).
  if (!failure_ && seg_in_ && pos < in.size()) pos += receive_segments(in.subspan(pos), sink);
  return failure_ ? in.size() : pos;
}

std::size_t connection_state::receive_segments(bytes_view in, completion_sink& sink) {
  std::size_t pos = 0;
  while (!failure_) {
    auto r = seg_in_->decode(in.subspan(pos));
    if (auto* sg = std::get_if<segment>(&r)) {
      pos += sg->size;
      auto frames = assembler_->push(*sg);
      if (!frames) break;
      for (const auto& f : *frames) {
        dispatch(f, sink);
        if (failure_) return in.size();
      }
      continue;
    }
    if (std::holds_alternative<need_more>(r)) return pos;
    break;
  }
  if (!failure_) fail(connection_errc::protocol_violation, sink);
  return in.size();
}

// v4 §2.2: the flag says this body is compressed; v5 envelopes ignore it.
// Inflates into `inflated` and points `h`/`body` at it; false when corrupt.
bool connection_state::inflate(frame_header& h, bytes_view& body, std::vector<std::byte>& inflated) const {
  if (seg_in_ || version_ >= 5 || !(h.flags & frame_flags::compression)) return true;
  if (decompress_body_into(body, inflated, opts_.max_frame_body)) return false;
  body = inflated;
  h.flags = static_cast<std::uint8_t>(h.flags & ~frame_flags::compression);
  h.length = static_cast<std::uint32_t>(body.size());
  return true;
}

void connection_state::dispatch(const frame_view& f, completion_sink& sink) {
  ++stats_.responses;
  const auto id = f.header.stream;
  frame_header h = f.header;
  bytes_view body = f.body;
  // Reused: an lz4 body is inflated into the same buffer every time (the
  // sink copies what it keeps).
  auto& inflated = rx_inflated_;
  if (id < 0) {
    if (!inflate(h, body, inflated)) return fail(connection_errc::protocol_violation, sink);
    sink.on_event(h, body);
    return;
  }
  if (id >= ids_.capacity() || ids_.state_of(id) == stream_id_pool::state::free) {
    ++stats_.stray_responses;
    return;
  }
  if (ids_.state_of(id) == stream_id_pool::state::orphaned) {
    ids_.release(id);
    ++stats_.orphan_responses;  // the caller left: absorbed, never copied or inflated
    return;
  }
  auto& s = slots_[static_cast<std::size_t>(id)];
  if (s.internal) {
    ids_.release(id);
    heartbeat_.reset();
    return;
  }
  // Still in flight if corrupt: fail() tells its caller.
  if (!inflate(h, body, inflated)) return fail(connection_errc::protocol_violation, sink);
  ids_.release(id);
  unlink(id);
  sink.on_response(s.tag, h, body);
}

void connection_state::tick(steady_time now, completion_sink& sink) {
  if (failure_) return;
  while (head_ != none && slots_[static_cast<std::size_t>(head_)].deadline <= now) {
    const auto id = static_cast<std::int16_t>(head_);
    unlink(id);
    ids_.orphan(id);
    ++stats_.timeouts;
    sink.on_failure(slots_[static_cast<std::size_t>(id)].tag, connection_errc::request_timeout);
    if (failure_) return;  // the sink failed the connection
  }
  if (!heartbeats_) return;
  if (heartbeat_) {
    if (now - heartbeat_sent_ > opts_.heartbeat_timeout) fail(connection_errc::defunct, sink);
    return;
  }
  if (now - last_read_ < opts_.heartbeat_interval) return;
  const auto id = ids_.acquire();
  if (!id) return;  // fully busy: traffic itself proves liveness
  auto& s = slots_[static_cast<std::size_t>(*id)];
  s.internal = true;
  ++s.generation;
  heartbeat_ = request_handle{*id, s.generation};
  heartbeat_sent_ = now;
  ++stats_.heartbeats_sent;
  frame(*id, opcode::options, 0, {});
}

std::optional<steady_time> connection_state::next_wakeup() const noexcept {
  std::optional<steady_time> t;
  if (head_ != none) t = slots_[static_cast<std::size_t>(head_)].deadline;
  if (heartbeats_ && !failure_) {
    const steady_time hb = heartbeat_ ? heartbeat_sent_ + opts_.heartbeat_timeout
                                      : last_read_ + opts_.heartbeat_interval;
    if (!t || hb < *t) t = hb;
  }
  return t;
}

void connection_state::fail(std::error_code ec, completion_sink& sink) {
  if (failure_) return;
  failure_ = ec;
  // No response can arrive any more: every id is free, then each caller hears.
  std::int32_t id = head_;
  head_ = tail_ = none;
  heartbeat_.reset();
  while (id != none) {
    auto& s = slots_[static_cast<std::size_t>(id)];
    const std::int32_t next = s.next;
    s.prev = s.next = none;
    if (ids_.state_of(static_cast<std::int16_t>(id)) == stream_id_pool::state::in_use && !s.internal)
      sink.on_failure(s.tag, ec);
    id = next;
  }
  ids_.reset();
  out_.clear();
}

connection_state_stats connection_state::stats() const noexcept {
  auto s = stats_;
  s.ids_in_use = ids_.in_use();
  s.orphaned_ids = ids_.orphaned();
  return s;
}

}  // namespace cqlpp::protocol
