#include "session/session.hpp"

#include <limits>

#include "protocol/message.hpp"
#include "protocol/query_parameters.hpp"
#include "transport/message_io.hpp"
#include "transport/op_memory.hpp"
#include "session/cluster.hpp"
#include "session/murmur3.hpp"
#include "session/request_executor.hpp"
#include "session/routing_key.hpp"
#include "transport/tls_context.hpp"

namespace cqlpp {

namespace proto = cqlpp::protocol;

namespace detail {

class session_impl : public std::enable_shared_from_this<session_impl> {
 public:
  session_impl(asio::any_io_executor ex, session_options o);
  ~session_impl() { close(); }

  proto::protocol_version version() const {
    return cluster_->version() >= 5 ? proto::protocol_version::v5 : proto::protocol_version::v4;
  }
  void close() {
    if (closed_.exchange(true)) return;
    streams_->close_all(streaming::errc::session_closed);
    cluster_->close();
  }
  bool closed() const noexcept { return closed_.load(); }

  asio::any_io_executor ex_;
  session_options opts_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::shared_ptr<cluster> cluster_;
  std::shared_ptr<streaming::stream_registry> streams_ = std::make_shared<streaming::stream_registry>();
  std::atomic<bool> closed_{false};
};

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

// Writes the bound values straight into the frame: each cell serialised by
// its marker's type right behind its length, no value list in between.
// The partition key's cells, where write_execute_body put them in the body.
struct key_cells {
  static constexpr std::size_t max = 8;  // a longer partition key is routed without a token
  std::array<std::pair<std::size_t, std::int32_t>, max> at{};  // offset, length (< 0: null/unset)
  std::size_t n = 0;
};

std::error_code write_execute_body(proto::writer& w, const prepared_statement& p,
                                   std::span<const proto::cql_value> values, const proto::query_parameters& params,
                                   proto::protocol_version v, const std::vector<std::byte>& body, key_cells* keys) {
  const auto& cols = p.variables.columns;
  if (values.size() != cols.size()) return proto::errc::type_mismatch;
  w.short_bytes(p.id);
  if (v >= proto::protocol_version::v5) w.short_bytes(p.result_metadata_id);
  proto::encode_head(w, params, v, true);
  w.u16(static_cast<std::uint16_t>(values.size()));
  const auto& pk = p.variables.pk_indexes;
  const std::size_t want = keys && pk.size() <= key_cells::max ? pk.size() : 0;
  if (keys) keys->n = want;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::size_t cell = body.size() + 4;  // behind its [int] length
    if (auto ec = proto::encode_value(w, values[i], cols[i].type)) return ec;
    for (std::size_t k = 0; k < want; ++k)
      if (pk[k] == i) keys->at[k] = {cell, values[i].is_null() || values[i].is_unset() ? -1 : static_cast<std::int32_t>(body.size() - cell)};
  }
  proto::encode_tail(w, params, v);
  return w.error();
}

// The token of the partition key found in the body; nullopt when a key cell
// is null or the key is too long to route by.
std::optional<std::int64_t> token_of(const key_cells& keys, const std::vector<std::byte>& body) {
  if (keys.n == 0) return std::nullopt;
  std::array<routing::key_component, key_cells::max> parts;
  for (std::size_t k = 0; k < keys.n; ++k) {
    if (keys.at[k].second < 0) return std::nullopt;
    parts[k] = routing::key_component(body.data() + keys.at[k].first, static_cast<std::size_t>(keys.at[k].second));
  }
  const std::span<const routing::key_component> comps(parts.data(), keys.n);
  if (keys.n == 1) return routing::murmur3_token(comps[0]);
  std::array<std::byte, 512> stack;
  const auto size = routing::routing_key_size(comps);
  if (!size) return std::nullopt;
  if (*size <= stack.size()) {
    const auto n = routing::write_routing_key(comps, stack);
    if (!n) return std::nullopt;
    return routing::murmur3_token(std::span<const std::byte>(stack.data(), *n));
  }
  auto key = routing::make_routing_key(comps);
  if (!key) return std::nullopt;
  return routing::murmur3_token(*key);
}

// The keyspace of a prepared statement's table, from its bind markers.
std::string_view keyspace_of(const prepared_statement& p) {
  if (p.variables.global_table) return p.variables.global_table->keyspace;
  if (!p.variables.columns.empty()) return p.variables.columns.front().keyspace;
  return {};
}

void route_statement(const statement& s, route_info& r) {
  if (s.keyspace) r.set_keyspace(*s.keyspace);
  else if (s.routing_keyspace) r.set_keyspace(*s.routing_keyspace);
  if (s.routing_key) r.set_token(routing::murmur3_token(*s.routing_key));
}

proto::query_parameters execute_params(const prepared_statement& p, const statement& opts) {
  proto::query_parameters params;
  params.cl = opts.consistency;
  params.page_size = opts.page_size;
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
    exec_request req;
    if (auto ec = transport::make_request(b_->msg, v_, req.req)) {
      transport::post_to(ex, [done = std::move(done), ec] { done(ec, {}); });
      return;
    }
    req.req.timeout = b_->timeout;
    req.route = b_->route;
    req.idempotent = b_->idempotent;
    req.prepare_cql = b_->prepare_cql;
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
  auto& out = req.req;
  out.timeout = s.timeout;
  out.op = proto::opcode::query;
  out.flags = 0;
  out.body = transport::pooled_bytes::reuse();
  proto::writer w(out.body);
  w.long_string(s.cql);
  proto::query_parameters params;
  params.cl = s.consistency;
  params.page_size = s.page_size;
  if (v == proto::protocol_version::v5) params.keyspace = s.keyspace;
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
                               std::span<const proto::cql_value> values, const statement& opts,
                               exec_request& req) {
  if (auto ec = unusable(impl)) return ec;
  auto& out = req.req;
  out.op = proto::opcode::execute;
  out.flags = 0;
  out.timeout = opts.timeout;
  out.body = transport::pooled_bytes::reuse();
  proto::writer w(out.body);
  key_cells keys;
  if (auto ec = write_execute_body(w, p, values, execute_params(p, opts), impl->version(), out.body, &keys))
    return ec;
  req.route.set_keyspace(keyspace_of(p));
  if (const auto t = token_of(keys, out.body)) req.route.set_token(*t);
  req.idempotent = opts.idempotent;
  req.types = p.result_types;
  req.prepare_cql = p.source;
  return {};
}

void submit(const impl_ptr& impl, exec_request req, std::error_code ec, completion<query_result> done) {
  if (!ec) ec = unusable(impl);
  if (ec) return done.post(ec, query_result{});
  execute(impl->cluster_, std::move(req), std::move(done));
}

std::error_code to_prepared(std::error_code ec, const query_result& r, std::string cql, prepared_statement& p) {
  p.cql = std::move(cql);
  if (ec) return ec;
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

void prepare_on_all_hosts(const impl_ptr& impl, const prepared_statement& p) {
  if (!impl || impl->closed()) return;
  auto v = impl->cluster_->view();
  if (!v || v->pools.size() < 2) return;
  proto::prepare_request m;
  m.query = p.cql;
  transport::request req;
  if (transport::make_request(m, impl->version(), req)) return;
  for (std::size_t i = 0; i < v->pools.size(); ++i) {
    if (!v->snapshot.hosts[i].up) continue;
    transport::request copy{req.op, req.flags, transport::pooled_bytes(req.body), req.timeout};
    v->pools[i]->async_request(std::move(copy), [](std::error_code, transport::response) {});
  }
}

std::shared_ptr<streaming::page_source> statement_pages(const impl_ptr& impl, const statement& s,
                                                        std::error_code& ec) {
  if ((ec = unusable(impl))) return nullptr;
  auto b = std::make_unique<paged_statement::bound>();
  proto::query_request q;
  q.query = s.cql;
  q.params.cl = s.consistency;
  q.params.page_size = s.page_size;
  if (impl->version() == proto::protocol_version::v5) q.params.keyspace = s.keyspace;
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
  route_statement(s, b->route);
  b->idempotent = s.idempotent;
  b->timeout = s.timeout;
  return std::make_shared<paged_statement>(impl, std::move(b), s.page_size);
}

std::shared_ptr<streaming::page_source> prepared_pages(const impl_ptr& impl, const prepared_statement& p,
                                                       std::span<const proto::cql_value> values,
                                                       const statement& opts, std::error_code& ec) {
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
  m.params = execute_params(p, opts);
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
      if (auto key = routing::make_routing_key(std::span<const routing::key_component>(parts.data(), pk.size())))
        b->route.set_token(routing::murmur3_token(*key));
    }
  }
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

std::vector<host_metrics> session::hosts() const { return impl_ ? impl_->cluster_->metrics() : std::vector<host_metrics>{}; }

cluster_events session::events() const { return impl_ ? impl_->cluster_->events() : cluster_events{}; }

std::uint8_t session::protocol_version() const {
  return impl_ ? static_cast<std::uint8_t>(impl_->version()) : 0;
}

std::shared_ptr<const streaming::stream_registry> session::stream_registry() const {
  return impl_ ? impl_->streams_ : nullptr;
}

}  // namespace cqlpp
