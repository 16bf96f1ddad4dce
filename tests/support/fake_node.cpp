#include "tests/support/fake_node.hpp"

#include <charconv>
#include <deque>
#include <future>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cqlpp/protocol/frame.hpp"
#include "cqlpp/protocol/frame_assembler.hpp"
#include "cqlpp/protocol/message.hpp"
#include "cqlpp/protocol/segment.hpp"
#include "cqlpp/protocol/segment_encoder.hpp"
#include "cqlpp/protocol/writer.hpp"
#include "tests/support/test_rows.hpp"

namespace cqlpp::test {

namespace proto = cqlpp::protocol;
using asio::ip::tcp;

namespace {

// A parsed script (see fake_node.hpp).
struct script {
  enum kind { void_result, rows, error, hang } what = void_result;
  int sleep_ms = 0;
  std::int32_t rows_total = 0;
  std::optional<std::int32_t> fail_at;
  std::int32_t error_code = 0;
  std::string error_text;
};

std::int32_t parse_int(const std::string& s) {
  std::int32_t v = 0;
  const int base = s.rfind("0x", 0) == 0 ? 16 : 10;
  const char* b = s.data() + (base == 16 ? 2 : 0);
  std::from_chars(b, s.data() + s.size(), v, base);
  return v;
}

script parse(const std::string& text) {
  script sc;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    if (word == "SLEEP") {
      std::string ms;
      in >> ms;
      sc.sleep_ms += parse_int(ms);
      continue;
    }
    if (word == "HANG") {
      sc.what = script::hang;
    } else if (word == "ROWS") {
      std::string n;
      in >> n;
      sc.what = script::rows;
      sc.rows_total = parse_int(n);
      std::string opt;
      if (in >> opt && opt == "FAIL_AT") {
        std::string r;
        in >> r;
        sc.fail_at = parse_int(r);
      }
    } else if (word == "ERROR") {
      std::string code;
      in >> code;
      sc.what = script::error;
      sc.error_code = parse_int(code);
      std::getline(in, sc.error_text);
      if (!sc.error_text.empty() && sc.error_text.front() == ' ') sc.error_text.erase(0, 1);
    }
    break;
  }
  return sc;
}

proto::rows_metadata rows_columns() { return test_rows_metadata("fake"); }

}  // namespace

struct fake_node::session : std::enable_shared_from_this<fake_node::session> {
  session(tcp::socket s, fake_node& n) : sock(std::move(s)), node(n) {}

  tcp::socket sock;
  fake_node& node;
  std::vector<std::byte> rx = std::vector<std::byte>(64 * 1024);
  std::size_t used = 0;
  bool ready = false;
  // v5, after READY: segments both ways.
  std::optional<proto::segment_decoder> seg_in;
  std::optional<proto::frame_assembler> assembler;
  std::optional<proto::segment_encoder> seg_out;

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
    while (sock.is_open()) {
      const proto::bytes_view in(rx.data() + pos, used - pos);
      if (seg_in) {
        auto r = seg_in->decode(in);
        auto* sg = std::get_if<proto::segment>(&r);
        if (!sg) {
          if (std::holds_alternative<proto::decode_error>(r)) return close();
          break;
        }
        pos += sg->size;
        auto frames = assembler->push(*sg);
        if (!frames) return close();
        for (const auto& f : *frames) handle(f);
        continue;
      }
      auto r = proto::decode_frame(in);
      auto* f = std::get_if<proto::frame_view>(&r);
      if (!f) {
        if (std::holds_alternative<proto::decode_error>(r)) return close();
        break;
      }
      pos += f->size();
      handle(*f);
    }
    if (!sock.is_open()) return;
    std::copy(rx.begin() + static_cast<std::ptrdiff_t>(pos), rx.begin() + static_cast<std::ptrdiff_t>(used), rx.begin());
    used -= pos;
    read();
  }

  void close() {
    std::error_code ig;
    sock.shutdown(tcp::socket::shutdown_both, ig);
    sock.close(ig);
  }

  std::vector<std::byte> encode(const proto::frame_header& req, const proto::response& m) {
    std::vector<std::byte> out;
    const auto v = req.version >= 5 ? proto::protocol_version::v5 : proto::protocol_version::v4;
    if (proto::encode_response(out, m, req.stream, v)) out.clear();
    // The frame's version byte answers in the request's version.
    if (!out.empty()) out[0] = static_cast<std::byte>(0x80 | req.version);
    return out;
  }

  proto::response rows_page(const script& sc, const proto::query_parameters& p, bool no_metadata,
                            std::vector<std::byte>& content) {
    const std::int32_t start = p.paging_state ? row_of_paging_state(*p.paging_state) : 0;
    if (sc.fail_at && start >= *sc.fail_at)
      return proto::error_response{0x2200, "scripted failure at row " + std::to_string(start), {}};
    const std::int32_t size = p.page_size && *p.page_size > 0 ? *p.page_size : sc.rows_total;
    const std::int32_t end = std::min(sc.rows_total, start + size);
    append_test_rows(content, start, end);
    auto md = rows_columns();
    if (no_metadata) {
      md.columns.clear();
      md.global_table.reset();
      md.no_metadata = true;
    }
    if (end < sc.rows_total) md.paging_state = row_paging_state(end);
    return proto::rows_result(std::move(md), end - start, content);
  }

  void handle(const proto::frame_view& f) {
    node.requests_.fetch_add(1);
    const auto& req = f.header;
    const std::uint8_t v = req.version;
    if (v > node.opts_.max_version || v < 4) {
      proto::error_response e{0x000A, "Invalid or unsupported protocol version (" + std::to_string(v) +
                                          "); supported versions are (4/v4" +
                                          std::string(node.opts_.max_version >= 5 ? ", 5/v5)" : ")"), {}};
      return send(req, encode(req, e), false);
    }
    const auto pv = v >= 5 ? proto::protocol_version::v5 : proto::protocol_version::v4;
    auto decoded = proto::decode_request(f, pv);
    if (req.op == proto::opcode::query || req.op == proto::opcode::execute || req.op == proto::opcode::batch)
      node.record(f);
    script sc;
    std::string text;
    const proto::query_parameters* params = nullptr;
    bool skip_metadata = false;
    std::vector<std::byte> content;
    std::optional<proto::response> answer;
    bool switch_to_segments = false;
    switch (req.op) {
      case proto::opcode::options: {
        proto::supported_response s;
        s.options = {{"CQL_VERSION", {"3.4.7"}},
                     {"COMPRESSION", {"lz4"}},
                     {"PROTOCOL_VERSIONS", {node.opts_.max_version >= 5 ? "5/v5" : "4/v4", "4/v4"}}};
        answer = s;
        break;
      }
      case proto::opcode::startup:
        answer = proto::ready_response{};
        ready = true;
        switch_to_segments = v >= 5;
        break;
      case proto::opcode::prepare:
        node.prepares_.fetch_add(1);
        if (decoded) {
          const auto& m = std::get<proto::prepare_request>(decoded->message);
          node.prepared(m.query);
          proto::prepared_result pr;
          pr.id.assign(reinterpret_cast<const std::byte*>(m.query.data()),
                       reinterpret_cast<const std::byte*>(m.query.data()) + m.query.size());
          const auto md_id = std::string("md");
          pr.result_metadata_id.assign(reinterpret_cast<const std::byte*>(md_id.data()),
                                       reinterpret_cast<const std::byte*>(md_id.data()) + md_id.size());
          pr.variables.global_table = proto::table_spec{"fake", "t"};
          for (char c : m.query)
            if (c == '?')
              pr.variables.columns.push_back({"fake", "t", "p", proto::type_spec::simple(proto::type_kind::int_)});
          sc = parse(m.query);
          if (sc.what == script::hang) return;
          if (sc.what == script::rows) pr.result_metadata = rows_columns();
          answer = pr;
        }
        break;
      case proto::opcode::query:
        if (decoded) {
          const auto& m = std::get<proto::query_request>(decoded->message);
          text = m.query;
          params = &m.params;
        }
        node.statements_.fetch_add(1);
        break;
      case proto::opcode::execute:
        if (decoded) {
          const auto& m = std::get<proto::execute_request>(decoded->message);
          text.assign(reinterpret_cast<const char*>(m.id.data()), m.id.size());
          params = &m.params;
          skip_metadata = m.params.skip_metadata;
          if (node.forgotten(m.id)) answer = unprepared(m.id);
        }
        node.statements_.fetch_add(1);
        break;
      case proto::opcode::batch:
        if (decoded) {
          answer = proto::void_result{};
          for (const auto& st : std::get<proto::batch_request>(decoded->message).statements)
            if (st.prepared && node.forgotten(st.id)) {
              answer = unprepared(st.id);
              break;
            }
        }
        node.statements_.fetch_add(1);
        break;
      default:
        break;
    }
    if (!answer) {
      sc = parse(text);
      switch (sc.what) {
        case script::hang:
          return;
        case script::error:
          answer = proto::error_response{sc.error_code, sc.error_text, {}};
          break;
        case script::rows: {
          static const proto::query_parameters none;
          answer = rows_page(sc, params ? *params : none, skip_metadata, content);
          break;
        }
        case script::void_result:
          answer = proto::void_result{};
          break;
      }
    }
    auto out = encode(req, *answer);
    if (req.op == proto::opcode::startup && node.opts_.mode == misbehaviour::close_after_ready)
      return send(req, std::move(out), true);
    if (switch_to_segments) {
      // READY leaves as a plain frame; everything after it is in segments.
      send(req, std::move(out), false);
      seg_in.emplace(proto::segment_compression::none);
      seg_out.emplace(proto::segment_compression::none);
      assembler.emplace();
      return;
    }
    const bool misbehave = ready && req.op != proto::opcode::startup &&
                           node.opts_.mode != misbehaviour::none && !seg_out;
    if (misbehave) return misbehave_with(std::move(out), req);
    const auto wait = node.opts_.delay + std::chrono::milliseconds(sc.sleep_ms);
    if (wait.count() > 0) {
      auto t = std::make_shared<asio::steady_timer>(sock.get_executor(), wait);
      t->async_wait([self = shared_from_this(), t, req, out = std::move(out)](std::error_code) mutable {
        self->send(req, std::move(out), false);
      });
      return;
    }
    send(req, std::move(out), false);
  }

  static proto::response unprepared(const std::vector<std::byte>& id) {
    return proto::error_response{0x2500, "Prepared query with ID not found", proto::unprepared_details{id}};
  }

  void misbehave_with(std::vector<std::byte> bytes, const proto::frame_header& req) {
    auto out = std::make_shared<std::vector<std::byte>>(std::move(bytes));
    switch (node.opts_.mode) {
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
        out->resize(proto::frame_header_size + 2);
        return write(out, false);
      case misbehaviour::close_mid_response:
        out->resize(5);
        return write(out, true);
      case misbehaviour::black_hole:
      case misbehaviour::close_after_ready:
      case misbehaviour::none:
        return;
    }
  }

  void send(const proto::frame_header&, std::vector<std::byte> frame, bool close_after) {
    if (frame.empty()) return;
    auto out = std::make_shared<std::vector<std::byte>>();
    if (seg_out) {
      seg_out->add(frame, *out);
      seg_out->flush(*out);
    } else {
      *out = std::move(frame);
    }
    write(out, close_after);
  }

  void write(std::shared_ptr<std::vector<std::byte>> out, bool close_after) {
    // Strictly one write at a time, in order: async_write is composed.
    queue.push_back(std::move(out));
    closing |= close_after;
    if (queue.size() == 1) write_next();
  }

  void write_next() {
    if (queue.empty()) {
      if (closing) close();
      return;
    }
    asio::async_write(sock, asio::buffer(*queue.front()), [self = shared_from_this()](std::error_code ec, std::size_t) {
      if (ec) return;
      self->queue.pop_front();
      self->write_next();
    });
  }

  std::deque<std::shared_ptr<std::vector<std::byte>>> queue;
  bool closing = false;
};

fake_node::fake_node(misbehaviour m, std::chrono::milliseconds delay)
    : fake_node(fake_node_options{m, delay, 4}) {}

fake_node::fake_node(fake_node_options o)
    : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), opts_(o) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

fake_node::~fake_node() {
  io_.stop();
  thread_.join();
}

std::optional<fake_node::seen_frame> fake_node::last_statement() const {
  std::lock_guard lock(seen_mu_);
  return last_;
}

void fake_node::forget_prepared() {
  std::lock_guard lock(seen_mu_);
  forgot_ = true;
  prepared_since_.clear();
}

void fake_node::record(const proto::frame_view& f) {
  seen_frame s{f.header.version, {}};
  const auto head = proto::encode_frame_header(f.header);
  s.bytes.assign(head.begin(), head.end());
  s.bytes.insert(s.bytes.end(), f.body.begin(), f.body.end());
  std::lock_guard lock(seen_mu_);
  last_ = std::move(s);
}

void fake_node::prepared(const std::string& id) {
  std::lock_guard lock(seen_mu_);
  if (forgot_) prepared_since_.insert(id);
}

bool fake_node::forgotten(const std::vector<std::byte>& id) const {
  std::lock_guard lock(seen_mu_);
  return forgot_ && !prepared_since_.contains(std::string(reinterpret_cast<const char*>(id.data()), id.size()));
}

void fake_node::drop_connections() {
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    for (auto& w : sessions_)
      if (auto s = w.lock()) s->close();
    sessions_.clear();
    done.set_value();
  });
  done.get_future().wait();
}

void fake_node::stop_listening() {
  std::promise<void> done;
  asio::post(io_, [this, &done] {
    std::error_code ig;
    acceptor_.close(ig);
    for (auto& w : sessions_)
      if (auto s = w.lock()) s->close();
    sessions_.clear();
    done.set_value();
  });
  done.get_future().wait();
}

void fake_node::accept() {
  acceptor_.async_accept([this](std::error_code ec, tcp::socket s) {
    if (ec) return;
    accepted_.fetch_add(1);
    auto sess = std::make_shared<session>(std::move(s), *this);
    std::erase_if(sessions_, [](const auto& w) { return w.expired(); });
    sessions_.push_back(sess);
    sess->read();
    accept();
  });
}

}  // namespace cqlpp::test
