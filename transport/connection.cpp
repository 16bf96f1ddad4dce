#include "transport/connection.hpp"

#include <algorithm>

#include "protocol/compression.hpp"
#include "protocol/writer.hpp"
#include "transport/tls_context.hpp"

namespace cqlpp::transport {

using clock = std::chrono::steady_clock;
namespace proto = cqlpp::protocol;

namespace {
// How often in-flight deadlines and heartbeats are checked. Timeouts are
// accurate to this; one timer per connection instead of one per request.
constexpr auto tick_period = std::chrono::milliseconds(50);
constexpr std::size_t min_read = 64 * 1024;
}  // namespace

std::shared_ptr<connection> connection::create(asio::any_io_executor ex, connection_options opts,
                                               std::shared_ptr<asio::ssl::context> tls_ctx) {
  return std::shared_ptr<connection>(new connection(std::move(ex), std::move(opts), std::move(tls_ctx)));
}

connection::connection(asio::any_io_executor ex, connection_options opts,
                       std::shared_ptr<asio::ssl::context> tls_ctx)
    : ex_(ex),
      strand_(asio::make_strand(ex)),
      opts_(std::move(opts)),
      tls_ctx_(std::move(tls_ctx)),
      stream_(strand_),
      tick_(strand_),
      ids_(opts_.max_stream_ids) {
  pending_.resize(static_cast<std::size_t>(ids_.capacity()));
  version_ = opts_.max_version;
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


void connection::start_open(std::function<void(std::error_code)> done) {
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)]() mutable {
    auto resolver = std::make_shared<asio::ip::tcp::resolver>(self->strand_);
    auto timer = std::make_shared<asio::steady_timer>(self->strand_, self->opts_.connect_timeout);
    auto timed_out = std::make_shared<bool>(false);
    timer->async_wait([self, timed_out, resolver](std::error_code ec) {
      if (ec) return;
      *timed_out = true;
      resolver->cancel();
      self->stream_.close();
    });
    auto finish = [self, timer, timed_out, done](std::error_code ec) {
      timer->cancel();
      if (*timed_out) ec = errc::connect_timeout;
      else if (self->closed_by_owner_) ec = errc::connection_closed;
      if (!ec) {
        self->open_ = true;
        self->last_read_ = clock::now();
        self->start_read();
      } else {
        self->close_reason_ = ec;
        self->stream_.close();
      }
      done(ec);
    };
    resolver->async_resolve(
        self->opts_.host, std::to_string(self->opts_.port),
        [self, resolver, finish](std::error_code ec, asio::ip::tcp::resolver::results_type results) {
          if (ec || self->closed_by_owner_) return finish(ec);
          asio::async_connect(
              self->stream_.socket(), results,
              [self, finish](std::error_code ec, const asio::ip::tcp::endpoint&) {
                if (ec) return finish(ec);
                std::error_code ignored;
                self->stream_.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
                if (!self->opts_.tls.enabled) return finish({});
                if (!self->tls_ctx_) {  // none given: build one from the options
                  std::error_code ctx_ec;
                  self->tls_ctx_ = make_tls_context(self->opts_.tls, ctx_ec, &self->failure_detail_);
                  if (!self->tls_ctx_) return finish(ctx_ec);
                }
                self->stream_.enable_tls(*self->tls_ctx_);
                auto& tls = self->stream_.tls();
                const std::string name =
                    self->opts_.tls.server_name.empty() ? self->opts_.host : self->opts_.tls.server_name;
                std::error_code cfg_ec;
                auto verify = configure_tls_client(tls, name, self->opts_.tls.verify, cfg_ec);
                if (cfg_ec) {
                  self->failure_detail_ = "cannot configure TLS for '" + name + "'";
                  return finish(cfg_ec);
                }
                tls.async_handshake(asio::ssl::stream_base::client, [self, finish, verify, name](std::error_code ec) {
                  if (!ec) {
                    auto* ssl = self->stream_.tls().native_handle();
                    self->info_.tls_version = SSL_get_version(ssl);
                    self->info_.tls_cipher = SSL_get_cipher_name(ssl);
                  } else {
                    // Asio says only "handshake failed"; keep the precise cause.
                    self->failure_detail_ = describe_tls_failure(ec, *verify, name);
                    ec = errc::tls_failed;
                  }
                  finish(ec);
                });
              });
        });
  });
}

// The handshake calls these between its requests; posting keeps them ordered
// before its next request on the strand. info_ is written here, before the
// caller is completed, and only read by callers afterwards.
void connection::set_negotiated(handshake_info info) {
  info_.version = info.version;
  info_.compress = info.compress;
  info_.supported = std::move(info.supported);
  info_.authenticator = std::move(info.authenticator);
  asio::post(strand_, [self = shared_from_this(), v = info.version] {
    self->version_ = v;
    self->negotiated_ = true;
  });
}

void connection::enable_body_compression() {
  asio::post(strand_, [self = shared_from_this()] { self->lz4_ = true; });
}

void connection::enable_segments(bool lz4) {
  asio::post(strand_, [self = shared_from_this(), lz4] {
    const auto c = lz4 ? proto::segment_compression::lz4 : proto::segment_compression::none;
    self->seg_out_.emplace(c);
    self->seg_in_.emplace(c);
    self->assembler_.emplace(proto::frame_limits{self->opts_.max_frame_body});
    self->lz4_ = false;  // v5 compresses segments, never envelope bodies
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

void connection::start_request(std::unique_ptr<detail::pending_base> p, request r) {
  if (!open_) {
    p->complete(close_reason_ ? close_reason_ : std::error_code(errc::not_connected), {});
    return;
  }
  auto id = ids_.acquire();
  if (!id) {
    p->complete(errc::no_stream_ids, {});
    return;
  }
  const auto timeout = r.timeout.count() > 0 ? r.timeout : opts_.request_timeout;
  p->deadline = clock::now() + timeout;
  pending_[static_cast<std::size_t>(*id)] = std::move(p);
  stats_.ids_in_use = ids_.in_use();
  append_frame(*id, r);
  arm_tick();
}

void connection::cancel_seq(std::uint64_t seq) {
  // Linear in ids in flight, but cancellation is rare next to requests.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    auto& p = pending_[i];
    if (p && p->seq == seq) {
      auto owned = std::move(p);
      ids_.orphan(static_cast<std::int16_t>(i));
      stats_.ids_in_use = ids_.in_use();
      stats_.orphaned_ids = ids_.orphaned();
      owned->complete(asio::error::operation_aborted, {});
      return;
    }
  }
}

void connection::append_frame(std::int16_t id, const request& r) {
  proto::frame_header h;
  h.version = version_;
  h.flags = r.flags;
  h.stream = id;
  h.op = r.op;
  proto::bytes_view body(r.body);
  std::vector<std::byte> compressed;
  // v4 §5: everything but STARTUP and OPTIONS is compressed once agreed.
  if (lz4_ && r.op != proto::opcode::startup && r.op != proto::opcode::options) {
    if (proto::compress_body(body, compressed)) {
      // Cannot happen for bodies under the frame limit; the server would
      // refuse the frame anyway, so fail just this connection loudly.
      return fail_all(errc::protocol_violation);
    }
    body = compressed;
    h.flags |= proto::frame_flags::compression;
  }
  h.length = static_cast<std::uint32_t>(body.size());
  const auto hdr = proto::encode_frame_header(h);
  if (seg_out_) {
    scratch_.assign(hdr.begin(), hdr.end());
    scratch_.insert(scratch_.end(), body.begin(), body.end());
    seg_out_->add(scratch_, out_);
  } else {
    out_.insert(out_.end(), hdr.begin(), hdr.end());
    out_.insert(out_.end(), body.begin(), body.end());
  }
  stats_.requests_sent.fetch_add(1, std::memory_order_relaxed);
  stats_.bytes_in_flight.store(out_.size() + writing_.size(), std::memory_order_relaxed);
  schedule_flush();
}

void connection::schedule_flush() {
  // Defer the write to the end of this turn, so requests posted together
  // leave in one write; while a write is in flight, they wait for it.
  if (flush_scheduled_ || writing_now_) return;
  flush_scheduled_ = true;
  asio::post(strand_, [self = shared_from_this()] {
    self->flush_scheduled_ = false;
    self->flush();
  });
}

void connection::flush() {
  if (writing_now_ || !open_) return;
  if (seg_out_) seg_out_->flush(out_);
  if (out_.empty()) return;
  writing_now_ = true;
  writing_.swap(out_);
  out_.clear();
  stats_.writes.fetch_add(1, std::memory_order_relaxed);
  stream_.async_write(asio::buffer(writing_), asio::bind_executor(strand_,
      [self = shared_from_this()](std::error_code ec, std::size_t n) {
        self->writing_now_ = false;
        self->stats_.bytes_sent.fetch_add(n, std::memory_order_relaxed);
        self->writing_.clear();
        self->stats_.bytes_in_flight.store(self->out_.size(), std::memory_order_relaxed);
        if (ec) return self->fail_all(ec == asio::error::operation_aborted && self->close_reason_
                                          ? self->close_reason_ : ec);
        self->flush();
      }));
}

void connection::start_read() {
  if (rx_.size() - rx_used_ < min_read / 2) rx_.resize(std::max(rx_.size() * 2, rx_used_ + min_read));
  stream_.async_read_some(asio::buffer(rx_.data() + rx_used_, rx_.size() - rx_used_),
      asio::bind_executor(strand_, [self = shared_from_this()](std::error_code ec, std::size_t n) {
        if (ec) {
          if (ec == asio::error::eof) ec = errc::connection_closed;
          return self->fail_all(self->close_reason_ ? self->close_reason_ : ec);
        }
        self->on_read(n);
      }));
}

void connection::on_read(std::size_t n) {
  rx_used_ += n;
  last_read_ = clock::now();
  stats_.bytes_received.fetch_add(n, std::memory_order_relaxed);
  const proto::bytes_view in(rx_.data(), rx_used_);
  const std::size_t pos = seg_in_ ? decode_segments(in) : decode_frames(in);
  if (!open_) return;
  if (pos > 0) {
    std::copy(rx_.begin() + static_cast<std::ptrdiff_t>(pos),
              rx_.begin() + static_cast<std::ptrdiff_t>(rx_used_), rx_.begin());
    rx_used_ -= pos;
  }
  start_read();
}

// Plain frames (v4, and v5 before the handshake ends). Returns bytes consumed.
std::size_t connection::decode_frames(proto::bytes_view in) {
  const proto::frame_limits limits{opts_.max_frame_body};
  std::size_t pos = 0;
  while (open_ && !seg_in_) {
    auto r = proto::decode_frame(in.subspan(pos), limits);
    if (auto* f = std::get_if<proto::frame_view>(&r)) {
      pos += f->size();
      dispatch_frame(*f);
      continue;
    }
    if (auto* nm = std::get_if<proto::need_more>(&r)) {
      // Make room for the whole frame so one large frame needs few reads.
      const std::size_t want = (in.size() - pos) + nm->bytes;
      if (rx_.size() < want) rx_.resize(want);
      return pos;
    }
    fail_all(errc::protocol_violation);
    return pos;
  }
  // The handshake switched to segments mid-buffer: the rest are segments.
  if (open_ && seg_in_ && pos < in.size()) pos += decode_segments(in.subspan(pos));
  return pos;
}

// v5 segments carrying envelopes. Returns bytes consumed.
std::size_t connection::decode_segments(proto::bytes_view in) {
  std::size_t pos = 0;
  while (open_) {
    auto r = seg_in_->decode(in.subspan(pos));
    if (auto* sg = std::get_if<proto::segment>(&r)) {
      pos += sg->size;
      auto frames = assembler_->push(sg->payload, sg->header.self_contained);
      if (!frames) {
        fail_all(errc::protocol_violation);
        return pos;
      }
      for (const auto& f : *frames) dispatch_frame(f);
      continue;
    }
    if (std::holds_alternative<proto::need_more>(r)) return pos;
    fail_all(errc::protocol_violation);
    return pos;
  }
  return pos;
}

void connection::dispatch_frame(const proto::frame_view& f) {
  stats_.responses_received.fetch_add(1, std::memory_order_relaxed);
  response resp{f.header, {}};
  // v4 §2.2: the flag says this body is compressed; v5 envelopes ignore it.
  if (!seg_in_ && version_ < 5 && (f.header.flags & proto::frame_flags::compression)) {
    auto body = proto::decompress_body(f.body, opts_.max_frame_body);
    if (!body) return fail_all(errc::protocol_violation);
    resp.body = std::move(*body);
    resp.header.flags &= static_cast<std::uint8_t>(~proto::frame_flags::compression);
    resp.header.length = static_cast<std::uint32_t>(resp.body.size());
  } else {
    resp.body.assign(f.body.begin(), f.body.end());
  }
  if (f.header.stream < 0) {
    if (event_handler_) event_handler_(resp);
    return;
  }
  const auto id = f.header.stream;
  const auto was = ids_.release(id);
  stats_.ids_in_use = ids_.in_use();
  stats_.orphaned_ids = ids_.orphaned();
  if (was == proto::stream_id_pool::state::orphaned) {
    stats_.orphan_responses.fetch_add(1, std::memory_order_relaxed);
    return;  // the caller left; absorb
  }
  if (was == proto::stream_id_pool::state::free) {
    stats_.stray_responses.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  auto p = std::move(pending_[static_cast<std::size_t>(id)]);
  if (!p) return;  // unreachable: in_use ids always have a pending entry
  if (p->internal) heartbeat_outstanding_ = false;
  p->complete({}, std::move(resp));
}

void connection::arm_tick() {
  if (ticking_ || !open_) return;
  ticking_ = true;
  tick_.expires_after(tick_period);
  tick_.async_wait(asio::bind_executor(strand_, [self = shared_from_this()](std::error_code ec) {
    self->ticking_ = false;
    if (!ec) self->on_tick();
  }));
}

void connection::on_tick() {
  if (!open_) return;
  const auto now = clock::now();
  if (ids_.in_use() > 0) {
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      auto& p = pending_[i];
      if (!p || p->deadline > now || p->internal) continue;
      auto owned = std::move(p);
      ids_.orphan(static_cast<std::int16_t>(i));
      stats_.timeouts.fetch_add(1, std::memory_order_relaxed);
      // Counters first: the caller may read them as soon as it is completed.
      stats_.ids_in_use = ids_.in_use();
      stats_.orphaned_ids = ids_.orphaned();
      owned->complete(errc::request_timeout, {});
    }
  }
  if (heartbeat_outstanding_ && now - heartbeat_sent_ > opts_.heartbeat_timeout)
    return fail_all(errc::defunct);
  if (negotiated_ && !heartbeat_outstanding_ && now - last_read_ > opts_.heartbeat_interval)
    send_heartbeat();
  arm_tick();
}

namespace {
struct heartbeat_op final : detail::pending_base {
  void complete(std::error_code, response) override {}
};
}  // namespace

void connection::send_heartbeat() {
  auto id = ids_.acquire();
  if (!id) return;  // fully busy: traffic itself proves liveness
  auto p = std::make_unique<heartbeat_op>();
  p->internal = true;
  p->deadline = clock::time_point::max();
  pending_[static_cast<std::size_t>(*id)] = std::move(p);
  heartbeat_outstanding_ = true;
  heartbeat_sent_ = clock::now();
  stats_.heartbeats_sent.fetch_add(1, std::memory_order_relaxed);
  append_frame(*id, request{proto::opcode::options, 0, {}, {}});
}

void connection::fail_all(std::error_code ec) {
  if (!close_reason_) close_reason_ = ec;
  const bool was_open = open_.exchange(false);
  if (was_open || stream_.socket().is_open()) stream_.close();
  tick_.cancel();
  // No response can arrive any more: every id, orphaned or not, is free.
  // Counters first: callers may read them as soon as they are completed.
  ids_.reset();
  stats_.ids_in_use = 0;
  stats_.orphaned_ids = 0;
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
  out_.clear();
  stats_.bytes_in_flight.store(0, std::memory_order_relaxed);
}

}  // namespace cqlpp::transport
