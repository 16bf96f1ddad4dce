#include "tests/support/fake_node.hpp"

#include <vector>

#include "protocol/frame.hpp"
#include "protocol/writer.hpp"

namespace cqlpp::test {

namespace proto = cqlpp::protocol;
using asio::ip::tcp;

struct fake_node::session : std::enable_shared_from_this<fake_node::session> {
  session(tcp::socket s, fake_node& n) : sock(std::move(s)), node(n), timer(sock.get_executor()) {}

  tcp::socket sock;
  fake_node& node;
  asio::steady_timer timer;
  std::vector<std::byte> rx = std::vector<std::byte>(64 * 1024);
  std::size_t used = 0;
  bool ready = false;

  void read() {
    if (rx.size() - used < 4096) rx.resize(rx.size() * 2);
    sock.async_read_some(asio::buffer(rx.data() + used, rx.size() - used),
                         [self = shared_from_this()](std::error_code ec, std::size_t n) {
                           if (ec) return;
                           self->used += n;
                           self->drain();
                         });
  }

  void drain() {
    std::size_t pos = 0;
    for (;;) {
      auto r = proto::decode_frame(proto::bytes_view(rx.data() + pos, used - pos));
      auto* f = std::get_if<proto::frame_view>(&r);
      if (!f) {
        if (std::holds_alternative<proto::decode_error>(r)) return sock.close();
        break;
      }
      pos += f->size();
      node.requests_.fetch_add(1);
      respond(f->header);
    }
    std::copy(rx.begin() + static_cast<std::ptrdiff_t>(pos), rx.begin() + static_cast<std::ptrdiff_t>(used), rx.begin());
    used -= pos;
    read();
  }

  static std::vector<std::byte> frame(const proto::frame_header& req, proto::opcode op,
                                      const std::vector<std::byte>& body) {
    proto::frame_header h{req.version, true, 0, req.stream, op, static_cast<std::uint32_t>(body.size())};
    auto hdr = proto::encode_frame_header(h);
    std::vector<std::byte> out(hdr.begin(), hdr.end());
    out.insert(out.end(), body.begin(), body.end());
    return out;
  }

  void respond(const proto::frame_header& req) {
    std::vector<std::byte> body;
    proto::writer w(body);
    proto::opcode op = proto::opcode::result;
    switch (req.op) {
      case proto::opcode::options:
        op = proto::opcode::supported;
        w.string_multimap({{"CQL_VERSION", {"3.4.7"}}, {"COMPRESSION", {"lz4"}}, {"PROTOCOL_VERSIONS", {"4/v4"}}});
        break;
      case proto::opcode::startup:
        op = proto::opcode::ready;
        ready = true;
        break;
      default:
        w.i32(1);  // RESULT Void
        break;
    }
    auto out = std::make_shared<std::vector<std::byte>>(frame(req, op, body));
    const bool misbehave = ready && req.op != proto::opcode::startup && node.mode_ != misbehaviour::none;
    if (misbehave) {
      switch (node.mode_) {
        case misbehaviour::truncate_frame:
          out->resize(out->size() / 2 + 1);
          return write(out, true);
        case misbehaviour::wrong_stream_id: {
          const auto wrong = static_cast<std::int16_t>(req.stream ^ 0x4000);
          (*out)[2] = static_cast<std::byte>(static_cast<std::uint16_t>(wrong) >> 8);
          (*out)[3] = static_cast<std::byte>(wrong);
          return write(out, false);
        }
        case misbehaviour::oversized_length:
          (*out)[5] = std::byte{0x40};
          return write(out, false);
        case misbehaviour::garbage:
          for (auto& b : *out) b = std::byte{0xEE};
          return write(out, false);
        case misbehaviour::stall_mid_frame:
          out->resize(frame_header_size_plus_some());
          return write(out, false);
        case misbehaviour::close_mid_response:
          out->resize(5);
          return write(out, true);
        case misbehaviour::black_hole:
          return;
        case misbehaviour::none:
          break;
      }
    }
    if (node.delay_.count() > 0) {
      auto t = std::make_shared<asio::steady_timer>(sock.get_executor(), node.delay_);
      t->async_wait([self = shared_from_this(), t, out](std::error_code) { self->write(out, false); });
      return;
    }
    write(out, false);
  }

  static std::size_t frame_header_size_plus_some() { return proto::frame_header_size + 2; }

  void write(std::shared_ptr<std::vector<std::byte>> out, bool close_after) {
    asio::async_write(sock, asio::buffer(*out), [self = shared_from_this(), out, close_after](std::error_code, std::size_t) {
      if (close_after) {
        std::error_code ig;
        self->sock.shutdown(tcp::socket::shutdown_both, ig);
        self->sock.close(ig);
      }
    });
  }
};

fake_node::fake_node(misbehaviour m, std::chrono::milliseconds delay)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), mode_(m), delay_(delay) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

fake_node::~fake_node() {
  io_.stop();
  thread_.join();
}

void fake_node::accept() {
  acceptor_.async_accept([this](std::error_code ec, tcp::socket s) {
    if (ec) return;
    accepted_.fetch_add(1);
    std::make_shared<session>(std::move(s), *this)->read();
    accept();
  });
}

}  // namespace cqlpp::test
