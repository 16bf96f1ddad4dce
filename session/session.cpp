#include "cqlpp/session/session.hpp"

#include <limits>

#include "cqlpp/protocol/message.hpp"
#include "cqlpp/protocol/query_parameters.hpp"
#include "cqlpp/transport/message_io.hpp"
#include "cqlpp/transport/op_memory.hpp"
#include "cqlpp/session/bind.hpp"
#include "cqlpp/session/cluster.hpp"
#include "cqlpp/session/murmur3.hpp"
#include "cqlpp/session/request_executor.hpp"
#include "cqlpp/session/routing_key.hpp"
#include "cqlpp/session/session_impl.hpp"
#include "cqlpp/transport/tls_context.hpp"

namespace cqlpp {

namespace proto = cqlpp::protocol;

namespace detail {

namespace {

// One TLS context for all of the session's connections. When the options
// are bad this is null and each connection reports why (failure_detail()).
std::shared_ptr<asio::ssl::context> tls_context_for(const transport::tls_options& t) {
  if (!t.enabled) return nullptr;
  std::error_code ec;
  return transport::make_tls_context(t, ec);
}

std::error_code unusable(const impl_ptr& impl) {
  return !impl || impl->closed() ? std::error_code(streaming::errc::session_closed) : std::error_code{};
}

// The options every QUERY and EXECUTE carries in its <query_parameters>.
void apply_options(session_impl& s, const request_options& o, proto::protocol_version v,
                   proto::query_parameters& p) {
  p.cl = o.consistency;
  p.page_size = o.page_size;
  p.serial_consistency = o.serial_consistency;
  p.default_timestamp = s.write_timestamp(o);
  if (v == proto::protocol_version::v5) p.keyspace = o.keyspace;
}

// Starts a request: opcode, timeout, a recycled body buffer, and tracing and
// the custom payload (header flags; the payload at the front of the body,
// v4 §2.2). Returns the writer positioned after them.
proto::writer begin_body(transport::request& out, proto::opcode op, const request_options& o) {
  out.op = op;
  out.flags = 0;
  out.timeout = o.timeout;
  out.body = transport::pooled_bytes::reuse();
  proto::writer w(out.body);
  if (o.tracing) out.flags |= proto::frame_flags::tracing;
  if (o.payload) {
    w.bytes_map(*o.payload);
    out.flags |= proto::frame_flags::custom_payload;
  }
  return w;
}

proto::envelope_extras extras_of(const request_options& o) {
  proto::envelope_extras e;
  e.tracing = o.tracing;
  e.payload = o.payload;
  return e;
}

void route_statement(const statement& s, route_info& r) {
  if (s.keyspace) r.set_keyspace(*s.keyspace);
  else if (s.routing_keyspace) r.set_keyspace(*s.routing_keyspace);
  if (s.routing_key) r.set_token(routing::murmur3_token(*s.routing_key));
}

proto::query_parameters execute_params(session_impl& s, const prepared_statement& p, const request_options& opts) {
  proto::query_parameters params;
  apply_options(s, opts, s.version(), params);
  // The server need not resend what PREPARE told us (v4 §4.1.6 skip_metadata);
  // rows are typed with the prepared result metadata instead.
  params.skip_metadata = p.result_types != nullptr;
  return params;
}

// Pages of one statement: QUERY or EXECUTE with the paging state filled in.
// Holds its own copy of what it encodes, made when the stream was asked for.
class paged_statement final : public streaming::page_source {
 public:
  struct bound {
    proto::request msg;
    std::vector<std::vector<std::byte>> storage;  // msg's values point here
    std::shared_ptr<const proto::rows_metadata> types;
    route_info route;
    bool idempotent = false;
    std::chrono::milliseconds timeout{0};  // per page
    std::shared_ptr<const std::string> prepare_cql;
    proto::envelope_extras extras;  // tracing, custom payload
  };
  paged_statement(impl_ptr s, std::unique_ptr<bound> b, std::int32_t page_size)
      : s_(std::move(s)), b_(std::move(b)), page_size_(page_size), v_(s_->version()) {}

  void fetch_page(const std::optional<streaming::paging_state>& state, asio::any_io_executor ex,
                  asio::cancellation_slot cancel, streaming::fetch_handler done) override {
    if (s_->closed()) {
      transport::post_to(ex, [done = std::move(done)] { done(streaming::errc::session_closed, {}); });
      return;
    }
    auto* params = std::visit([](auto& msg) -> proto::query_parameters* {
      if constexpr (requires { msg.params; }) return &msg.params;
      else return nullptr;
    }, b_->msg);
    if (params) {
      params->page_size = page_size_;
      params->paging_state = state;
    }
    auto req = new_request();
    if (auto ec = transport::make_request(b_->msg, v_, req->req, b_->extras)) {
      transport::post_to(ex, [done = std::move(done), ec] { done(ec, {}); });
      return;
    }
    req->req.timeout = b_->timeout;
    req->route = b_->route;
    req->idempotent = b_->idempotent;
    req->prepare_cql = b_->prepare_cql;
    execute_page(s_->cluster_, std::move(req), std::move(ex), cancel, std::move(done));
  }

  proto::protocol_version version() const override { return v_; }
  std::shared_ptr<const proto::rows_metadata> column_types() const override { return b_->types; }

 private:
  impl_ptr s_;
  std::unique_ptr<bound> b_;
  std::int32_t page_size_;
  proto::protocol_version v_;
};

}  // namespace

session_impl::session_impl(asio::any_io_executor ex, session_options o)
    : ex_(std::move(ex)), opts_(std::move(o)), tls_(tls_context_for(opts_.connection.tls)) {
  cluster_ = cluster::create(cluster_settings{ex_, opts_.connection, opts_.pool, opts_.cluster, tls_});
}

asio::any_io_executor executor_of(const impl_ptr& impl) {
  return impl ? impl->ex_ : asio::any_io_executor(asio::system_executor());
}

std::error_code encode_query(const impl_ptr& impl, const statement& s, exec_request& req) {
  if (auto ec = unusable(impl)) return ec;
  const auto v = impl->version();
  if (s.values.size() > std::numeric_limits<std::uint16_t>::max()) return proto::errc::too_large;
  route_statement(s, req.route);
  req.idempotent = s.idempotent;
  auto w = begin_body(req.req, proto::opcode::query, s);
  w.long_string(s.cql);
  proto::query_parameters params;
  apply_options(*impl, s, v, params);
  proto::encode_head(w, params, v, !s.values.empty());
  if (!s.values.empty()) {
    w.u16(static_cast<std::uint16_t>(s.values.size()));
    for (const auto& val : s.values) {
      if (val) w.bytes(*val);
      else w.null_bytes();
    }
  }
  proto::encode_tail(w, params, v);
  return w.error();
}

std::error_code encode_prepare(const impl_ptr& impl, const std::string& cql, exec_request& out) {
  if (auto ec = unusable(impl)) return ec;
  proto::prepare_request m;
  m.query = cql;
  out.idempotent = true;  // preparing twice is harmless
  return transport::make_request(m, impl->version(), out.req);
}

std::error_code encode_execute(const impl_ptr& impl, const prepared_statement& p,
                               std::span<const proto::cql_value> values, const request_options& opts,
                               exec_request& req) {
  if (auto ec = unusable(impl)) return ec;
  const auto v = impl->version();
  auto w = begin_body(req.req, proto::opcode::execute, opts);
  w.short_bytes(p.id);
  if (v >= proto::protocol_version::v5) w.short_bytes(p.result_metadata_id);
  const auto params = execute_params(*impl, p, opts);
  proto::encode_head(w, params, v, true);
  key_cells keys;
  if (auto ec = write_bound_values(w, p, values, &keys)) {  // checks the count too
    req.error_detail = bind_error_detail(p, values, ec);
    return ec;
  }
  proto::encode_tail(w, params, v);
  if (auto ec = w.error()) return ec;
  req.route.set_keyspace(keyspace_of(p));
  if (const auto t = token_of(keys, req.req.body)) req.route.set_token(*t);
  req.idempotent = opts.idempotent;
  req.types = p.result_types;
  req.prepare_cql = p.source;
  return {};
}

struct batch_access {
  static std::error_code encode(session_impl& impl, const batch& b, exec_request& req) {
    const auto v = impl.version();
    auto w = begin_body(req.req, proto::opcode::batch, b);
    w.u8(static_cast<std::uint8_t>(b.type_));
    w.u16(static_cast<std::uint16_t>(b.count_));
    w.raw(b.entries_);
    w.u16(static_cast<std::uint16_t>(b.consistency));
    const auto ts = impl.write_timestamp(b);
    const bool ks = v == proto::protocol_version::v5 && b.keyspace;
    std::uint32_t flags = 0;
    if (b.serial_consistency) flags |= proto::query_flags::serial_consistency;
    if (ts) flags |= proto::query_flags::default_timestamp;
    if (ks) flags |= proto::query_flags::keyspace;
    if (v == proto::protocol_version::v5) w.u32(flags);
    else w.u8(static_cast<std::uint8_t>(flags));
    if (b.serial_consistency) w.u16(static_cast<std::uint16_t>(*b.serial_consistency));
    if (ts) w.i64(*ts);
    if (ks) w.string(*b.keyspace);
    if (auto ec = w.error()) return ec;
    if (b.keyspace) req.route.set_keyspace(*b.keyspace);
    else if (b.routing_keyspace) req.route.set_keyspace(*b.routing_keyspace);
    if (b.routing_key) {
      req.route.set_token(routing::murmur3_token(*b.routing_key));
    } else if (b.token_) {
      req.route.set_token(*b.token_);
      if (!b.keyspace && !b.routing_keyspace) req.route.set_keyspace(b.token_keyspace_);
    }
    req.idempotent = b.idempotent;
    req.batch_sources = b.sources_;
    return {};
  }
};

std::error_code encode_batch(const impl_ptr& impl, const batch& b, exec_request& req) {
  if (auto ec = unusable(impl)) return ec;
  return batch_access::encode(*impl, b, req);
}

void submit(const impl_ptr& impl, request_ptr req, std::error_code ec, completion<query_result> done) {
  if (!ec) ec = unusable(impl);
  if (ec && !req->error_detail.empty()) {
    auto st = std::make_shared<query_result::state>();
    st->detail = std::move(req->error_detail);
    return done.post(ec, query_result(std::move(st)));
  }
  if (ec) return done.post(ec, query_result{});
  execute(impl->cluster_, std::move(req), std::move(done));
}

std::error_code to_prepared(std::error_code ec, const query_result& r, std::string cql, prepared_statement& p) {
  p.cql = std::move(cql);
  if (ec) {
    p.error_message = !r.error_message().empty() ? r.error_message() : r.error_detail();
    return ec;
  }
  auto* pr = std::get_if<proto::prepared_result>(r.message());
  if (!pr) return transport::errc::unexpected_response;
  p.id = pr->id;
  p.result_metadata_id = pr->result_metadata_id;
  p.variables = pr->variables;
  p.result_metadata = pr->result_metadata;
  if (!p.result_metadata.columns.empty())
    p.result_types = std::make_shared<const proto::rows_metadata>(p.result_metadata);
  p.source = std::make_shared<const std::string>(p.cql);
  return {};
}

void prepare_on_all_hosts(const impl_ptr& impl, const prepared_statement& p,
                          std::optional<routing::host_id> prepared_at) {
  if (!impl || impl->closed()) return;
  auto v = impl->cluster_->view();
  if (!v || v->pools.size() < 2) return;
  proto::prepare_request m;
  m.query = p.cql;
  transport::request req;
  if (transport::make_request(m, impl->version(), req)) return;
  for (std::size_t i = 0; i < v->pools.size(); ++i) {
    if (!v->snapshot.hosts[i].up) continue;
    if (prepared_at && v->snapshot.hosts[i].id == *prepared_at) continue;  // it answered the PREPARE
    transport::request copy{req.op, req.flags, transport::pooled_bytes(req.body), req.timeout, {}};
    v->pools[i]->async_request(std::move(copy), [](std::error_code, transport::response) {});
  }
}

std::shared_ptr<streaming::page_source> statement_pages(const impl_ptr& impl, const statement& s,
                                                        std::error_code& ec) {
  if ((ec = unusable(impl))) return nullptr;
  auto b = std::make_unique<paged_statement::bound>();
  proto::query_request q;
  q.query = s.cql;
  apply_options(*impl, s, impl->version(), q.params);
  if (!s.values.empty()) {
    b->storage.reserve(s.values.size());
    std::vector<proto::value_view> views;
    for (const auto& v : s.values) {
      if (!v) {
        views.push_back(proto::value_view::null_value());
        continue;
      }
      b->storage.push_back(*v);
      views.push_back(proto::value_view::of(b->storage.back()));  // reserve(): no reallocation
    }
    q.params.values = std::move(views);
  }
  b->msg = std::move(q);
  b->extras = extras_of(s);
  route_statement(s, b->route);
  b->idempotent = s.idempotent;
  b->timeout = s.timeout;
  return std::make_shared<paged_statement>(impl, std::move(b), s.page_size);
}

std::shared_ptr<streaming::page_source> prepared_pages(const impl_ptr& impl, const prepared_statement& p,
                                                       std::span<const proto::cql_value> values,
                                                       const request_options& opts, std::error_code& ec) {
  if ((ec = unusable(impl))) return nullptr;
  const auto& cols = p.variables.columns;
  if (values.size() != cols.size()) {
    ec = proto::errc::type_mismatch;
    return nullptr;
  }
  auto b = std::make_unique<paged_statement::bound>();
  proto::execute_request m;
  m.id = p.id;
  m.result_metadata_id = p.result_metadata_id;
  m.params = execute_params(*impl, p, opts);
  b->types = p.result_types;
  // Serialise each value by its bind marker's type; the views point into storage.
  b->storage.resize(values.size());
  std::vector<proto::value_view> views(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].is_null()) {
      views[i] = proto::value_view::null_value();
    } else if (values[i].is_unset()) {
      views[i] = proto::value_view::unset_value();
    } else {
      proto::writer w(b->storage[i]);
      if ((ec = proto::encode_value_bytes(w, values[i], cols[i].type))) return nullptr;
      views[i] = proto::value_view::of(b->storage[i]);
    }
  }
  m.params.values = std::move(views);
  // Routing: the key cells are the serialised values at pk_indexes.
  b->route.set_keyspace(keyspace_of(p));
  const auto& pk = p.variables.pk_indexes;
  if (!pk.empty() && pk.size() <= key_cells::max) {
    std::array<routing::key_component, key_cells::max> parts;
    bool ok = true;
    for (std::size_t k = 0; k < pk.size() && ok; ++k) {
      ok = pk[k] < values.size() && !values[pk[k]].is_null() && !values[pk[k]].is_unset();
      if (ok) parts[k] = b->storage[pk[k]];
    }
    if (ok) {
      if (auto t = routing::token_of_key(std::span<const routing::key_component>(parts.data(), pk.size())))
        b->route.set_token(*t);
    }
  }
  b->extras = extras_of(opts);
  b->idempotent = opts.idempotent;
  b->timeout = opts.timeout;
  b->prepare_cql = p.source;
  b->msg = std::move(m);
  return std::make_shared<paged_statement>(impl, std::move(b), opts.page_size);
}

void open_stream(const impl_ptr& impl, std::shared_ptr<streaming::page_source> src, std::error_code ec,
                 stream_options so, completion<result_stream> done) {
  if (!ec) ec = unusable(impl);
  if (ec) return done.post(ec, result_stream{});
  auto core = std::make_shared<streaming::stream_core>(std::move(src), impl->streams_, impl->ex_, std::move(so));
  impl->streams_->add(core);
  asio::post(core->strand(), [core] { core->start(); });
  done.post({}, result_stream(std::move(core)));
}

}  // namespace detail

void session::start_connect(asio::any_io_executor ex, session_options o, detail::completion<session> done) {
  auto impl = std::make_shared<detail::session_impl>(ex, std::move(o));
  // Cancelling the connect closes what it opened so far.
  auto aborted = std::make_shared<std::atomic<bool>>(false);
  auto slot = done.slot();
  if (slot.is_connected()) {
    slot.assign([w = std::weak_ptr<detail::session_impl>(impl), aborted](asio::cancellation_type) {
      aborted->store(true);
      if (auto i = w.lock()) i->close();
    });
  }
  auto hex = done.executor();
  // std::function wants a copyable target: the handler waits in a shared_ptr.
  auto pending = std::make_shared<detail::completion<session>>(std::move(done));
  impl->cluster_->start([impl, aborted, hex, pending](std::error_code ec, std::string why) {
    // On the handler's executor, where the slot was assigned (complete() clears it).
    asio::dispatch(hex, [impl, aborted, pending, ec, why = std::move(why)]() mutable {
      auto& done = *pending;
      if (aborted->load()) ec = asio::error::operation_aborted;
      session s;
      if (!ec) {
        s.impl_ = impl;
      } else {
        s.error_detail_ = why.empty() ? ec.message() : why;
        impl->close();
      }
      done.complete(ec, std::move(s));
    });
  });
}

session& session::operator=(session&& o) noexcept {
  if (this != &o) {
    close();
    impl_ = std::move(o.impl_);
    error_detail_ = std::move(o.error_detail_);
  }
  return *this;
}

session::~session() { close(); }

void session::close() {
  if (impl_) impl_->close();
}

bool session::valid() const noexcept { return impl_ != nullptr && !impl_->closed(); }

streaming::stream_counters session::stream_counters() const {
  return impl_ ? impl_->streams_->snapshot() : streaming::stream_counters{};
}

transport::pool_stats session::pool_stats() const {
  transport::pool_stats sum;
  if (!impl_) return sum;
  auto v = impl_->cluster_->view();
  if (!v) return sum;
  for (const auto& p : v->pools) sum += p->stats();
  return sum;
}

session_metrics session::metrics() const {
  return impl_ ? detail::read(impl_->cluster_->requests()) : session_metrics{};
}

std::vector<host_metrics> session::hosts() const { return impl_ ? impl_->cluster_->metrics() : std::vector<host_metrics>{}; }

cluster_events session::events() const { return impl_ ? impl_->cluster_->events() : cluster_events{}; }

std::shared_ptr<const routing::cluster_snapshot> session::cluster_snapshot() const {
  auto v = impl_ ? impl_->cluster_->view() : nullptr;
  if (!v) return nullptr;
  return {v, &v->snapshot};  // shares the view's ownership
}

std::uint8_t session::protocol_version() const {
  return impl_ ? static_cast<std::uint8_t>(impl_->version()) : 0;
}

std::shared_ptr<const streaming::stream_registry> session::stream_registry() const {
  return impl_ ? impl_->streams_ : nullptr;
}

}  // namespace cqlpp
