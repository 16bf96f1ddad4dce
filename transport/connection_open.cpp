// connection::start_open: resolve, TCP connect (with the connect timeout),
// then TLS when configured. Kept apart from the request path in
// connection.cpp: it runs once per connection.
#include "cqlpp/transport/connection.hpp"

#include "cqlpp/transport/tls_context.hpp"

namespace cqlpp::transport {

void connection::start_open(std::function<void(std::error_code)> done) {
  asio::post(strand_, [self = shared_from_this(), done = std::move(done)]() mutable {
    auto resolver = std::make_shared<asio::ip::basic_resolver<asio::ip::tcp, strand_type>>(self->strand_);
    auto timer = std::make_shared<steady_timer>(self->strand_, self->opts_.connect_timeout);
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
        self->start_read();
      } else {
        self->close_reason_ = ec;
        self->stream_.close();
      }
      done(ec);
    };
    resolver->async_resolve(
        self->opts_.host, std::to_string(self->opts_.port),
        [self, resolver, finish](std::error_code ec, asio::ip::basic_resolver<asio::ip::tcp, strand_type>::results_type results) {
          if (ec || self->closed_by_owner_) return finish(ec);
          asio::async_connect(
              self->stream_.socket(), results,
              [self, finish](std::error_code ec, const asio::ip::tcp::endpoint&) {
                if (ec) return finish(ec);
                std::error_code ignored;
                self->stream_.socket().set_option(asio::ip::tcp::no_delay(true), ignored);
                if (!self->opts_.tls.enabled) {
                  // Plain TCP is written directly (flush): a write that would
                  // block says so instead.
                  self->stream_.socket().non_blocking(true, ignored);
                  return finish({});
                }
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

}  // namespace cqlpp::transport
