// byte_stream: a TCP socket, optionally with TLS stacked on it, behind one
// read/write interface so the connection code does not care which.
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <memory>
#include <optional>

#include "cqlpp/transport/executor.hpp"

namespace cqlpp::transport {

// The connection's socket: plain TCP, or TLS once enable_tls() ran. Not
// thread-safe: used on the connection's strand.
class byte_stream {
 public:
  using tcp = asio::ip::tcp;  // the protocol
  // On the connection's strand, named concretely (see executor.hpp).
  using socket_type = asio::basic_stream_socket<tcp, strand_type>;
  using tls_stream = asio::ssl::stream<socket_type>;  // TLS over socket_type

  // An unconnected plain TCP socket on `ex`.
  explicit byte_stream(const strand_type& ex) : tcp_(std::in_place, ex) {}

  // Moves the connected socket under a TLS stream (before the TLS handshake).
  void enable_tls(asio::ssl::context& ctx) {
    tls_.emplace(std::move(*tcp_), ctx);
    tcp_.reset();
  }

  // enable_tls() ran.
  bool is_tls() const noexcept { return tls_.has_value(); }
  // The TLS stream; only when is_tls().
  tls_stream& tls() { return *tls_; }
  // The TCP socket, under TLS or not.
  socket_type& socket() { return tls_ ? tls_->next_layer() : *tcp_; }

  // Reads what is available (decrypted under TLS); h(error_code, std::size_t).
  template <class Buffers, class Handler>
  void async_read_some(const Buffers& b, Handler&& h) {
    if (tls_) tls_->async_read_some(b, std::forward<Handler>(h));
    else tcp_->async_read_some(b, std::forward<Handler>(h));
  }

  // Writes all of `b` (asio::async_write; encrypted under TLS); h(error_code, std::size_t).
  template <class Buffers, class Handler>
  void async_write(const Buffers& b, Handler&& h) {
    if (tls_) asio::async_write(*tls_, b, std::forward<Handler>(h));
    else asio::async_write(*tcp_, b, std::forward<Handler>(h));
  }

  // Closes the socket: pending operations complete with operation_aborted.
  void close() noexcept {
    std::error_code ignored;
    socket().shutdown(tcp::socket::shutdown_both, ignored);
    socket().close(ignored);
  }

 private:
  std::optional<socket_type> tcp_;
  std::optional<tls_stream> tls_;
};

}  // namespace cqlpp::transport
