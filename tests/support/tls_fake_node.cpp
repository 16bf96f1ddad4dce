#include "tests/support/tls_fake_node.hpp"

#include <array>
#include <memory>

namespace cqlpp::test {

using asio::ip::tcp;

// One client: the TLS side (front) and a plain connection to the inner node
// (back), relayed both ways until either side closes.
struct tls_fake_node::session : std::enable_shared_from_this<tls_fake_node::session> {
  session(tcp::socket s, tls_fake_node& n) : front(std::move(s), n.ctx_), back(front.get_executor()), node(n) {}

  asio::ssl::stream<tcp::socket> front;
  tcp::socket back;
  tls_fake_node& node;
  std::array<char, 16 * 1024> up{}, down{};

  void start() {
    front.async_handshake(asio::ssl::stream_base::server, [self = shared_from_this()](std::error_code ec) {
      if (ec) {
        self->node.note_failure(ec);
        return self->stop();
      }
      self->node.ok_.fetch_add(1);
      const tcp::endpoint inner(asio::ip::make_address("127.0.0.1"), self->node.inner_.port());
      self->back.async_connect(inner, [self](std::error_code ec2) {
        if (ec2) return self->stop();
        self->relay(self->front, self->back, self->up);
        self->relay(self->back, self->front, self->down);
      });
    });
  }

  // Copies from -> to until either fails; one instance per direction.
  template <class From, class To>
  void relay(From& from, To& to, std::array<char, 16 * 1024>& buf) {
    from.async_read_some(asio::buffer(buf), [self = shared_from_this(), &from, &to, &buf](std::error_code ec, std::size_t n) {
      if (ec) return self->stop();
      asio::async_write(to, asio::buffer(buf.data(), n), [self, &from, &to, &buf](std::error_code ec2, std::size_t) {
        if (ec2) return self->stop();
        self->relay(from, to, buf);
      });
    });
  }

  void stop() {
    std::error_code ig;
    front.next_layer().close(ig);
    back.close(ig);
  }
};

tls_fake_node::tls_fake_node(const tls_node_options& o)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  ctx_.use_certificate_chain_file(o.cert_file);
  ctx_.use_private_key_file(o.key_file, asio::ssl::context::pem);
  if (!o.client_ca_file.empty()) {
    ctx_.load_verify_file(o.client_ca_file);
    ctx_.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
  }
  if (o.tls12_only) SSL_CTX_set_max_proto_version(ctx_.native_handle(), TLS1_2_VERSION);
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

tls_fake_node::~tls_fake_node() {
  io_.stop();
  thread_.join();
}

std::string tls_fake_node::last_handshake_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

void tls_fake_node::note_failure(const std::error_code& ec) {
  failed_.fetch_add(1);
  std::lock_guard lock(mu_);
  last_error_ = ec.message();
}

void tls_fake_node::accept() {
  acceptor_.async_accept([this](std::error_code ec, tcp::socket s) {
    if (ec) return;
    std::make_shared<session>(std::move(s), *this)->start();
    accept();
  });
}

}  // namespace cqlpp::test
