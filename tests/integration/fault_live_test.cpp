// Node faults against a real Cassandra 5.0 started by scripts/test:
// SIGSTOP (a frozen node: only heartbeats can tell) and SIGKILL mid-flight.
// Needs $CQLPP_CASSANDRA_SCRIPT (scripts/cassandra) and the run folder in
// $CQLPP_CASSANDRA_RUN; it restores the node before it ends.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>

#include "tests/integration/live.hpp"
#include "cqlpp/transport/message_io.hpp"
#include "cqlpp/transport/pool.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::eventually;
using cqlpp::test::io_thread;

namespace {

int cassandra(const std::string& args) {
  const char* script = std::getenv("CQLPP_CASSANDRA_SCRIPT");
  REQUIRE_MESSAGE(script, "CQLPP_CASSANDRA_SCRIPT is not set (scripts/test sets it)");
  return std::system((std::string(script) + " " + args + " >/dev/null 2>&1").c_str());
}

transport::request select_local(protocol::protocol_version v) {
  protocol::query_request q;
  q.query = "SELECT release_version FROM system.local";
  transport::request r;
  REQUIRE_FALSE(transport::make_request(q, v, r));
  return r;
}

std::shared_ptr<transport::host_pool> start_pool(io_thread& t, transport::connection_options o) {
  o.host = cqlpp::test::live_host();
  transport::pool_options po;
  po.connections = 2;
  po.reconnect_base = 200ms;
  po.reconnect_max = 2s;
  auto pool = transport::host_pool::create(t.io.get_executor(), o, po);
  auto f = pool->async_start(asio::use_future);
  REQUIRE(f.wait_for(30s) == std::future_status::ready);
  f.get();
  REQUIRE(eventually([&] { return pool->stats().connections_open == 2; }));
  return pool;
}

}  // namespace

TEST_CASE("a frozen node (SIGSTOP) is declared defunct within heartbeat interval + timeout; after SIGCONT the pool reconnects") {
  io_thread t;
  transport::connection_options o;
  o.heartbeat_interval = 1s;
  o.heartbeat_timeout = 1s;
  o.request_timeout = 60s;  // only the heartbeat can end the request below
  auto pool = start_pool(t, o);
  const auto v = static_cast<protocol::protocol_version>(pool->protocol_version());

  REQUIRE(cassandra("freeze 1") == 0);
  const auto t0 = std::chrono::steady_clock::now();
  auto f = pool->async_request(select_local(v), asio::use_future);
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::error_code ec;
  try { f.get(); } catch (const std::system_error& e) { ec = e.code(); }
  MESSAGE("frozen node: request failed after " << took << " s with '" << ec.message() << "'");
  CHECK(ec == transport::errc::defunct);
  CHECK(took < 2.0 + 0.5);  // interval + timeout, plus the 50 ms tick and slack
  CHECK(eventually([&] { return pool->stats().connections_open == 0; }, 5s));

  REQUIRE(cassandra("thaw 1") == 0);
  const auto t1 = std::chrono::steady_clock::now();
  CHECK(eventually([&] { return pool->stats().connections_open == 2; }, 30s));
  MESSAGE("after SIGCONT: pool back to 2 connections in "
          << std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count() << " s, reconnect attempts "
          << pool->stats().reconnect_attempts);
  auto g = pool->async_request(select_local(v), asio::use_future);
  REQUIRE(g.wait_for(10s) == std::future_status::ready);
  CHECK(g.get().header.op == protocol::opcode::result);
  pool->close();
}

TEST_CASE("the node killed (SIGKILL) mid-flight: every pending request completes with an error, nothing hangs") {
  io_thread t;
  transport::connection_options o;
  o.request_timeout = 5s;
  auto pool = start_pool(t, o);
  const auto v = static_cast<protocol::protocol_version>(pool->protocol_version());

  // 1,024 request chains, each issuing its next request when one succeeds,
  // so requests are always on the wire when the node dies. A failed request
  // ends its chain.
  std::atomic<bool> stop{false};
  std::atomic<int> outstanding{0}, completed{0}, failed{0};
  std::function<void()> issue = [&] {
    if (stop) return;
    outstanding.fetch_add(1);
    pool->async_request(select_local(v), [&](std::error_code ec, transport::response) {
      completed.fetch_add(1);
      if (ec) failed.fetch_add(1);
      if (!ec) issue();
      outstanding.fetch_sub(1);
    });
  };
  for (int i = 0; i < 1024; ++i) asio::post(t.io, issue);
  std::this_thread::sleep_for(300ms);  // under load
  const int before = completed.load();
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE(cassandra("kill 1") == 0);
  const bool finished = eventually([&] { return outstanding.load() == 0; }, 15s);
  stop = true;
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("SIGKILL under load: " << completed.load() - before << " requests completed after the kill, "
                                 << failed.load() << " with an error, none left pending after " << took << " s");
  CHECK(finished);
  CHECK(failed > 0);
  CHECK(took < 5.0 + 1.0);  // within the request timeout
  CHECK(eventually([&] { return outstanding.load() == 0; }, 1s));
  const auto s = pool->stats();
  CHECK(s.ids_in_use == 0);
  CHECK(s.requests_in_flight == 0);

  REQUIRE(cassandra("restart 1") == 0);
  CHECK(eventually([&] { return pool->stats().connections_open == 2; }, 60s));
  auto g = pool->async_request(select_local(v), asio::use_future);
  REQUIRE(g.wait_for(10s) == std::future_status::ready);
  CHECK(g.get().header.op == protocol::opcode::result);
  pool->close();
}
