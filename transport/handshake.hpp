// async_connect: a ready-to-use connection to one node.
//
// TCP connect (and TLS), then OPTIONS -> SUPPORTED, STARTUP -> READY or
// AUTHENTICATE -> the SASL exchange (v4 §4.1.1, §4.2.3). Protocol versions are
// tried from options.max_version down to min_version, each on a fresh
// connection, stepping down when the server refuses one (ERROR protocol error,
// or a close before answering). A v5 connection switches to segment framing
// right after READY/AUTHENTICATE, as v5 §2.3 says. lz4 is used when asked for
// and offered.
//
// Completes with void(std::error_code, std::shared_ptr<connection>). On
// failure the connection (if one was made) is returned closed, and its
// failure_detail() says why in words. Errors: asio's connect errors,
// errc::connect_timeout, tls_failed, unsupported_version, auth_required,
// auth_failed, protocol_violation, unexpected_response, or the server's code.
#pragma once

#include <asio.hpp>
#include <functional>
#include <memory>
#include <utility>

#include "cqlpp/transport/connection.hpp"
#include "cqlpp/transport/options.hpp"

namespace cqlpp::transport {

// Told of every connection an attempt creates, before it opens, so that an
// owner shutting down can abort() it and end the attempt at once.
using connect_observer = std::function<void(const std::shared_ptr<connection>&)>;

namespace detail {
using connect_outcome = std::pair<std::error_code, std::shared_ptr<connection>>;
asio::awaitable<connect_outcome> run_connect(asio::any_io_executor ex, connection_options opts,
                                             std::shared_ptr<asio::ssl::context> tls_ctx,
                                             connect_observer observe);
}  // namespace detail

// Connects to opts.host:opts.port as described above; `observe` sees each
// connection made on the way. `tls_ctx` null: each attempt builds one from opts.tls.
template <class Token>
auto async_connect(asio::any_io_executor ex, connection_options opts,
                   std::shared_ptr<asio::ssl::context> tls_ctx, connect_observer observe, Token&& token) {
  return asio::async_initiate<Token, void(std::error_code, std::shared_ptr<connection>)>(
      [](auto handler, asio::any_io_executor ex, connection_options opts,
         std::shared_ptr<asio::ssl::context> tls_ctx, connect_observer observe) {
        auto hex = asio::get_associated_executor(handler, ex);
        asio::co_spawn(ex, detail::run_connect(ex, std::move(opts), std::move(tls_ctx), std::move(observe)),
            [h = std::move(handler), hex](std::exception_ptr e, detail::connect_outcome r) mutable {
              // run_connect does not throw; an exception here is bad_alloc.
              if (e) r.first = std::make_error_code(std::errc::not_enough_memory);
              asio::dispatch(hex, [h = std::move(h), r = std::move(r)]() mutable {
                std::move(h)(r.first, std::move(r.second));
              });
            });
      },
      token, std::move(ex), std::move(opts), std::move(tls_ctx), std::move(observe));
}

// The same, without an observer.
template <class Token>
auto async_connect(asio::any_io_executor ex, connection_options opts,
                   std::shared_ptr<asio::ssl::context> tls_ctx, Token&& token) {
  return async_connect(std::move(ex), std::move(opts), std::move(tls_ctx), connect_observer{},
                       std::forward<Token>(token));
}

}  // namespace cqlpp::transport
