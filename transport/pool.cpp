#include "cqlpp/transport/pool.hpp"

#include "cqlpp/transport/join.hpp"
#include "cqlpp/transport/message_io.hpp"

#include <algorithm>
#include <limits>
#include <tuple>

namespace cqlpp::transport {

std::shared_ptr<host_pool> host_pool::create(asio::any_io_executor ex, connection_options copts,
                                             pool_options popts, std::shared_ptr<asio::ssl::context> tls_ctx) {
  return std::shared_ptr<host_pool>(new host_pool(std::move(ex), std::move(copts), popts, std::move(tls_ctx)));
}

host_pool::host_pool(asio::any_io_executor ex, connection_options copts, pool_options popts,
                     std::shared_ptr<asio::ssl::context> tls_ctx)
    : ex_(std::move(ex)), copts_(std::move(copts)), popts_(popts), tls_ctx_(std::move(tls_ctx)), queue_timer_(ex_) {
  slots_.resize(static_cast<std::size_t>(std::max(1, popts_.connections)));
}

host_pool::~host_pool() = default;

void host_pool::start(std::function<void(std::error_code)> done) {
  {
    std::lock_guard lk(mu_);
    start_done_ = std::move(done);
  }
  for (std::size_t i = 0; i < slots_.size(); ++i) connect_slot(i);
}

void host_pool::connect_slot(std::size_t i) {
  connection_options o;
  {
    std::lock_guard lk(mu_);
    if (closed_ || slots_[i].connecting) return;
    slots_[i].connecting = true;
    o = copts_;  // under the lock: use_keyspace() changes it
  }
  std::weak_ptr<host_pool> w = shared_from_this();
  auto observe = [w, i](const std::shared_ptr<connection>& c) {
    auto p = w.lock();
    if (!p) return c->abort();
    std::lock_guard lk(p->mu_);
    if (p->closed_) return c->abort();  // close() has run: end the attempt now
    p->slots_[i].trying = c;
  };
  async_connect(ex_, std::move(o), tls_ctx_, observe,
      [self = shared_from_this(), i](std::error_code ec, std::shared_ptr<connection> c) {
        std::function<void(std::error_code)> done;
        bool reconnect = false;
        {
          std::lock_guard lk(self->mu_);
          auto& s = self->slots_[i];
          s.connecting = false;
          s.trying.reset();
          if (self->closed_) {
            if (c) c->close();
            return;
          }
          if (!ec) {
            s.conn = c;
            s.attempts = 0;
            // Pinned by the first connection: requests are encoded once, for it.
            if (self->version_.load() == 0) self->version_.store(c->info().version);
            done = std::move(self->start_done_);
            std::weak_ptr<host_pool> w = self;
            c->on_close([w, i](std::error_code) {
              if (auto p = w.lock()) p->schedule_reconnect(i);
            });
          } else {
            self->last_error_ = ec;
            if (c) self->last_error_detail_ = c->failure_detail();
            ++self->failed_starts_;
            // Every slot failed before any opened: the start failed.
            if (self->start_done_ && self->failed_starts_ >= static_cast<int>(self->slots_.size()))
              done = std::move(self->start_done_);
            reconnect = true;
          }
        }
        if (done) done(ec);
        if (reconnect) self->schedule_reconnect(i);
        else self->drain();
      });
}

void host_pool::schedule_reconnect(std::size_t i) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard lk(mu_);
    if (closed_) return;
    auto& s = slots_[i];
    s.conn.reset();
    s.load = std::make_shared<std::atomic<int>>(0);  // the old one drains with its requests
    // Exponential backoff with jitter (the reconnection storms of peers.md §9).
    const int shift = std::min(s.attempts, 20);
    const double base = std::min<double>(static_cast<double>(popts_.reconnect_max.count()),
                                         static_cast<double>(popts_.reconnect_base.count()) * double(1 << shift));
    std::uniform_real_distribution<double> d(1.0 - popts_.jitter, 1.0 + popts_.jitter);
    delay = std::chrono::milliseconds(static_cast<long long>(base * d(rng_)));
    ++s.attempts;
  }
  reconnect_attempts_.fetch_add(1);
  std::lock_guard lk(mu_);
  if (closed_) return;
  // Kept in the slot so that close() can cancel it.
  auto t = std::make_shared<asio::steady_timer>(ex_, delay);
  slots_[i].reconnect = t;
  t->async_wait([w = weak_from_this(), t, i](std::error_code ec) {
    if (ec) return;
    auto p = w.lock();
    if (!p) return;
    {
      std::lock_guard lk(p->mu_);
      if (p->slots_[i].reconnect == t) p->slots_[i].reconnect.reset();
    }
    p->connect_slot(i);
  });
}

std::pair<std::shared_ptr<connection>, std::shared_ptr<std::atomic<int>>> host_pool::pick_locked() {
  slot* best = nullptr;
  int best_load = std::numeric_limits<int>::max();
  for (auto& s : slots_) {
    if (!s.conn || !s.conn->is_open()) continue;
    const int orphans = s.conn->orphaned_ids();
    if (orphans > popts_.orphan_threshold) {
      // Too many requests the node never answered: retire this connection.
      s.conn->close();
      continue;
    }
    const int load = s.load->load() + orphans;
    if (load >= copts_.max_stream_ids) continue;
    if (load < best_load) {
      best_load = load;
      best = &s;
    }
  }
  if (!best) return {};
  best->load->fetch_add(1);
  return {best->conn, best->load};
}

void host_pool::enqueue(std::unique_ptr<detail::queued_request> q) {
  std::shared_ptr<connection> c;
  std::shared_ptr<std::atomic<int>> load;
  std::error_code fail;
  {
    std::lock_guard lk(mu_);
    if (closed_) {
      fail = errc::connection_closed;
    } else if (queue_.empty() && (std::tie(c, load) = pick_locked(), c)) {
      in_flight_.fetch_add(1);
    } else {
      bool any_open = false;
      for (auto& s : slots_) any_open |= s.conn && s.conn->is_open();
      // Nothing open: fail now rather than wait for a reconnect that may never come.
      if (!any_open) fail = last_error_ ? last_error_ : std::error_code(errc::not_connected);
      else if (queue_.size() >= popts_.max_queue) fail = errc::queue_full;
      else {
        queue_.push_back(std::move(q));
        queued_.store(queue_.size());
        arm_queue_timer_locked();
      }
    }
  }
  if (fail) return q->fail(fail);
  // Queued: a completion may have freed capacity after pick_locked() looked
  // and before the push (its drain() saw an empty queue and did not lock).
  if (!q) return drain();
  if (c) {
    auto* raw = q.get();
    raw->run(std::move(q), c, std::move(load));
  }
}

void host_pool::prepare(detail::queued_request& q, std::chrono::milliseconds timeout) {
  if (timeout.count() <= 0) timeout = copts_.request_timeout;
  q.deadline = std::chrono::steady_clock::now() + timeout;
  q.queue_seq = next_seq_.fetch_add(1, std::memory_order_relaxed) + 1;
}

bool host_pool::remaining_timeout(const detail::queued_request& q, std::chrono::milliseconds& timeout) const {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(q.deadline - std::chrono::steady_clock::now());
  if (left.count() <= 0) return false;
  timeout = left;
  return true;
}

void host_pool::cancel_queued(std::uint64_t seq) {
  std::unique_ptr<detail::queued_request> q;
  {
    std::lock_guard lk(mu_);
    auto it = std::find_if(queue_.begin(), queue_.end(), [seq](const auto& e) { return e->queue_seq == seq; });
    if (it == queue_.end()) return;  // already on its way to a connection, which sees the flag
    q = std::move(*it);
    queue_.erase(it);
    queued_.store(queue_.size());
  }
  q->fail(asio::error::operation_aborted);
}

void host_pool::arm_queue_timer_locked() {
  if (queue_timer_armed_ || closed_) return;
  queue_timer_armed_ = true;
  // Deadlines are checked this often: timeouts of queued requests are
  // accurate to it (as in-flight ones are to the connection's tick).
  queue_timer_.expires_after(std::chrono::milliseconds(50));
  queue_timer_.async_wait([w = weak_from_this()](std::error_code ec) {
    if (ec) return;
    if (auto p = w.lock()) p->on_queue_timer();
  });
}

void host_pool::on_queue_timer() {
  std::vector<std::unique_ptr<detail::queued_request>> expired;
  std::error_code why = errc::request_timeout;
  {
    std::lock_guard lk(mu_);
    queue_timer_armed_ = false;
    if (closed_) return;
    const auto now = std::chrono::steady_clock::now();
    for (auto it = queue_.begin(); it != queue_.end();) {
      if ((*it)->deadline <= now) {
        expired.push_back(std::move(*it));
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
    bool any_open = false;
    for (auto& s : slots_) any_open |= s.conn && s.conn->is_open();
    if (!any_open) why = errc::no_connection;
    queued_.store(queue_.size());
    if (!queue_.empty()) arm_queue_timer_locked();
  }
  for (auto& q : expired) q->fail(why);
}

void host_pool::on_complete() {
  in_flight_.fetch_sub(1);
  drain();
}

void host_pool::drain() {
  for (;;) {
    // Most completions find nothing queued: then no lock is taken, so a
    // request costs one acquisition of mu_ (in enqueue).
    if (queued_.load() == 0) return;
    std::unique_ptr<detail::queued_request> q;
    std::shared_ptr<connection> c;
    std::shared_ptr<std::atomic<int>> load;
    {
      std::lock_guard lk(mu_);
      if (queue_.empty() || closed_) return;
      std::tie(c, load) = pick_locked();
      if (!c) return;
      q = std::move(queue_.front());
      queue_.pop_front();
      queued_.store(queue_.size());
      in_flight_.fetch_add(1);
    }
    auto* raw = q.get();
    raw->run(std::move(q), c, std::move(load));
  }
}

void host_pool::close() {
  std::function<void(std::error_code)> start;
  std::vector<std::shared_ptr<connection>> conns;
  std::deque<std::unique_ptr<detail::queued_request>> queued;
  {
    std::lock_guard lk(mu_);
    if (closed_) return;
    closed_ = true;
    for (auto& s : slots_) {
      if (s.conn) conns.push_back(std::move(s.conn));
      if (s.trying) s.trying->abort();
      s.trying.reset();
      if (s.reconnect) s.reconnect->cancel();
      s.reconnect.reset();
    }
    queue_timer_.cancel();
    queued.swap(queue_);
    queued_.store(0);
    start = std::move(start_done_);  // a start still waiting ends here
  }
  if (start) start(errc::connection_closed);
  for (auto& q : queued) q->fail(errc::connection_closed);
  for (auto& c : conns) c->close();
}

void host_pool::reconnect_now() {
  std::vector<std::size_t> now;
  {
    std::lock_guard lk(mu_);
    if (closed_) return;
    for (std::size_t i = 0; i < slots_.size(); ++i) {
      auto& s = slots_[i];
      s.attempts = 0;
      if (!s.reconnect) continue;
      s.reconnect->cancel();  // its handler sees operation_aborted and does nothing
      s.reconnect.reset();
      now.push_back(i);
    }
  }
  for (const auto i : now) connect_slot(i);
}

void host_pool::use_keyspace(std::string keyspace, std::function<void(std::error_code)> done) {
  std::vector<std::shared_ptr<connection>> open;
  {
    std::lock_guard lk(mu_);
    copts_.keyspace = keyspace;
    for (auto& s : slots_)
      if (s.conn && s.conn->is_open()) open.push_back(s.conn);
  }
  if (open.empty()) return done({});
  auto one_done = join_n(open.size(), std::move(done));
  const auto v = static_cast<protocol::protocol_version>(protocol_version());
  for (auto& c : open) {
    request req;
    if (auto ec = make_request(protocol::request(use_keyspace_query(keyspace)), v, req)) {
      one_done(ec);
      continue;
    }
    c->async_request(std::move(req), [one_done, v](std::error_code ec, response r) {
      if (!ec) {
        auto d = decode(r, v);
        if (!d) ec = d.error().code;
        else if (const auto* e = std::get_if<protocol::error_response>(&d->message)) ec = e->error_code();
      }
      one_done(ec);
    });
  }
}

pool_stats host_pool::stats() const {
  pool_stats p;
  std::lock_guard lk(mu_);
  for (const auto& s : slots_) {
    if (!s.conn) continue;
    const auto st = s.conn->stats();
    p.connections_open += s.conn->is_open() ? 1 : 0;
    p.ids_in_use += st.ids_in_use;
    p.orphaned_ids += st.orphaned_ids;
    p.bytes_sent += st.bytes_sent;
    p.bytes_received += st.bytes_received;
    p.writes += st.writes;
    p.requests_sent += st.requests_sent;
    p.bytes_in_flight += st.bytes_in_flight;
  }
  p.requests_in_flight = in_flight_.load();
  p.queued = static_cast<std::int64_t>(queue_.size());
  p.reconnect_attempts = reconnect_attempts_.load();
  return p;
}

std::string host_pool::last_error_detail() const {
  std::lock_guard lk(mu_);
  return last_error_detail_;
}

std::uint8_t host_pool::protocol_version() const { return version_.load(std::memory_order_relaxed); }

}  // namespace cqlpp::transport
