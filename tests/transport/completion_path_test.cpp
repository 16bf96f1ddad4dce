// The completion path of transport::connection: a handler on the io_context
// that reads the response runs straight from the read (no trip through the
// scheduler), never from the initiating call, and what it issues leaves in
// the read's own write. These tests pin the promises that make that safe.
#include "transport/connection.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <future>
#include <thread>

#include "protocol/writer.hpp"
#include "tests/support/fake_node.hpp"
#include "tests/support/io_thread.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::fake_node;

namespace {

transport::request make_request(protocol::opcode op) {
  transport::request r;
  r.op = op;
  protocol::writer w(r.body);
  if (op == protocol::opcode::startup) {
    w.string_map({{"CQL_VERSION", "3.0.0"}});
  } else {
    w.long_string("SELECT 1");
    w.write_consistency(protocol::consistency::one);
    w.u8(0);
  }
  return r;
}

std::shared_ptr<transport::connection> open(test::io_thread& rt, std::uint16_t port) {
  transport::connection_options o;
  o.host = "127.0.0.1";
  o.port = port;
  o.max_version = 4;
  auto c = transport::connection::create(rt.io.get_executor(), o);
  auto f = c->async_open(asio::use_future);
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  f.get();
  auto s = c->async_request(make_request(protocol::opcode::startup), asio::use_future);
  REQUIRE(s.wait_for(5s) == std::future_status::ready);
  REQUIRE(s.get().header.op == protocol::opcode::ready);
  return c;
}

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
    c->async_request(make_request(protocol::opcode::query), asio::bind_executor(c->strand().get_inner_executor(),
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
  test::io_thread rt;
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
  test::io_thread rt;
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
  test::io_thread rt;
  auto c = open(rt, node.port());
  auto other = asio::make_strand(rt.io);
  std::promise<bool> on_other;
  auto f = on_other.get_future();
  c->async_request(make_request(protocol::opcode::query), asio::bind_executor(other,
      [&](std::error_code, transport::response) {
        on_other.set_value(other.running_in_this_thread() && !c->strand().running_in_this_thread());
      }));
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get());
}
