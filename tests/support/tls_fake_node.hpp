// tls_fake_node: the fake node behind TLS. It terminates TLS on 127.0.0.1 (an
// ephemeral port) and relays the plaintext to its own well-behaved fake_node,
// so the CQL responder logic lives in one place. Optionally requires a client
// certificate signed by a given CA. Runs on its own thread; stops in its
// destructor.
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "tests/support/fake_node.hpp"

namespace cqlpp::test {

struct tls_node_options {
  std::string cert_file, key_file;  // the server's certificate and key (PEM)
  std::string client_ca_file;       // non-empty: require a client certificate signed by it
  bool tls12_only = false;          // refuse TLS 1.3
};

class tls_fake_node {
 public:
  explicit tls_fake_node(const tls_node_options& o);  // throws on bad files (test setup)
  ~tls_fake_node();
  tls_fake_node(const tls_fake_node&) = delete;
  tls_fake_node& operator=(const tls_fake_node&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::uint64_t handshakes_ok() const noexcept { return ok_.load(); }
  std::uint64_t handshakes_failed() const noexcept { return failed_.load(); }
  std::string last_handshake_error() const;

  struct session;

 private:
  void accept();
  void note_failure(const std::error_code& ec);

  fake_node inner_;
  asio::io_context io_;
  asio::ssl::context ctx_{asio::ssl::context::tls_server};
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::atomic<std::uint64_t> ok_{0}, failed_{0};
  mutable std::mutex mu_;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace cqlpp::test
