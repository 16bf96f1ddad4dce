// session: the public async API over a cluster. From one contact point it
// finds every node (session/cluster.hpp: a control connection, events,
// snapshots), keeps a connection pool per node, sends each request to a
// replica of its partition first (token-aware, DC-aware round robin), and
// retries what is safe to retry (session/request_executor.hpp); hosts()
// tells what each node was sent.
//
// Every call takes an Asio completion token as its last parameter — a
// callback, asio::use_future, asio::use_awaitable, asio::experimental::deferred
// — and honours the handler's cancellation slot. The token defaults to the
// executor type's default completion token (asio::default_completion_token_t).
// The calls are thin templates over one non-template request path in
// session.cpp: the handler is type-erased (detail::completion, stored inline)
// and nothing of the connection pool is visible here.
// Completions carry std::error_code first: transport errors
// (cqlpp::transport::errc), server errors (cqlpp::protocol::server_category,
// with the server's message in query_result::error_message()), codec errors
// (cqlpp::protocol::errc) or streaming::errc::session_closed.
//
// Lifetime: a session is a move-only handle; destroying it (or close()) shuts
// the connections, fails whatever is in flight, and ends every live stream
// with session_closed. Thread-safety: calls may come from any thread.
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <array>
#include <future>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "cqlpp/protocol/value.hpp"
#include "cqlpp/session/batch.hpp"
#include "cqlpp/session/bind.hpp"
#include "cqlpp/session/cluster_options.hpp"
#include "cqlpp/session/completion.hpp"
#include "cqlpp/session/exec_request.hpp"
#include "cqlpp/session/query_result.hpp"
#include "cqlpp/session/metrics.hpp"
#include "cqlpp/session/request_options.hpp"
#include "cqlpp/session/statement.hpp"
#include "cqlpp/session/trace.hpp"
#include "cqlpp/streaming/result_stream.hpp"
#include "cqlpp/transport/continuation.hpp"
#include "cqlpp/transport/error.hpp"
#include "cqlpp/transport/options.hpp"
#include "cqlpp/transport/pool_options.hpp"
#include "cqlpp/transport/request.hpp"

namespace cqlpp {

// Everything session::async_connect needs; every default is the member struct's.
struct session_options {
  transport::connection_options connection;  // host, port, TLS, credentials, timeouts, lz4 (each connection's)
  transport::pool_options pool;              // connections per host (default 2), reconnection
  cluster_options cluster;                   // contact points, discovery, load balancing
};

using streaming::result_stream;
using streaming::stream_options;

class session;

namespace detail {

class session_impl;  // session.cpp
using impl_ptr = std::shared_ptr<session_impl>;

// The non-template request path (session.cpp). Encoding happens in the
// calling thread, before the call returns, so nothing refers to the caller's
// statement or values afterwards; an encoding error is delivered through the
// completion.
asio::any_io_executor executor_of(const impl_ptr& impl);
std::error_code encode_query(const impl_ptr& impl, const statement& s, exec_request& out);
std::error_code encode_prepare(const impl_ptr& impl, const std::string& cql, exec_request& out);
std::error_code encode_execute(const impl_ptr& impl, const prepared_statement& p,
                               std::span<const protocol::cql_value> values, const request_options& opts,
                               exec_request& out);
std::error_code encode_batch(const impl_ptr& impl, const batch& b, exec_request& out);
void submit(const impl_ptr& impl, request_ptr req, std::error_code ec, completion<query_result> done);
std::error_code to_prepared(std::error_code ec, const query_result& r, std::string cql, prepared_statement& out);
// PREPARE sent to every up host, without waiting: an EXECUTE finds the
// statement wherever it is routed. One that gets there first is answered
// UNPREPARED and re-prepares on its own (request_executor).
// `prepared_at`: the host that answered the PREPARE (not sent to again).
void prepare_on_all_hosts(const impl_ptr& impl, const prepared_statement& p,
                          std::optional<routing::host_id> prepared_at);
void fetch_trace(const impl_ptr& impl, protocol::uuid id, trace_options o, completion<query_trace> done);

// Streams: the page source is made at the call (a copy of what it needs).
std::shared_ptr<streaming::page_source> statement_pages(const impl_ptr& impl, const statement& s,
                                                        std::error_code& ec);
std::shared_ptr<streaming::page_source> prepared_pages(const impl_ptr& impl, const prepared_statement& p,
                                                       std::span<const protocol::cql_value> values,
                                                       const request_options& opts, std::error_code& ec);
void open_stream(const impl_ptr& impl, std::shared_ptr<streaming::page_source> src, std::error_code ec,
                 stream_options so, completion<result_stream> done);

}  // namespace detail

// A connection to a cluster (see the top of this file). Default-constructed,
// it is empty: not valid(), and every request fails with session_closed.
class session {
 public:
  using executor_type = asio::any_io_executor;  // whose default completion token the calls use

  session() = default;
  session(session&&) noexcept = default;  // takes the session; the source is left empty
  // Closes this session (as close() does), then takes o's.
  session& operator=(session&& o) noexcept;
  ~session();

  // Connects to the cluster (cluster.contact_points, else connection.host); completes void(std::error_code, session)
  // once the first connection is ready. On failure the session in the
  // completion is not valid() and its error_detail() says why in words (the
  // server's message, a TLS verify error). With asio::use_future and
  // asio::use_awaitable the failure is thrown as a connect_error, which
  // carries the same words. Cancellation (the handler's slot) closes every
  // connection opened or being opened and completes with operation_aborted.
  // `ex` must be an io_context's executor (any number of threads may run it).
  template <asio::completion_token_for<void(std::error_code, session)> Token =
                asio::default_completion_token_t<executor_type>>
  static auto async_connect(asio::any_io_executor ex, session_options o,
                            Token&& token = asio::default_completion_token_t<executor_type>()) {
    return asio::async_initiate<Token, void(std::error_code, session)>(
        [](auto handler, asio::any_io_executor ex, session_options o) {
          detail::completion<session> done(std::move(handler), ex);
          start_connect(std::move(ex), std::move(o), std::move(done));
        },
        token, std::move(ex), std::move(o));
  }
  // On a session from a failed async_connect: why it failed, in words.
  // Empty on a connected session.
  const std::string& error_detail() const noexcept { return error_detail_; }

  // QUERY: void(std::error_code, query_result).
  template <asio::completion_token_for<void(std::error_code, query_result)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_query(const statement& s, Token&& token = asio::default_completion_token_t<executor_type>()) {
    auto req = detail::new_request();
    auto ec = detail::encode_query(impl_, s, *req);
    return initiate_request(std::forward<Token>(token), std::move(req), ec);
  }

  // PREPARE: void(std::error_code, prepared_statement).
  template <asio::completion_token_for<void(std::error_code, prepared_statement)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_prepare(std::string cql, Token&& token = asio::default_completion_token_t<executor_type>()) {
    auto req = detail::new_request();
    auto ec = detail::encode_prepare(impl_, cql, *req);
    return asio::async_initiate<Token, void(std::error_code, prepared_statement)>(
        [impl = impl_](auto handler, detail::request_ptr req, std::error_code ec, std::string cql) {
          auto step = transport::continue_with(std::move(handler),
              [impl, cql = std::move(cql)](auto h, std::error_code ec, query_result r) mutable {
                prepared_statement p;
                ec = detail::to_prepared(ec, r, std::move(cql), p);
                if (!ec) detail::prepare_on_all_hosts(impl, p, r.coordinator());
                std::move(h)(ec, std::move(p));
              });
          detail::submit(impl, std::move(req), ec,
                         detail::completion<query_result>(std::move(step), detail::executor_of(impl)));
        },
        token, std::move(req), ec, std::move(cql));
  }

  // EXECUTE with values typed by the statement's bind markers:
  // void(std::error_code, query_result). The values are serialised before the
  // call returns; `opts` (a statement's will do) says how to execute it.
  template <asio::completion_token_for<void(std::error_code, query_result)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_execute(const prepared_statement& p, bound_values values, const request_options& opts,
                     Token&& token = asio::default_completion_token_t<executor_type>()) {
    auto req = detail::new_request();
    auto ec = detail::encode_execute(impl_, p, values.span(), opts, *req);
    return initiate_request(std::forward<Token>(token), std::move(req), ec);
  }
  // The same with default request_options (local_one, not idempotent, ...).
  template <asio::completion_token_for<void(std::error_code, query_result)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_execute(const prepared_statement& p, bound_values values,
                     Token&& token = asio::default_completion_token_t<executor_type>()) {
    return async_execute(p, values, request_options{}, std::forward<Token>(token));
  }

  // BATCH: void(std::error_code, query_result). A conditional batch's
  // outcome is in the result's applied(). The batch is encoded before the
  // call returns, and may be changed or reused afterwards.
  template <asio::completion_token_for<void(std::error_code, query_result)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_batch(const batch& b, Token&& token = asio::default_completion_token_t<executor_type>()) {
    auto req = detail::new_request();
    auto ec = detail::encode_batch(impl_, b, *req);
    return initiate_request(std::forward<Token>(token), std::move(req), ec);
  }

  // The trace of a request sent with request_options::tracing, by the id in
  // its result (tracing_id()): void(std::error_code, query_trace). The
  // server writes traces after it answers, so this reads until the trace is
  // complete; session_errc::trace_unavailable when it is not within
  // `o.attempts` reads.
  template <asio::completion_token_for<void(std::error_code, query_trace)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_trace(protocol::uuid id, trace_options o,
                   Token&& token = asio::default_completion_token_t<executor_type>()) {
    return asio::async_initiate<Token, void(std::error_code, query_trace)>(
        [impl = impl_](auto handler, protocol::uuid id, trace_options o) {
          detail::fetch_trace(impl, id, o, detail::completion<query_trace>(std::move(handler), detail::executor_of(impl)));
        },
        token, id, o);
  }
  // The same with default trace_options.
  template <asio::completion_token_for<void(std::error_code, query_trace)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_trace(protocol::uuid id, Token&& token = asio::default_completion_token_t<executor_type>()) {
    return async_trace(id, trace_options{}, std::forward<Token>(token));
  }

  // A paged stream over a query: void(std::error_code, result_stream).
  // The first page is requested at once; errors surface on the first read.
  template <asio::completion_token_for<void(std::error_code, result_stream)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_stream(const statement& s, stream_options so,
                    Token&& token = asio::default_completion_token_t<executor_type>()) {
    std::error_code ec;
    auto src = detail::statement_pages(impl_, s, ec);
    return initiate_stream(std::forward<Token>(token), std::move(src), ec, std::move(so));
  }

  // A paged stream over a prepared statement; `opts` says how to execute it.
  template <asio::completion_token_for<void(std::error_code, result_stream)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_stream(const prepared_statement& p, bound_values values, const request_options& opts, stream_options so,
                    Token&& token = asio::default_completion_token_t<executor_type>()) {
    std::error_code ec;
    auto src = detail::prepared_pages(impl_, p, values.span(), opts, ec);
    return initiate_stream(std::forward<Token>(token), std::move(src), ec, std::move(so));
  }
  // The same with default request_options.
  template <asio::completion_token_for<void(std::error_code, result_stream)> Token =
                asio::default_completion_token_t<executor_type>>
  auto async_stream(const prepared_statement& p, bound_values values, stream_options so,
                    Token&& token = asio::default_completion_token_t<executor_type>()) {
    return async_stream(p, values, request_options{}, std::move(so), std::forward<Token>(token));
  }

  // Shuts down: connections closed, in-flight requests failed, live streams
  // ended with session_closed; later calls fail with session_closed.
  // Idempotent, and safe to call while other threads use the session (the
  // handle is freed by its destructor or a move assignment, which are not).
  void close();

  // Connected and not closed.
  bool valid() const noexcept;
  // Counters over the session's streams (stream_metrics.hpp); zeros on a session that never connected.
  streaming::stream_counters stream_counters() const;
  // Summed over every host's pool.
  transport::pool_stats pool_stats() const;
  // Every host of the current snapshot: where it is, whether it is up, and
  // what it was sent. Empty on a session that is not connected.
  std::vector<host_metrics> hosts() const;
  // Every request so far: counts, failures by kind, retries, speculative
  // executions, the latency histogram's percentiles (metrics.hpp). Still
  // readable after close(); zeros on a session that never connected.
  session_metrics metrics() const;
  // What the control connection has seen (events, refreshes, reconnects).
  cluster_events events() const;
  // The cluster as last published — hosts, tokens, keyspaces and their
  // replication — immutable and kept alive by the pointer; null on a session
  // that is not connected. A later change publishes a new snapshot.
  std::shared_ptr<const routing::cluster_snapshot> cluster_snapshot() const;
  // The protocol version the first connection negotiated (4 or 5), pinned for
  // the session's life; 0 on a session that never connected.
  std::uint8_t protocol_version() const;
  // The registry outlives the session, so counters stay readable after close().
  std::shared_ptr<const streaming::stream_registry> stream_registry() const;

 private:
  friend class detail::session_impl;
  static void start_connect(asio::any_io_executor ex, session_options o, detail::completion<session> done);

  template <class Token>
  auto initiate_request(Token&& token, detail::request_ptr req, std::error_code ec) {
    return asio::async_initiate<Token, void(std::error_code, query_result)>(
        [impl = impl_](auto handler, detail::request_ptr req, std::error_code ec) {
          auto ex = detail::executor_of(impl);
          detail::submit(impl, std::move(req), ec, detail::completion<query_result>(std::move(handler), ex));
        },
        token, std::move(req), ec);
  }

  template <class Token>
  auto initiate_stream(Token&& token, std::shared_ptr<streaming::page_source> src, std::error_code ec,
                       stream_options so) {
    return asio::async_initiate<Token, void(std::error_code, result_stream)>(
        [impl = impl_](auto handler, std::shared_ptr<streaming::page_source> src, std::error_code ec,
                       stream_options so) {
          auto ex = detail::executor_of(impl);
          detail::open_stream(impl, std::move(src), ec, std::move(so),
                              detail::completion<result_stream>(std::move(handler), ex));
        },
        token, std::move(src), ec, std::move(so));
  }

  detail::impl_ptr impl_;
  std::string error_detail_;  // why async_connect failed
};

// What async_connect throws through use_future and use_awaitable: the code
// and the words of session::error_detail() (also in what()).
class connect_error : public std::system_error {
 public:
  // `ec` with `detail` as the words (what() includes them).
  connect_error(std::error_code ec, const std::string& detail) : std::system_error(ec, detail), detail_(detail) {}
  // session::error_detail() of the failed session.
  const std::string& detail() const noexcept { return detail_; }

 private:
  std::string detail_;
};

}  // namespace cqlpp

// Futures and coroutines get a failed connect as a connect_error: Asio's own
// adapters would throw a bare system_error and drop the words.
namespace asio {

template <class Allocator>
class async_result<use_future_t<Allocator>, void(std::error_code, cqlpp::session)> {
 public:
  using return_type = std::future<cqlpp::session>;
  template <class Initiation, class RawToken, class... Args>
  static return_type initiate(Initiation&& init, RawToken&&, Args&&... args) {
    auto p = std::make_shared<std::promise<cqlpp::session>>();
    auto f = p->get_future();
    std::move(init)(
        [p](std::error_code ec, cqlpp::session s) {
          if (ec) p->set_exception(std::make_exception_ptr(cqlpp::connect_error(ec, s.error_detail())));
          else p->set_value(std::move(s));
        },
        std::forward<Args>(args)...);
    return f;
  }
};

template <class Executor>
class async_result<use_awaitable_t<Executor>, void(std::error_code, cqlpp::session)> {
 public:
  using return_type = awaitable<cqlpp::session, Executor>;
  template <class Initiation, class... Args>
  static return_type initiate(Initiation init, use_awaitable_t<Executor>, Args... args) {
    auto token = experimental::as_tuple(use_awaitable_t<Executor>{});
    auto [ec, s] = co_await async_initiate<decltype(token), void(std::error_code, cqlpp::session)>(
        std::move(init), token, std::move(args)...);
    if (ec) throw cqlpp::connect_error(ec, s.error_detail());
    co_return std::move(s);
  }
};

}  // namespace asio
