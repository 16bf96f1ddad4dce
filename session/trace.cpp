// Reading a trace back: system_traces.sessions until the coordinator has
// written its duration (the trace is written after the answer, so the first
// reads may find nothing), then system_traces.events. The steps run on a
// strand, so that the caller's cancellation (posted there) and the answers
// never race.
#include "cqlpp/session/trace.hpp"

#include <string_view>

#include "cqlpp/protocol/typed_view.hpp"
#include "cqlpp/protocol/value.hpp"
#include "cqlpp/session/error.hpp"
#include "cqlpp/session/session_impl.hpp"

namespace cqlpp::detail {

namespace proto = cqlpp::protocol;

namespace {

std::optional<std::size_t> column(const proto::rows_result& rows, std::string_view name) {
  const auto& cols = rows.column_types().columns;
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (cols[i].name == name) return i;
  return std::nullopt;
}

// Cell `name` of `row` as T; nullopt when the column is absent, null or of
// another type.
template <class T>
std::optional<T> cell(const proto::rows_result& rows, const proto::row_view& row, std::string_view name) {
  const auto i = column(rows, name);
  if (!i || *i >= row.size()) return std::nullopt;
  auto v = proto::decode_optional<T>(row[*i], rows.column_types().columns[*i].type);
  if (!v) return std::nullopt;
  return *v;
}

std::string text(const proto::rows_result& rows, const proto::row_view& row, std::string_view name) {
  if (auto s = cell<std::string_view>(rows, row, name)) return std::string(*s);
  return {};
}

std::string address(const proto::rows_result& rows, const proto::row_view& row, std::string_view name) {
  if (auto a = cell<proto::inet_address>(rows, row, name)) return proto::to_string(proto::cql_value(*a));
  return {};
}

class trace_fetch : public std::enable_shared_from_this<trace_fetch> {
 public:
  trace_fetch(impl_ptr impl, proto::uuid id, trace_options o, completion<query_trace> done)
      : impl_(std::move(impl)), strand_(asio::make_strand(impl_->ex_)), timer_(strand_), o_(o),
        done_(std::move(done)) {
    out_.id = id;
  }

  void start() {
    auto slot = done_.slot();
    if (slot.is_connected()) {
      slot.assign([w = weak_from_this()](asio::cancellation_type) {
        if (auto self = w.lock())
          asio::post(self->strand_, [self] {
            self->cancelled_ = true;
            self->timer_.cancel();
          });
      });
    }
    asio::post(strand_, [self = shared_from_this()] { self->read_session(); });
  }

 private:
  statement by_id(const char* cql) const {
    statement s(cql);
    s.consistency = o_.consistency;
    s.idempotent = true;
    const auto* b = reinterpret_cast<const std::byte*>(out_.id.bytes.data());
    s.values.emplace_back(std::vector<std::byte>(b, b + 16));
    return s;
  }

  template <class Step>
  void query(const char* cql, Step step) {
    auto req = new_request();
    auto ec = encode_query(impl_, by_id(cql), *req);
    auto h = asio::bind_executor(strand_, [self = shared_from_this(), step](std::error_code ec, query_result r) {
      if (self->cancelled_) return self->finish(asio::error::operation_aborted);
      (self.get()->*step)(ec, std::move(r));
    });
    submit(impl_, std::move(req), ec, completion<query_result>(std::move(h), strand_));
  }

  void read_session() {
    ++reads_;
    query("SELECT coordinator, client, request, duration, started_at, parameters FROM system_traces.sessions "
          "WHERE session_id = ?",
          &trace_fetch::on_session);
  }

  void on_session(std::error_code ec, query_result r) {
    if (ec) return finish(ec);
    const auto* rows = r.rows();
    if (!rows) return finish(session_errc::unexpected_system_table);
    if (rows->size() == 0 || !cell<std::int32_t>(*rows, *rows->begin(), "duration")) {
      // Not written yet (or not complete: no duration).
      if (reads_ >= o_.attempts) return finish(session_errc::trace_unavailable);
      timer_.expires_after(o_.interval);
      timer_.async_wait([self = shared_from_this()](std::error_code) {
        if (self->cancelled_) return self->finish(asio::error::operation_aborted);
        self->read_session();
      });
      return;
    }
    const auto row = *rows->begin();
    out_.coordinator = address(*rows, row, "coordinator");
    out_.client = address(*rows, row, "client");
    out_.request = text(*rows, row, "request");
    out_.duration_us = cell<std::int32_t>(*rows, row, "duration").value_or(0);
    out_.started_at_ms = cell<std::int64_t>(*rows, row, "started_at").value_or(0);
    if (const auto i = column(*rows, "parameters"); i && *i < row.size() && !row[*i].is_null()) {
      const auto& t = rows->column_types().columns[*i].type;
      if (auto m = proto::map_view::make(row[*i].bytes, t)) {
        for (auto [k, v] : *m) {
          auto ks = proto::decode_optional<std::string_view>(k, m->key_type());
          auto vs = proto::decode_optional<std::string_view>(v, m->value_type());
          if (ks && vs && *ks && *vs) out_.parameters.emplace(std::string(**ks), std::string(**vs));
        }
      }
    }
    query("SELECT activity, source, source_elapsed, thread FROM system_traces.events WHERE session_id = ?",
          &trace_fetch::on_events);
  }

  void on_events(std::error_code ec, query_result r) {
    if (ec) return finish(ec);
    const auto* rows = r.rows();
    if (!rows) return finish(session_errc::unexpected_system_table);
    for (const auto& row : *rows) {
      trace_event e;
      e.activity = text(*rows, row, "activity");
      e.source = address(*rows, row, "source");
      e.source_elapsed_us = cell<std::int32_t>(*rows, row, "source_elapsed").value_or(0);
      e.thread = text(*rows, row, "thread");
      out_.events.push_back(std::move(e));
    }
    finish({});
  }

  void finish(std::error_code ec) {
    if (!done_) return;
    done_.post(ec, ec ? query_trace{} : std::move(out_));
  }

  impl_ptr impl_;
  asio::strand<asio::any_io_executor> strand_;
  asio::steady_timer timer_;
  trace_options o_;
  completion<query_trace> done_;
  query_trace out_;
  int reads_ = 0;
  bool cancelled_ = false;
};

}  // namespace

void fetch_trace(const impl_ptr& impl, proto::uuid id, trace_options o, completion<query_trace> done) {
  if (!impl || impl->closed()) return done.post(streaming::errc::session_closed, query_trace{});
  std::make_shared<trace_fetch>(impl, id, o, std::move(done))->start();
}

}  // namespace cqlpp::detail
