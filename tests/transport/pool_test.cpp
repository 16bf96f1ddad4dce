// host_pool against the fake node: reconnection that never gets lost.
#include "cqlpp/transport/pool.hpp"

#include <doctest/doctest.h>

#include <thread>

#include "tests/support/eventually.hpp"
#include "tests/support/fake_node.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;

// Defect 2 of "Keep every promise the headers make": the pool installed its
// close handler from its own thread while the connection's strand could
// already be closing it; a connection that died in that window was never
// replaced. Here every connection dies right after READY, with 4 io threads,
// so each one's close races the handler's installation: every one of them
// must be replaced.
TEST_CASE("host_pool: a connection that dies right after its handshake is always replaced") {
  test::fake_node node(test::fake_node_options{.mode = test::misbehaviour::close_after_ready});
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) threads.emplace_back([&] { io.run(); });
  transport::connection_options c;
  c.host = "127.0.0.1";
  c.port = node.port();
  c.max_version = 4;
  transport::pool_options p;
  p.connections = 1;
  p.reconnect_base = 1ms;
  p.reconnect_max = 2ms;
  auto pool = transport::host_pool::create(io.get_executor(), c, p);
  pool->async_start([](std::error_code) {});
  // One slot reconnecting after every death: 300 handshakes come within a
  // second or two, unless the slot got stuck.
  const bool kept_reconnecting = test::eventually([&] { return node.connections_accepted() >= 300; }, 20s);
  MESSAGE("handshakes: " << node.connections_accepted() << ", reconnect attempts: "
                         << pool->stats().reconnect_attempts);
  CHECK(kept_reconnecting);
  pool->close();
  guard.reset();
  for (auto& t : threads) t.join();
}
