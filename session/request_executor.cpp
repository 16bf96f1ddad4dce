#include "cqlpp/session/request_executor.hpp"

#include <algorithm>
#include <mutex>
#include <optional>

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/session/policies/load_balancing.hpp"
#include "cqlpp/session/policies/retry.hpp"
#include "cqlpp/streaming/error.hpp"
#include "cqlpp/transport/message_io.hpp"
#include "cqlpp/transport/op_memory.hpp"

namespace cqlpp::detail {

namespace proto = cqlpp::protocol;
using clock_type = std::chrono::steady_clock;

namespace {

constexpr std::size_t max_plan = 8;      // hosts of a plan kept per request
constexpr std::size_t max_attempts = 16;  // retries, re-prepares and hosts, all told

proto::protocol_version version_of(const cluster& c) {
  return c.version() >= 5 ? proto::protocol_version::v5 : proto::protocol_version::v4;
}

std::error_code decode_result(transport::response r, proto::protocol_version v, query_result::state& st,
                              std::shared_ptr<const proto::rows_metadata> types) {
  st.response = std::move(r);
  if (auto ec = transport::decode_into(st.response, v, st.envelope)) return ec;
  if (auto* rows = std::get_if<proto::rows_result>(&st.envelope.message); rows && types &&
      rows->metadata().no_metadata) {
    st.types = std::move(types);
    rows->use_column_types(st.types.get());
  }
  if (auto* e = std::get_if<proto::error_response>(&st.envelope.message)) return e->error_code();
  return {};
}

struct logged_attempt {
  routing::host_index host = 0;
  std::error_code ec;
  routing::retry_action decision = routing::retry_action::fail;
  std::string detail;  // the server's message; empty for transport errors
};

// One request's state, from the first attempt to the caller's completion.
// Owned by whichever attempt is in flight (a unique_ptr in its handler).
class exec_op : public transport::recycled_op {
 public:
  exec_op(std::shared_ptr<cluster> c, request_ptr r) : r_(std::move(r)), cl_(std::move(c)) {}
  virtual ~exec_op() = default;

  virtual const asio::any_io_executor& executor() const noexcept = 0;
  virtual asio::cancellation_slot slot() const noexcept = 0;

  static void start(std::unique_ptr<exec_op> op);
  // For speculative executions: the plan's round-robin counter (shared, so
  // that every execution sees the same plan) and the host to start at.
  void start_at(std::uint64_t counter, std::uint8_t first) noexcept {
    counter_ = counter;
    first_ = first;
  }

 protected:
  // The end: exactly once, on executor() (after an attempt) or posted.
  virtual void finish(std::error_code ec, transport::response r, bool posted) = 0;
  // The attempts, as the caller reads them, when any failed.
  std::vector<attempt_record> records() const {
    std::vector<attempt_record> out;
    for (const auto& a : log_) {
      attempt_record rec;
      if (view_ && a.host < view_->snapshot.hosts.size()) {
        const auto& h = view_->snapshot.hosts[a.host];
        rec.host = h.address + ":" + std::to_string(h.port);
      }
      rec.ec = a.ec;
      rec.detail = a.detail.empty() ? a.ec.message() : a.detail;
      rec.decision = routing::to_string(a.decision);
      out.push_back(std::move(rec));
    }
    return out;
  }
  bool any_failed() const noexcept { return !log_.empty(); }
  // The request's latency and outcome, in the session's metrics.
  void record(std::error_code ec) noexcept {
    const auto took = started_ == clock_type::time_point{} ? clock_type::duration{} : clock_type::now() - started_;
    cl_->requests().completed(took, ec);
  }
  const std::shared_ptr<cluster>& cluster_ptr() const noexcept { return cl_; }
  // The caller's result: the answer decoded (ec set from a server error or
  // a decode failure), the attempts when any failed; null for a failure
  // with neither.
  std::shared_ptr<query_result::state> make_state(std::error_code& ec, transport::response r) {
    if (ec && r.body.empty() && !any_failed()) return nullptr;
    // Per-thread recycled memory: a result is one of the request's two objects.
    auto st = std::allocate_shared<query_result::state>(transport::op_allocator<query_result::state>{});
    if (!r.body.empty() || !ec) {
      if (view_) st->coordinator = view_->snapshot.hosts[host_].id;  // it answered
      auto dec = decode_result(std::move(r), version_, *st, std::move(r_->types));
      if (!ec) ec = dec;
    }
    if (any_failed()) st->attempts = records();
    return st;
  }
  // The pool of the host that gave the last answer.
  std::shared_ptr<transport::host_pool> coordinator() const { return view_ ? view_->pools[host_] : nullptr; }
  request_ptr r_;  // never null
  proto::protocol_version version_ = proto::protocol_version::v4;

 private:
  static void send(std::unique_ptr<exec_op> op);
  // The whole plan into plan_ (first host at 0), from counter_.
  void plan();

 public:  // the handlers' continuations
  static void on_answer(std::unique_ptr<exec_op> op, std::error_code ec, transport::response r);
  static void on_prepared(std::unique_ptr<exec_op> op, std::error_code ec, transport::response r);

 private:
  // finish() takes over the op (and frees it after completing the caller).
  static void end(std::unique_ptr<exec_op> op, std::error_code ec, transport::response r, bool posted = false) {
    op.release()->finish(ec, std::move(r), posted);
  }
  // The CQL to PREPARE again for an UNPREPARED answer; nullptr when there is
  // none or it was prepared again already as often as it can need.
  const std::string* cql_to_reprepare(const proto::error_response& err) const {
    if (r_->batch_sources) {
      if (reprepares_ >= r_->batch_sources->size()) return nullptr;
      const auto* u = std::get_if<proto::unprepared_details>(&err.details);
      if (!u) return nullptr;
      for (const auto& s : *r_->batch_sources)
        if (s.id == u->id && s.cql) return s.cql.get();
      return nullptr;
    }
    return reprepares_ == 0 && r_->prepare_cql ? r_->prepare_cql.get() : nullptr;
  }
  // Time left of the overall deadline; 0 when none.
  std::chrono::milliseconds left() const {
    return std::chrono::ceil<std::chrono::milliseconds>(deadline_ - clock_type::now());
  }

  std::shared_ptr<cluster> cl_;
  std::shared_ptr<const cluster_view> view_;
  clock_type::time_point started_{};  // unset when the request ended before it started
  clock_type::time_point deadline_;
  std::chrono::milliseconds timeout_{0};
  std::array<routing::host_index, max_plan> plan_{};
  std::uint8_t plan_len_ = 0;
  std::uint8_t next_ = 0;  // plan_[next_] is the next host to move to
  routing::host_index host_ = 0;
  int retries_ = 0;
  bool retrying_ = false;
  // PREPAREs sent again: one for an EXECUTE; for a BATCH one per prepared
  // entry, as a node that restarted names one unknown id at a time.
  std::size_t reprepares_ = 0;
  std::optional<std::uint64_t> counter_;
  std::uint8_t first_ = 0;
  bool planned_ = false;
  std::vector<logged_attempt> log_;  // empty unless an attempt failed
};

// An attempt's handler: forwards the caller's executor and slot, so the pool
// completes the attempt where the caller would be completed (in place from
// the read, when it can), then hands the answer to `Next`.
template <void (*Next)(std::unique_ptr<exec_op>, std::error_code, transport::response)>
struct answer_handler {
  std::unique_ptr<exec_op> op;
  using executor_type = asio::any_io_executor;
  const executor_type& get_executor() const noexcept { return op->executor(); }
  using cancellation_slot_type = asio::cancellation_slot;
  cancellation_slot_type get_cancellation_slot() const noexcept { return op->slot(); }
  void operator()(std::error_code ec, transport::response r) { Next(std::move(op), ec, std::move(r)); }
};

void exec_op::start(std::unique_ptr<exec_op> op) {
  auto& o = *op;
  if (o.cl_->closed()) return end(std::move(op), streaming::errc::session_closed, {}, true);
  o.view_ = o.cl_->view();
  if (!o.view_ || o.view_->snapshot.hosts.empty())
    return end(std::move(op), streaming::errc::session_closed, {}, true);
  o.version_ = version_of(*o.cl_);
  o.timeout_ = o.r_->req.timeout.count() > 0 ? o.r_->req.timeout : o.cl_->settings().connection.request_timeout;
  o.started_ = clock_type::now();
  o.deadline_ = o.started_ + o.timeout_;

  o.counter_ = o.counter_ ? *o.counter_ : o.cl_->next_round_robin();
  if (o.first_ == 0) {
    // The first host alone; the whole plan only if the request moves on.
    routing::request_routing rr;
    rr.keyspace = o.r_->route.keyspace();
    rr.token = o.r_->route.token();
    if (auto h = routing::first_host(o.view_->snapshot, o.view_->tokens, rr,
                                     o.cl_->settings().cluster.load_balancing, *o.counter_)) {
      o.host_ = *h;
      return send(std::move(op));
    }
  }
  o.plan();
  if (o.first_ >= o.plan_len_) return end(std::move(op), transport::errc::no_connection, {}, true);
  if (o.first_ > 0) {
    // A speculative execution: its own host first, then the rest in order.
    std::rotate(o.plan_.begin(), o.plan_.begin() + o.first_, o.plan_.begin() + o.plan_len_);
    o.view_->counters[o.plan_[0]]->speculative.fetch_add(1, std::memory_order_relaxed);
    o.cl_->requests().speculative.fetch_add(1, std::memory_order_relaxed);
  }
  o.host_ = o.plan_[0];
  o.next_ = 1;
  send(std::move(op));
}

void exec_op::plan() {
  // Per-thread buffers: planning allocates only while they grow.
  thread_local routing::plan_buffers buffers;
  routing::request_routing rr;
  rr.keyspace = r_->route.keyspace();
  rr.token = r_->route.token();
  routing::plan_into(view_->snapshot, view_->tokens, rr, cl_->settings().cluster.load_balancing, *counter_, buffers);
  auto& hosts = buffers.hosts;
  if (hosts.empty()) {
    // Every host is marked down: events may be stale, so try them anyway,
    // rather than fail a request that one of them could serve.
    for (routing::host_index i = 0; i < view_->snapshot.hosts.size() && hosts.size() < max_plan; ++i)
      hosts.push_back(i);
  }
  plan_len_ = static_cast<std::uint8_t>(std::min(hosts.size(), max_plan));
  std::copy_n(hosts.begin(), plan_len_, plan_.begin());
  planned_ = true;
  next_ = 1;
}

void exec_op::send(std::unique_ptr<exec_op> op) {
  auto& o = *op;
  // The first attempt has the whole timeout (no second clock read).
  const auto t = o.log_.empty() && o.reprepares_ == 0 ? o.timeout_ : o.left();
  if (t.count() <= 0) return end(std::move(op), transport::errc::request_timeout, {}, true);
  auto& counters = *o.view_->counters[o.host_];
  counters.requests.fetch_add(1, std::memory_order_relaxed);
  if (o.retrying_) {
    counters.retries.fetch_add(1, std::memory_order_relaxed);
    o.cl_->requests().retries.fetch_add(1, std::memory_order_relaxed);
  }
  transport::request req;
  req.op = o.r_->req.op;
  req.flags = o.r_->req.flags;
  req.lent_body = o.r_->req.body;  // the op, owned by the handler, keeps it
  req.timeout = t;
  // The op (moved into the handler) keeps the view, and so the pool, alive.
  auto* pool = o.view_->pools[o.host_].get();
  pool->async_request(std::move(req), answer_handler<&exec_op::on_answer>{std::move(op)});
}

void exec_op::on_answer(std::unique_ptr<exec_op> op, std::error_code ec, transport::response r) {
  auto& o = *op;
  proto::error_response err;
  if (!ec && r.header.op == proto::opcode::error) {
    // Only errors are decoded here; a result is decoded once, by finish().
    auto d = transport::decode(r, o.version_);
    if (!d) return end(std::move(op), d.error().code, std::move(r));
    if (auto* e = std::get_if<proto::error_response>(&d->message)) {
      err = std::move(*e);
      ec = err.error_code();
    }
  }
  if (!ec) return end(std::move(op), ec, std::move(r));

  o.view_->counters[o.host_]->errors.fetch_add(1, std::memory_order_relaxed);
  auto action = routing::decide_retry({ec, ec.category() == proto::server_category() ? &err.details : nullptr},
                                      o.r_->idempotent, o.retries_);
  const std::string* cql = action == routing::retry_action::reprepare ? o.cql_to_reprepare(err) : nullptr;
  if (action == routing::retry_action::reprepare && !cql) action = routing::retry_action::fail;
  if (action == routing::retry_action::next_host && !o.planned_) {
    o.plan();  // plan_[0] is the host just tried (first_host() is plan()[0])
    if (o.plan_len_ > 0 && o.plan_[0] != o.host_) o.next_ = 0;  // the view's hosts went down meanwhile: all of it
  }
  if (action == routing::retry_action::next_host && o.next_ >= o.plan_len_) action = routing::retry_action::fail;
  if (o.log_.size() + 1 >= max_attempts) action = routing::retry_action::fail;
  o.log_.push_back({o.host_, ec, action, err.message});

  switch (action) {
    case routing::retry_action::fail:
      return end(std::move(op), ec, std::move(r));
    case routing::retry_action::same_host:
      ++o.retries_;
      o.retrying_ = true;
      return send(std::move(op));
    case routing::retry_action::next_host:
      ++o.retries_;
      o.retrying_ = true;
      o.host_ = o.plan_[o.next_++];
      return send(std::move(op));
    case routing::retry_action::reprepare: {
      ++o.reprepares_;
      proto::prepare_request m;
      m.query = *cql;
      transport::request req;
      if (auto e = transport::make_request(m, o.version_, req)) return end(std::move(op), e, {});
      req.timeout = o.left();
      if (req.timeout.count() <= 0) return end(std::move(op), transport::errc::request_timeout, {});
      o.view_->counters[o.host_]->requests.fetch_add(1, std::memory_order_relaxed);
      auto pool = o.view_->pools[o.host_];
      return pool->async_request(std::move(req), answer_handler<&exec_op::on_prepared>{std::move(op)});
    }
  }
}

void exec_op::on_prepared(std::unique_ptr<exec_op> op, std::error_code ec, transport::response r) {
  auto& o = *op;
  std::string detail;
  if (!ec) {
    auto d = transport::decode(r, o.version_);
    if (!d) ec = d.error().code;
    else if (auto* e = std::get_if<proto::error_response>(&d->message)) {
      ec = e->error_code();
      detail = e->message;
    } else if (!std::holds_alternative<proto::prepared_result>(d->message)) {
      ec = transport::errc::unexpected_response;
    }
  }
  if (ec) {
    // The statement cannot be prepared here now: that is the answer.
    o.view_->counters[o.host_]->errors.fetch_add(1, std::memory_order_relaxed);
    o.log_.push_back({o.host_, ec, routing::retry_action::fail, "re-prepare: " + (detail.empty() ? ec.message() : detail)});
    return end(std::move(op), ec, std::move(r));
  }
  // The id is a digest of the statement: the same bytes are valid again.
  send(std::move(op));
}

// The session's requests: the result decoded, the caller completed.
class query_op final : public exec_op {
 public:
  query_op(std::shared_ptr<cluster> c, request_ptr r, completion<query_result> done)
      : exec_op(std::move(c), std::move(r)), done_(std::move(done)) {}
  const asio::any_io_executor& executor() const noexcept override { return done_.executor(); }
  asio::cancellation_slot slot() const noexcept override { return done_.slot(); }

 private:
  void finish(std::error_code ec, transport::response r, bool posted) override {
    std::unique_ptr<exec_op> self(this);  // freed after the caller is completed (or the post is made)
    auto st = make_state(ec, std::move(r));
    record(ec);
    if (!ec && std::holds_alternative<proto::schema_change_result>(st->envelope.message))
      return await_agreement(std::move(self), std::move(st));
    if (!ec && std::holds_alternative<proto::set_keyspace_result>(st->envelope.message))
      return use_everywhere(std::move(self), std::move(st));
    query_result res(std::move(st));
    if (posted) return done_.post(ec, std::move(res));
    done_.complete(ec, std::move(res));
  }
  // DDL: the caller is completed once every node has the new schema. On
  // disagreement the result stays (the change was applied), with the hosts'
  // versions in its error_detail().
  void await_agreement(std::unique_ptr<exec_op> self, std::shared_ptr<query_result::state> st) {
    auto c = cluster_ptr();
    c->await_schema_agreement(coordinator(), [self = std::shared_ptr<exec_op>(std::move(self)), st = std::move(st)](
                                  std::error_code ec, std::string why) mutable {
      st->detail = std::move(why);
      static_cast<query_op&>(*self).done_.post(ec, query_result(std::move(st)));
    });
  }
  // USE: one connection switched; the caller is completed once every
  // connection of every host has, so that the next request finds the
  // keyspace wherever it goes.
  void use_everywhere(std::unique_ptr<exec_op> self, std::shared_ptr<query_result::state> st) {
    auto ks = std::get<proto::set_keyspace_result>(st->envelope.message).keyspace;
    cluster_ptr()->use_keyspace(std::move(ks), [self = std::shared_ptr<exec_op>(std::move(self)), st = std::move(st)](
                                                   std::error_code ec) mutable {
      if (ec) st->detail = "USE reached some connections only: " + ec.message();
      static_cast<query_op&>(*self).done_.post(ec, query_result(std::move(st)));
    });
  }
  completion<query_result> done_;
};

// A stream's page: the raw response to the stream, which decodes it.
class page_op final : public exec_op {
 public:
  page_op(std::shared_ptr<cluster> c, request_ptr r, asio::any_io_executor ex, asio::cancellation_slot slot,
          streaming::fetch_handler done)
      : exec_op(std::move(c), std::move(r)), ex_(std::move(ex)), slot_(slot), done_(std::move(done)) {}
  const asio::any_io_executor& executor() const noexcept override { return ex_; }
  asio::cancellation_slot slot() const noexcept override { return slot_; }

 private:
  void finish(std::error_code ec, transport::response r, bool posted) override {
    std::unique_ptr<exec_op> self(this);
    auto done = std::move(done_);
    record(ec);
    // A server's ERROR goes to the stream as the answer it is: the stream
    // reads the code and the server's words from it.
    if (ec.category() == protocol::server_category() && !r.body.empty()) ec = {};
    if (!posted) return done(ec, std::move(r));
    transport::post_to(ex_, [done = std::move(done), ec, r = std::move(r)]() mutable { done(ec, std::move(r)); });
  }
  asio::any_io_executor ex_;
  asio::cancellation_slot slot_;
  streaming::fetch_handler done_;
};

// Speculative execution of one idempotent request: up to max_executions
// exec_ops over the same plan, each starting at its own host, the next one
// launched each `delay` without an answer. The first success completes the
// caller and cancels the others; when every execution failed, the last
// failure does. Everything of the race runs on its strand: the executions'
// completions, the timer, the cancellations.
class race : public std::enable_shared_from_this<race> {
 public:
  static constexpr int max_executions = 4;

  race(std::shared_ptr<cluster> c, request_ptr r, completion<query_result> done)
      : cl_(std::move(c)),
        r_(std::move(r)),
        done_(std::move(done)),
        strand_(asio::make_strand(done_.executor())),
        timer_(strand_),
        limit_(std::clamp(cl_->settings().cluster.speculative.max_executions, 1, max_executions)),
        counter_(cl_->next_round_robin()),
        begun_(clock_type::now()) {}

  void start() {
    // The caller's cancellation ends every execution.
    if (auto slot = done_.slot(); slot.is_connected()) {
      slot.assign([w = weak_from_this()](asio::cancellation_type) {
        if (auto self = w.lock()) asio::dispatch(self->strand_, [self] { self->cancel_all(); });
      });
    }
    asio::dispatch(strand_, [self = shared_from_this()] {
      self->launch();
      self->arm();
    });
  }

  const asio::any_io_executor& executor() const noexcept { return strand_any_; }
  asio::cancellation_slot slot(int i) noexcept { return signals_[i].slot(); }

  // An execution ended (on the strand).
  void on_done(int i, std::error_code ec, std::shared_ptr<query_result::state> st) {
    running_[i] = false;
    ++finished_;
    if (done_ended_) return;  // a loser, cancelled or late
    if (!ec) return win(ec, std::move(st));
    last_ec_ = ec;
    last_ = std::move(st);
    // Each execution walks the rest of the plan as the retry policy allows:
    // when all of them have given up, the request has.
    if (finished_ == started_) win(last_ec_, std::move(last_));
  }

 private:
  class child;

  void launch();

  void arm() {
    if (started_ >= limit_ || done_ended_) return;
    timer_.expires_after(cl_->settings().cluster.speculative.delay);
    timer_.async_wait([self = shared_from_this()](std::error_code ec) {
      if (ec || self->done_ended_) return;
      self->launch();
      self->arm();
    });
  }

  void win(std::error_code ec, std::shared_ptr<query_result::state> st) {
    done_ended_ = true;
    cl_->requests().completed(clock_type::now() - begun_, ec);
    timer_.cancel();
    for (int j = 0; j < started_; ++j)
      if (running_[j]) signals_[j].emit(asio::cancellation_type::all);
    done_.post(ec, query_result(std::move(st)));
  }

  void cancel_all() {
    cancelled_ = true;
    timer_.cancel();
    for (int j = 0; j < started_; ++j)
      if (running_[j]) signals_[j].emit(asio::cancellation_type::all);
    if (started_ == finished_ && !done_ended_) win(asio::error::operation_aborted, nullptr);
  }

  std::shared_ptr<cluster> cl_;
  request_ptr r_;  // the master copy; each execution gets its own
  completion<query_result> done_;
  asio::strand<asio::any_io_executor> strand_;
  asio::any_io_executor strand_any_{strand_};
  asio::steady_timer timer_;
  int limit_;
  std::uint64_t counter_;
  std::array<asio::cancellation_signal, max_executions> signals_;
  std::array<bool, max_executions> running_{};
  int started_ = 0;
  int finished_ = 0;
  bool done_ended_ = false;
  bool cancelled_ = false;
  std::error_code last_ec_;
  std::shared_ptr<query_result::state> last_;
  clock_type::time_point begun_;
};

class race::child final : public exec_op {
 public:
  child(std::shared_ptr<race> r, int i, request_ptr req)
      : exec_op(r->cl_, std::move(req)), race_(std::move(r)), i_(i) {}
  const asio::any_io_executor& executor() const noexcept override { return race_->executor(); }
  asio::cancellation_slot slot() const noexcept override { return race_->slot(i_); }

 private:
  void finish(std::error_code ec, transport::response r, bool posted) override {
    std::unique_ptr<exec_op> self(this);
    auto st = make_state(ec, std::move(r));
    auto report = [race = race_, i = i_, ec, st = std::move(st)]() mutable { race->on_done(i, ec, std::move(st)); };
    if (posted) return asio::post(race_->strand_, std::move(report));
    report();
  }
  std::shared_ptr<race> race_;
  int i_;
};

void race::launch() {
  if (started_ >= limit_ || done_ended_) return;
  const int i = started_++;
  running_[i] = true;
  auto copy = new_request();
  copy->req.op = r_->req.op;
  copy->req.flags = r_->req.flags;
  copy->req.body = transport::pooled_bytes(r_->req.body);
  copy->req.timeout = r_->req.timeout;
  copy->route = r_->route;
  copy->idempotent = true;
  copy->types = r_->types;
  copy->prepare_cql = r_->prepare_cql;
  copy->batch_sources = r_->batch_sources;
  auto op = std::make_unique<child>(shared_from_this(), i, std::move(copy));
  op->start_at(counter_, static_cast<std::uint8_t>(i));
  exec_op::start(std::move(op));
}

}  // namespace

void execute(const std::shared_ptr<cluster>& c, request_ptr r, completion<query_result> done) {
  const auto& spec = c->settings().cluster.speculative;
  if (r->idempotent && spec.delay.count() > 0 && spec.max_executions > 1) {
    std::make_shared<race>(c, std::move(r), std::move(done))->start();
    return;
  }
  exec_op::start(std::make_unique<query_op>(c, std::move(r), std::move(done)));
}

void execute_page(const std::shared_ptr<cluster>& c, request_ptr r, asio::any_io_executor ex,
                  asio::cancellation_slot slot, streaming::fetch_handler done) {
  exec_op::start(std::make_unique<page_op>(c, std::move(r), std::move(ex), slot, std::move(done)));
}

}  // namespace cqlpp::detail
