// transport::connection against the scripted fake node: normal traffic,
// every misbehaviour, timeouts, cancellation, heartbeats. Every wait in here
// is bounded, so a hang in the code under test fails the test instead.
#include "cqlpp/transport/connection.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <future>
#include <thread>

#include "cqlpp/protocol/writer.hpp"
#include "tests/support/fake_node.hpp"
#include "tests/support/io_thread.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::fake_node;
using cqlpp::test::misbehaviour;

namespace {

using runner = cqlpp::test::io_thread;

transport::request startup_request() {
  transport::request r;
  r.op = protocol::opcode::startup;
  protocol::writer w(r.body);
  w.string_map({{"CQL_VERSION", "3.0.0"}});
  return r;
}

transport::request query_request(std::chrono::milliseconds timeout = 0ms) {
  transport::request r;
  r.op = protocol::opcode::query;
  protocol::writer w(r.body);
  w.long_string("SELECT 1");
  w.write_consistency(protocol::consistency::one);
  w.u8(0);
  r.timeout = timeout;
  return r;
}

template <class Runner>
std::shared_ptr<transport::connection> open(Runner& rt, std::uint16_t port, transport::connection_options o = {}) {
  o.host = "127.0.0.1";
  o.port = port;
  o.max_version = 4;
  auto c = transport::connection::create(rt.io.get_executor(), o);
  auto f = c->async_open(asio::use_future);
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  f.get();
  auto s = c->async_request(startup_request(), asio::use_future);
  REQUIRE(s.wait_for(5s) == std::future_status::ready);
  CHECK(s.get().header.op == protocol::opcode::ready);
  return c;
}

// Waits for a future with a bound; returns the error it completed with.
template <class T>
std::error_code outcome(std::future<T>& f, std::chrono::milliseconds bound = 5s) {
  REQUIRE(f.wait_for(bound) == std::future_status::ready);
  try {
    f.get();
    return {};
  } catch (const std::system_error& e) {
    return e.code();
  }
}

}  // namespace

TEST_CASE("connection: 10,000 requests at concurrency 1,000 all succeed and leave no ids behind") {
  fake_node node;
  runner rt;
  auto c = open(rt, node.port());
  std::vector<std::future<transport::response>> fs;
  for (int round = 0; round < 10; ++round) {
    fs.clear();
    for (int i = 0; i < 1000; ++i) fs.push_back(c->async_request(query_request(), asio::use_future));
    for (auto& f : fs) CHECK(outcome(f) == std::error_code());
  }
  const auto s = c->stats();
  CHECK(s.ids_in_use == 0);
  CHECK(s.orphaned_ids == 0);
  CHECK(s.requests_sent == 10001);
  CHECK(s.writes < s.requests_sent);  // coalesced
}

TEST_CASE("connection: a late response after a timeout is absorbed and its id returned") {
  fake_node node(misbehaviour::none, 400ms);
  runner rt;
  auto c = open(rt, node.port());
  auto f = c->async_request(query_request(100ms), asio::use_future);
  CHECK(outcome(f) == transport::errc::request_timeout);
  CHECK(c->stats().orphaned_ids == 1);
  for (int i = 0; i < 100 && c->stats().orphaned_ids != 0; ++i) std::this_thread::sleep_for(20ms);
  CHECK(c->stats().orphaned_ids == 0);
  CHECK(c->stats().orphan_responses == 1);
  CHECK(c->stats().ids_in_use == 0);
  auto g = c->async_request(query_request(), asio::use_future);
  CHECK(outcome(g) == std::error_code());
}

TEST_CASE("connection: cancellation frees the caller at once; the id stays orphaned until the reply") {
  fake_node node(misbehaviour::none, 300ms);
  runner rt;
  auto c = open(rt, node.port());
  asio::cancellation_signal sig;
  std::promise<std::error_code> done;
  c->async_request(query_request(), asio::bind_cancellation_slot(sig.slot(),
      [&](std::error_code ec, transport::response) { done.set_value(ec); }));
  std::this_thread::sleep_for(50ms);
  asio::post(rt.io, [&] { sig.emit(asio::cancellation_type::terminal); });
  auto f = done.get_future();
  REQUIRE(f.wait_for(1s) == std::future_status::ready);
  CHECK(f.get() == asio::error::operation_aborted);
  CHECK(c->stats().orphaned_ids == 1);
  for (int i = 0; i < 100 && c->stats().orphaned_ids != 0; ++i) std::this_thread::sleep_for(20ms);
  CHECK(c->stats().orphaned_ids == 0);
  CHECK(c->stats().orphan_responses == 1);
}

TEST_CASE("connection: every misbehaviour of the server gives a clear error, never a hang") {
  struct expectation { misbehaviour m; std::error_code want; };
  const expectation cases[] = {
      {misbehaviour::truncate_frame, transport::errc::connection_closed},
      {misbehaviour::close_mid_response, transport::errc::connection_closed},
      {misbehaviour::oversized_length, transport::errc::protocol_violation},
      {misbehaviour::garbage, transport::errc::protocol_violation},
      {misbehaviour::stall_mid_frame, transport::errc::request_timeout},
      {misbehaviour::black_hole, transport::errc::request_timeout},
      {misbehaviour::wrong_stream_id, transport::errc::request_timeout},
  };
  for (const auto& x : cases) {
    CAPTURE(static_cast<int>(x.m));
    fake_node node(x.m);
    runner rt;
    auto c = open(rt, node.port());
    auto f = c->async_request(query_request(300ms), asio::use_future);
    CHECK(outcome(f, 3s) == x.want);
    if (x.want != transport::errc::request_timeout) {
      CHECK_FALSE(c->is_open());
      // Later requests fail at once with the same cause.
      auto g = c->async_request(query_request(), asio::use_future);
      CHECK(outcome(g, 1s) == x.want);
    }
    if (x.m == misbehaviour::wrong_stream_id) CHECK(c->stats().stray_responses == 1);
  }
}

TEST_CASE("connection: a silent node is declared defunct within heartbeat interval + timeout") {
  fake_node node(misbehaviour::black_hole);
  runner rt;
  transport::connection_options o;
  o.heartbeat_interval = 200ms;
  o.heartbeat_timeout = 200ms;
  o.request_timeout = 30s;
  auto c = open(rt, node.port(), o);
  transport::handshake_info info;
  info.version = 4;
  c->set_negotiated(info);
  const auto t0 = std::chrono::steady_clock::now();
  auto f = c->async_request(query_request(), asio::use_future);  // long timeout: only the heartbeat can end it
  CHECK(outcome(f, 3s) == transport::errc::defunct);
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took < 1s);
  CHECK(c->stats().heartbeats_sent == 1);
}

TEST_CASE("connection: connecting to a closed port fails promptly with connection_refused") {
  runner rt;
  std::uint16_t port;
  {
    asio::ip::tcp::acceptor a(rt.io, {asio::ip::make_address("127.0.0.1"), 0});
    port = a.local_endpoint().port();
  }
  transport::connection_options o;
  o.port = port;
  auto c = transport::connection::create(rt.io.get_executor(), o);
  auto f = c->async_open(asio::use_future);
  CHECK(outcome(f) == asio::error::connection_refused);
}

TEST_CASE("connection: use_awaitable works with the same call") {
  fake_node node;
  runner rt;
  auto c = open(rt, node.port());
  auto f = asio::co_spawn(rt.io, [c]() -> asio::awaitable<int> {
    auto r = co_await c->async_request(query_request(), asio::use_awaitable);
    co_return static_cast<int>(r.header.op);
  }, asio::use_future);
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get() == static_cast<int>(protocol::opcode::result));
}

// The completion path: a handler on the io_context that reads the response
// runs straight from the read (no trip through the scheduler), never from the
// initiating call, and what it issues leaves in the read's own write.
namespace {

// Issues `left` requests one after another, each from the previous one's
// handler, on the io thread; records how deep the stack got and whether a
// handler ever ran inside the call that initiated it.
struct chain {
  chain(std::shared_ptr<transport::connection> conn, int n) : c(std::move(conn)), left(n) {}
  std::shared_ptr<transport::connection> c;
  int left = 0;
  int ok = 0, failed = 0;
  bool in_initiation = false, ran_inline = false;
  std::uintptr_t top = 0, deepest = 0;
  std::promise<void> done;

  void next() {
    if (left-- == 0) return done.set_value();
    in_initiation = true;
    c->async_request(query_request(), asio::bind_executor(c->strand().get_inner_executor(),
        [this](std::error_code ec, transport::response) {
          if (in_initiation) ran_inline = true;
          int here = 0;
          const auto at = reinterpret_cast<std::uintptr_t>(&here);
          if (top == 0) top = at;
          if (at < deepest || deepest == 0) deepest = at;
          (ec ? failed : ok) += 1;
          next();
        }));
    in_initiation = false;
  }
};

}  // namespace

TEST_CASE("completion path: 5,000 requests chained from their handlers complete, none inline, stack flat") {
  fake_node node;
  runner rt;
  auto c = open(rt, node.port());
  chain ch{c, 5000};
  auto f = ch.done.get_future();
  asio::post(rt.io, [&] { ch.next(); });
  REQUIRE(f.wait_for(30s) == std::future_status::ready);
  CHECK(ch.ok == 5000);
  CHECK(ch.failed == 0);
  CHECK_FALSE(ch.ran_inline);
  // Each handler runs from a read, not from the previous handler: the stack
  // does not grow with the chain (a recursion would use >= 100 bytes a link).
  CHECK(ch.top - ch.deepest < 64 * 1024);
  const auto s = c->stats();
  CHECK(s.ids_in_use == 0);
  CHECK(s.requests_sent == 5001);
}

TEST_CASE("completion path: requests chained on a closed connection fail by posting, without recursion") {
  fake_node node;
  runner rt;
  auto c = open(rt, node.port());
  c->close();
  for (int i = 0; i < 100 && c->is_open(); ++i) std::this_thread::sleep_for(10ms);
  REQUIRE_FALSE(c->is_open());
  chain ch{c, 20000};
  auto f = ch.done.get_future();
  asio::post(rt.io, [&] { ch.next(); });
  REQUIRE(f.wait_for(30s) == std::future_status::ready);
  CHECK(ch.failed == 20000);
  CHECK_FALSE(ch.ran_inline);
  CHECK(ch.top - ch.deepest < 64 * 1024);
}

TEST_CASE("completion path: a handler on a strand of its own is posted there, not run on the connection's") {
  fake_node node;
  runner rt;
  auto c = open(rt, node.port());
  auto other = asio::make_strand(rt.io);
  std::promise<bool> on_other;
  auto f = on_other.get_future();
  c->async_request(query_request(), asio::bind_executor(other,
      [&](std::error_code, transport::response) {
        on_other.set_value(other.running_in_this_thread() && !c->strand().running_in_this_thread());
      }));
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get());
}

TEST_CASE("completion path: a handler that throws leaves through run(); the connection reads on, the rest complete") {
  fake_node node;
  // An io thread that runs again after an exception, as a server's loop would.
  struct rethrowing_io {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard{io.get_executor()};
    std::atomic<int> thrown{0};
    std::thread thread{[this] {
      for (;;) {
        try {
          io.run();
          return;
        } catch (const std::runtime_error&) {
          ++thrown;
        }
      }
    }};
    ~rethrowing_io() {
      guard.reset();
      io.stop();
      thread.join();
    }
  } rt;
  auto c = open(rt, node.port());
  std::atomic<int> ok{0};
  std::promise<void> all;
  auto on_io = rt.io.get_executor();
  asio::post(rt.io, [&] {
    for (int i = 0; i < 8; ++i)
      c->async_request(query_request(), asio::bind_executor(on_io, [&, i](std::error_code ec, transport::response) {
        if (i == 0) throw std::runtime_error("from a handler");
        if (!ec && ++ok == 7) all.set_value();
      }));
  });
  auto f = all.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(rt.thrown == 1);
  // The connection still reads: a request after the throw completes.
  auto g = c->async_request(query_request(), asio::use_future);
  CHECK(outcome(g) == std::error_code());
  CHECK(c->stats().ids_in_use == 0);
}
