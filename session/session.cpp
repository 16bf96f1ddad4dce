#include "session/session.hpp"

#include "transport/tls_context.hpp"

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

// Pages of one statement: QUERY or EXECUTE with the paging state filled in.
class statement_pages final : public streaming::page_source {
 public:
  statement_pages(std::shared_ptr<session_impl> s, bound_request m, std::int32_t page_size)
      : s_(std::move(s)), m_(std::move(m.msg)), storage_(std::move(m.storage)), types_(std::move(m.types)),
        page_size_(page_size), v_(s_->version()) {}

  void fetch_page(const std::optional<streaming::paging_state>& state, asio::any_io_executor ex,
                  asio::cancellation_slot cancel, streaming::fetch_handler done) override {
    if (s_->closed()) {
      asio::post(ex, [done = std::move(done)] { done(streaming::errc::session_closed, {}); });
      return;
    }
    auto* params = std::visit([](auto& msg) -> proto::query_parameters* {
      if constexpr (requires { msg.params; }) return &msg.params;
      else return nullptr;
    }, m_);
    if (params) {
      params->page_size = page_size_;
      params->paging_state = state;
    }
    transport::request req;
    if (auto ec = transport::make_request(m_, v_, req)) {
      asio::post(ex, [done = std::move(done), ec] { done(ec, {}); });
      return;
    }
    s_->pool_->async_request(std::move(req),
                             asio::bind_cancellation_slot(cancel, asio::bind_executor(ex, std::move(done))));
  }

  proto::protocol_version version() const override { return v_; }
  std::shared_ptr<const proto::rows_metadata> column_types() const override { return types_; }

 private:
  std::shared_ptr<session_impl> s_;
  proto::request m_;
  std::shared_ptr<std::vector<std::vector<std::byte>>> storage_;  // m_'s values point here
  std::shared_ptr<const proto::rows_metadata> types_;              // for skip_metadata pages
  std::int32_t page_size_;
  proto::protocol_version v_;
};

}  // namespace

session_impl::session_impl(asio::any_io_executor ex, session_options o)
    : ex_(std::move(ex)), opts_(std::move(o)), tls_(tls_context_for(opts_.connection.tls)) {
  pool_ = transport::host_pool::create(ex_, opts_.connection, opts_.pool, tls_);
}

session_impl::~session_impl() { close(); }

proto::protocol_version session_impl::version() const {
  const auto v = pool_->protocol_version();
  return v >= 5 ? proto::protocol_version::v5 : proto::protocol_version::v4;
}

void session_impl::close() {
  if (closed_.exchange(true)) return;
  streams_->close_all(streaming::errc::session_closed);
  pool_->close();
}

std::error_code session_impl::decode_result(transport::response r, proto::protocol_version v, query_result& out,
                                            std::shared_ptr<const proto::rows_metadata> types) {
  auto st = std::make_shared<query_result::state>();
  st->response = std::move(r);
  auto d = transport::decode(st->response, v);
  if (!d) return d.error().code;
  st->envelope = std::move(*d);
  if (auto* rows = std::get_if<proto::rows_result>(&st->envelope.message); rows && types &&
      rows->metadata().no_metadata) {
    st->types = std::move(types);
    rows->use_column_types(st->types.get());
  }
  std::error_code ec;
  if (auto* e = std::get_if<proto::error_response>(&st->envelope.message)) ec = e->error_code();
  out = query_result(std::move(st));
  return ec;
}

std::error_code session_impl::make_execute(const prepared_statement& p, const std::vector<proto::cql_value>& values,
                                           const statement& opts, bound_request& out) const {
  const auto& cols = p.variables.columns;
  if (values.size() != cols.size()) return proto::errc::type_mismatch;
  proto::execute_request m;
  m.id = p.id;
  m.result_metadata_id = p.result_metadata_id;
  m.params.cl = opts.consistency;
  m.params.page_size = opts.page_size;
  // The server need not resend what PREPARE told us (v4 §4.1.6 skip_metadata);
  // rows are typed with the prepared result metadata instead.
  m.params.skip_metadata = p.result_types != nullptr;
  out.types = p.result_types;
  // Serialise each value by its bind marker's type; the views point into storage.
  auto storage = std::make_shared<std::vector<std::vector<std::byte>>>(values.size());
  std::vector<proto::value_view> views(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].is_null()) {
      views[i] = proto::value_view::null_value();
    } else if (values[i].is_unset()) {
      views[i] = proto::value_view::unset_value();
    } else {
      proto::writer w((*storage)[i]);
      if (auto ec = proto::encode_value_bytes(w, values[i], cols[i].type)) return ec;
      views[i] = proto::value_view::of((*storage)[i]);
    }
  }
  m.params.values = std::move(views);
  out.msg = std::move(m);
  out.storage = std::move(storage);
  return {};
}

std::shared_ptr<streaming::page_source> session_impl::page_source_for(bound_request m, std::int32_t page_size) {
  return std::make_shared<statement_pages>(shared_from_this(), std::move(m), page_size);
}

bound_request make_query(const statement& s, proto::protocol_version v) {
  bound_request b;
  proto::query_request q;
  q.query = s.cql;
  q.params.cl = s.consistency;
  q.params.page_size = s.page_size;
  if (v == proto::protocol_version::v5) q.params.keyspace = s.keyspace;
  if (!s.values.empty()) {
    b.storage = std::make_shared<std::vector<std::vector<std::byte>>>();
    b.storage->reserve(s.values.size());
    std::vector<proto::value_view> views;
    for (const auto& v : s.values) {
      if (!v) {
        views.push_back(proto::value_view::null_value());
        continue;
      }
      b.storage->push_back(*v);
      views.push_back(proto::value_view::of(b.storage->back()));  // reserve(): no reallocation
    }
    q.params.values = std::move(views);
  }
  b.msg = std::move(q);
  return b;
}

}  // namespace detail
}  // namespace cqlpp
