// session: the public async API. Today it talks to one node through a
// transport::host_pool; cluster discovery, routing and retries slot in under
// the same calls later.
//
// Every call takes an Asio completion token — a callback, asio::use_future,
// asio::use_awaitable — and honours the handler's cancellation slot.
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
#include <future>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "protocol/value.hpp"
#include "session/query_result.hpp"
#include "session/statement.hpp"
#include "streaming/result_stream.hpp"
#include "transport/continuation.hpp"
#include "transport/message_io.hpp"
#include "transport/pool.hpp"

namespace cqlpp {

struct session_options {
  transport::connection_options connection;  // host, port, TLS, credentials, timeouts, lz4
  transport::pool_options pool;              // connections per host, reconnection
};

using streaming::result_stream;
using streaming::stream_options;

namespace detail {

// A request message and the bytes its value views point into. Move-only in
// effect: the views stay valid as long as `storage` lives.
struct bound_request {
  protocol::request msg;
  std::shared_ptr<std::vector<std::vector<std::byte>>> storage;
  std::shared_ptr<const protocol::rows_metadata> types;  // set when rows come without metadata
};

bound_request make_query(const statement& s, protocol::protocol_version v);

class session_impl : public std::enable_shared_from_this<session_impl> {
 public:
  session_impl(asio::any_io_executor ex, session_options o);
  ~session_impl();

  protocol::protocol_version version() const;
  void close();
  bool closed() const noexcept { return closed_.load(); }

  // Sends one message and decodes the answer into a query_result; a server
  // ERROR becomes the error code (and the result keeps the message).
  template <class Handler>
  void send(const protocol::request& m, Handler h,
            std::shared_ptr<const protocol::rows_metadata> types = nullptr) {
    auto hex = asio::get_associated_executor(h, ex_);
    transport::request req;
    std::error_code ec = closed() ? std::error_code(streaming::errc::session_closed)
                                  : transport::make_request(m, version(), req);
    if (ec) {
      asio::post(hex, [h = std::move(h), ec]() mutable { std::move(h)(ec, query_result{}); });
      return;
    }
    // The handler keeps its executor, allocator and cancellation slot
    // through the decoding step.
    pool_->async_request(std::move(req), transport::continue_with(std::move(h),
        [v = version(), types = std::move(types)](auto h, std::error_code ec, transport::response r) mutable {
          if (ec) return std::move(h)(ec, query_result{});
          query_result res;
          ec = decode_result(std::move(r), v, res, std::move(types));
          std::move(h)(ec, std::move(res));
        }));
  }

  static std::error_code decode_result(transport::response r, protocol::protocol_version v, query_result& out,
                                       std::shared_ptr<const protocol::rows_metadata> types = nullptr);
  std::error_code make_execute(const prepared_statement& p, const std::vector<protocol::cql_value>& values,
                               const statement& opts, bound_request& out) const;
  std::shared_ptr<streaming::page_source> page_source_for(bound_request m, std::int32_t page_size);

  asio::any_io_executor ex_;
  session_options opts_;
  std::shared_ptr<asio::ssl::context> tls_;
  std::shared_ptr<transport::host_pool> pool_;
  std::shared_ptr<streaming::stream_registry> streams_ = std::make_shared<streaming::stream_registry>();
  std::atomic<bool> closed_{false};
};

}  // namespace detail

class session {
 public:
  session() = default;
  session(session&&) noexcept = default;
  session& operator=(session&& o) noexcept {
    if (this != &o) {
      close();
      impl_ = std::move(o.impl_);
      error_detail_ = std::move(o.error_detail_);
    }
    return *this;
  }
  ~session() { close(); }

  // Connects to options.connection.host; completes void(std::error_code, session)
  // once the first connection is ready. On failure the session in the
  // completion is not valid() and its error_detail() says why in words (the
  // server's message, a TLS verify error). With asio::use_future and
  // asio::use_awaitable the failure is thrown as a connect_error, which
  // carries the same words. Cancellation (the handler's slot) closes every
  // connection opened or being opened and completes with operation_aborted.
  template <class Token>
  static auto async_connect(asio::any_io_executor ex, session_options o, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, session)>(
        [](auto handler, asio::any_io_executor ex, session_options o) {
          auto impl = std::make_shared<detail::session_impl>(ex, std::move(o));
          // Cancelling the connect closes what it opened so far.
          auto aborted = std::make_shared<std::atomic<bool>>(false);
          auto slot = asio::get_associated_cancellation_slot(handler);
          if (slot.is_connected()) {
            slot.assign([w = std::weak_ptr<detail::session_impl>(impl), aborted](asio::cancellation_type) {
              aborted->store(true);
              if (auto i = w.lock()) i->close();
            });
          }
          impl->pool_->async_start(transport::continue_with(std::move(handler),
              [impl, aborted](auto h, std::error_code ec) mutable {
                // On the handler's executor, where the slot was assigned.
                auto slot = asio::get_associated_cancellation_slot(h);
                if (slot.is_connected()) slot.clear();
                if (aborted->load()) ec = asio::error::operation_aborted;
                session s;
                if (!ec) {
                  s.impl_ = impl;
                } else {
                  s.error_detail_ = impl->pool_->last_error_detail();
                  if (s.error_detail_.empty()) s.error_detail_ = ec.message();
                  impl->close();
                }
                std::move(h)(ec, std::move(s));
              }));
        },
        token, std::move(ex), std::move(o));
  }
  // On a session from a failed async_connect: why it failed, in words.
  // Empty on a connected session.
  const std::string& error_detail() const noexcept { return error_detail_; }

  // QUERY: void(std::error_code, query_result).
  template <class Token>
  auto async_query(statement s, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, query_result)>(
        [impl = impl_](auto handler, statement s) {
          if (!impl) return fail(std::move(handler), query_result{});
          impl->send(detail::make_query(s, impl->version()).msg, std::move(handler));
        },
        token, std::move(s));
  }

  // PREPARE: void(std::error_code, prepared_statement).
  template <class Token>
  auto async_prepare(std::string cql, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, prepared_statement)>(
        [impl = impl_](auto handler, std::string cql) {
          if (!impl) return fail(std::move(handler), prepared_statement{});
          protocol::prepare_request m;
          m.query = cql;
          impl->send(m, transport::continue_with(std::move(handler),
              [cql](auto h, std::error_code ec, query_result r) mutable {
            prepared_statement p;
            p.cql = std::move(cql);
            if (!ec) {
              auto* pr = std::get_if<protocol::prepared_result>(r.message());
              if (!pr) ec = transport::errc::unexpected_response;
              else {
                p.id = pr->id;
                p.result_metadata_id = pr->result_metadata_id;
                p.variables = pr->variables;
                p.result_metadata = pr->result_metadata;
                if (!p.result_metadata.columns.empty())
                  p.result_types = std::make_shared<const protocol::rows_metadata>(p.result_metadata);
              }
            }
            std::move(h)(ec, std::move(p));
          }));
        },
        token, std::move(cql));
  }

  // EXECUTE with values typed by the statement's bind markers:
  // void(std::error_code, query_result). `opts` supplies consistency and page size.
  template <class Token>
  auto async_execute(const prepared_statement& p, std::vector<protocol::cql_value> values, Token&& token,
                     statement opts = {}) {
    // Bound now, so nothing refers to `p` or `values` once this returns.
    detail::bound_request m;
    std::error_code bind_ec = impl_ ? impl_->make_execute(p, values, opts, m) : std::error_code{};
    return asio::async_initiate<Token, void(std::error_code, query_result)>(
        [impl = impl_](auto handler, detail::bound_request m, std::error_code bind_ec) {
          if (!impl) return fail(std::move(handler), query_result{});
          if (bind_ec) {
            auto hex = asio::get_associated_executor(handler, impl->ex_);
            return asio::post(hex, [h = std::move(handler), bind_ec]() mutable { std::move(h)(bind_ec, query_result{}); });
          }
          impl->send(m.msg, std::move(handler), m.types);  // encoded before m's storage goes
        },
        token, std::move(m), bind_ec);
  }

  // A paged stream over a query: void(std::error_code, result_stream).
  // The first page is requested at once; errors surface on the first read.
  template <class Token>
  auto async_stream(statement s, stream_options so, Token&& token) {
    return asio::async_initiate<Token, void(std::error_code, result_stream)>(
        [impl = impl_](auto handler, statement s, stream_options so) {
          if (!impl) return fail(std::move(handler), result_stream{});
          auto src = impl->page_source_for(detail::make_query(s, impl->version()), s.page_size);
          start_stream(impl, std::move(src), std::move(so), std::move(handler));
        },
        token, std::move(s), std::move(so));
  }

  // A paged stream over a prepared statement.
  template <class Token>
  auto async_stream(const prepared_statement& p, std::vector<protocol::cql_value> values, stream_options so,
                    Token&& token, statement opts = {}) {
    detail::bound_request m;
    std::error_code bind_ec = impl_ ? impl_->make_execute(p, values, opts, m) : std::error_code{};
    return asio::async_initiate<Token, void(std::error_code, result_stream)>(
        [impl = impl_, page_size = opts.page_size](auto handler, detail::bound_request m, std::error_code bind_ec,
                                                   stream_options so) {
          if (!impl) return fail(std::move(handler), result_stream{});
          if (bind_ec) {
            auto hex = asio::get_associated_executor(handler, impl->ex_);
            return asio::post(hex, [h = std::move(handler), bind_ec]() mutable { std::move(h)(bind_ec, result_stream{}); });
          }
          start_stream(impl, impl->page_source_for(std::move(m), page_size), std::move(so), std::move(handler));
        },
        token, std::move(m), bind_ec, std::move(so));
  }

  // Shuts down: connections closed, in-flight requests failed, live streams
  // ended with session_closed; later calls fail with session_closed.
  // Idempotent, and safe to call while other threads use the session (the
  // handle is freed by its destructor or a move assignment, which are not).
  void close() {
    if (impl_) impl_->close();
  }

  bool valid() const noexcept { return impl_ != nullptr && !impl_->closed(); }
  streaming::stream_counters stream_counters() const {
    return impl_ ? impl_->streams_->snapshot() : streaming::stream_counters{};
  }
  transport::pool_stats pool_stats() const { return impl_ ? impl_->pool_->stats() : transport::pool_stats{}; }
  std::uint8_t protocol_version() const { return impl_ ? static_cast<std::uint8_t>(impl_->version()) : 0; }
  // The registry outlives the session, so counters stay readable after close().
  std::shared_ptr<const streaming::stream_registry> stream_registry() const {
    return impl_ ? impl_->streams_ : nullptr;
  }

 private:
  template <class Handler, class Value>
  static void fail(Handler h, Value v) {
    auto ex = asio::get_associated_executor(h, asio::system_executor());
    asio::post(ex, [h = std::move(h), v = std::move(v)]() mutable {
      std::move(h)(std::error_code(streaming::errc::session_closed), std::move(v));
    });
  }

  template <class Handler>
  static void start_stream(const std::shared_ptr<detail::session_impl>& impl,
                           std::shared_ptr<streaming::page_source> src, stream_options so, Handler h) {
    auto core = std::make_shared<streaming::stream_core>(std::move(src), impl->streams_, impl->ex_, std::move(so));
    impl->streams_->add(core);
    asio::post(core->strand(), [core] { core->start(); });
    auto hex = asio::get_associated_executor(h, impl->ex_);
    asio::post(hex, [h = std::move(h), core = std::move(core)]() mutable {
      std::move(h)(std::error_code{}, result_stream(std::move(core)));
    });
  }

  std::shared_ptr<detail::session_impl> impl_;
  std::string error_detail_;  // why async_connect failed
};

// What async_connect throws through use_future and use_awaitable: the code
// and the words of session::error_detail() (also in what()).
class connect_error : public std::system_error {
 public:
  connect_error(std::error_code ec, const std::string& detail) : std::system_error(ec, detail), detail_(detail) {}
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
