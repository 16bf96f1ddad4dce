// The session over several in-process fake nodes (discover = false: the
// contact points are the cluster): round robin, failover to the next host,
// retries only where the retry policy allows them, every attempt listed in
// the result, a bounded failure when every host is gone. Runs under
// ThreadSanitizer with the session suite.
#include <doctest/doctest.h>

#include <asio/experimental/as_tuple.hpp>
#include <algorithm>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "cqlpp/session/session.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_node.hpp"
#include "tests/support/io_thread.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::fake_node;
using cqlpp::test::fake_node_options;
using cqlpp::test::misbehaviour;

namespace {

session_options two_nodes(const fake_node& a, const fake_node& b) {
  session_options o;
  o.cluster.discover = false;
  o.cluster.contact_points = {"127.0.0.1:" + std::to_string(a.port()), "127.0.0.1:" + std::to_string(b.port())};
  o.connection.request_timeout = 5s;
  o.pool.connections = 1;
  o.pool.reconnect_base = 50ms;
  o.pool.reconnect_max = 200ms;
  return o;
}

session connect(cqlpp::test::io_thread& t, session_options o) {
  auto f = session::async_connect(t.io.get_executor(), std::move(o), asio::use_future);
  REQUIRE(f.wait_for(10s) == std::future_status::ready);
  return f.get();
}

std::pair<std::error_code, query_result> query(session& s, statement st) {
  std::promise<std::pair<std::error_code, query_result>> p;
  s.async_query(st, [&](std::error_code ec, query_result r) { p.set_value({ec, std::move(r)}); });
  auto f = p.get_future();
  REQUIRE(f.wait_for(20s) == std::future_status::ready);
  return f.get();
}

bool both_open(const session& s) {
  const auto hs = s.hosts();
  return hs.size() == 2 && hs[0].connections_open > 0 && hs[1].connections_open > 0;
}

}  // namespace

TEST_CASE("cluster (contact points only): requests alternate over the hosts, and the counters say so") {
  fake_node a, b;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_nodes(a, b));
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  for (int i = 0; i < 100; ++i) {
    auto res_ec = query(s, "SELECT 1");
    auto& ec = res_ec.first;
    auto& r = res_ec.second;
    REQUIRE_FALSE(ec);
    CHECK(r.attempts().empty());
  }
  const auto hs = s.hosts();
  REQUIRE(hs.size() == 2);
  CHECK(hs[0].requests == 50);
  CHECK(hs[1].requests == 50);
  CHECK(a.statements_seen() == 50);
  CHECK(b.statements_seen() == 50);
  CHECK(hs[0].host.address == "127.0.0.1");
  CHECK(hs[0].host.port == a.port());
  CHECK(hs[1].host.port == b.port());
}

TEST_CASE("cluster: a host that is gone is skipped — the request was never sent, so even a non-idempotent one moves on") {
  fake_node a, b;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_nodes(a, b));
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  a.stop_listening();
  REQUIRE(cqlpp::test::eventually([&] { return s.hosts()[0].connections_open == 0; }));
  int moved = 0;
  for (int i = 0; i < 20; ++i) {
    auto res_ec = query(s, "INSERT");
    auto& ec = res_ec.first;
    auto& r = res_ec.second;  // not idempotent
    INFO(ec.message());
    REQUIRE_FALSE(ec);
    if (!r.attempts().empty()) {
      ++moved;
      CHECK(r.attempts().size() == 1);
      CHECK(r.attempts()[0].host == "127.0.0.1:" + std::to_string(a.port()));
      CHECK(r.attempts()[0].decision == "next host");
    }
  }
  MESSAGE("20 requests with one host gone: " << moved << " tried it first and moved on");
  CHECK(moved == 10);  // round robin: every other plan starts with the gone host
  CHECK(b.statements_seen() == 20);
  CHECK(s.hosts()[1].retries == 10);
}

TEST_CASE("cluster: a connection lost mid-response — an idempotent request goes to the next host, another fails and says where") {
  fake_node a(misbehaviour::close_mid_response), b;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_nodes(a, b));
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  int idempotent_ok = 0, plain_failed = 0;
  for (int i = 0; i < 20; ++i) {
    // Wait for A's pool to come back, so that each plan that starts with A
    // really reaches it.
    REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
    statement st("SELECT 1");
    st.idempotent = (i % 4) < 2;
    auto res_ec = query(s, st);
    auto& ec = res_ec.first;
    auto& r = res_ec.second;
    if (st.idempotent) {
      INFO(ec.message());
      CHECK_FALSE(ec);
      if (!ec) ++idempotent_ok;
      for (const auto& at : r.attempts()) CHECK(at.decision == "next host");
    } else if (ec) {
      ++plain_failed;
      REQUIRE(r.attempts().size() == 1);
      CHECK(r.attempts()[0].host == "127.0.0.1:" + std::to_string(a.port()));
      CHECK(r.attempts()[0].decision == "fail");
      MESSAGE("non-idempotent on a lost connection: " << ec.message() << " [" << r.attempts()[0].host << ": "
                                                       << r.attempts()[0].detail << "]");
    }
  }
  CHECK(idempotent_ok == 10);
  CHECK(plain_failed > 0);
}

TEST_CASE("cluster: every host gone — the request fails at once, naming each host tried") {
  fake_node a, b;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_nodes(a, b));
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  a.stop_listening();
  b.stop_listening();
  REQUIRE(cqlpp::test::eventually([&] {
    const auto hs = s.hosts();
    return hs[0].connections_open == 0 && hs[1].connections_open == 0;
  }));
  const auto t0 = std::chrono::steady_clock::now();
  statement st("SELECT 1");
  st.timeout = 3s;
  auto res_ec = query(s, st);
  auto& ec = res_ec.first;
  auto& r = res_ec.second;
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(ec);
  CHECK(took < 3s);
  REQUIRE(r.attempts().size() == 2);
  CHECK(r.attempts()[0].host != r.attempts()[1].host);
  CHECK(r.attempts()[0].decision == "next host");
  CHECK(r.attempts()[1].decision == "fail");
  MESSAGE("all hosts gone: " << ec.message() << " after "
                             << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms; tried "
                             << r.attempts()[0].host << " (" << r.attempts()[0].detail << "), "
                             << r.attempts()[1].host << " (" << r.attempts()[1].detail << ")");
}

// Defect: std::error_code{0, server_category} is falsy, so the server's
// ERROR 0x0000 (Server error) completed the caller as a success.
TEST_CASE("cluster: a server's ERROR 0x0000 (Server error) fails the request; an idempotent one tries the next host") {
  fake_node a, b;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_nodes(a, b));
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  auto res_ec = query(s, "ERROR 0 java.lang.RuntimeException: boom");
  auto& ec = res_ec.first;
  auto& r = res_ec.second;
  CHECK(ec == protocol::server_errc::server_error);
  CHECK(r.error_message() == "java.lang.RuntimeException: boom");
  REQUIRE(r.attempts().size() == 1);
  CHECK(r.attempts()[0].decision == "fail");
  statement st("ERROR 0 boom");
  st.idempotent = true;
  auto res_ec2 = query(s, st);
  auto& ec2 = res_ec2.first;
  auto& r2 = res_ec2.second;
  CHECK(ec2 == protocol::server_errc::server_error);
  REQUIRE(r2.attempts().size() == 2);  // both hosts answered the same
  CHECK(r2.attempts()[0].decision == "next host");
  CHECK(r2.attempts()[1].host != r2.attempts()[0].host);
}

TEST_CASE("cluster: a node answering ERROR 0x000A (Protocol error) fails the request with its words; the session goes on") {
  fake_node a, b;
  cqlpp::test::io_thread t;
  auto s = connect(t, two_nodes(a, b));
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  statement st("ERROR 10 Invalid or unsupported protocol version (66)");
  st.idempotent = true;  // even so: the next host would be sent the same bytes
  auto res_ec = query(s, st);
  auto& ec = res_ec.first;
  auto& r = res_ec.second;
  CHECK(ec == protocol::server_errc::protocol_error);
  CHECK(r.error_message() == "Invalid or unsupported protocol version (66)");
  REQUIRE_FALSE(r.attempts().empty());
  CHECK(r.attempts().back().decision == "fail");
  MESSAGE("a protocol error: " << ec.message() << ": " << r.error_message() << "; " << r.attempts().size()
                               << " attempt(s)");
  CHECK_FALSE(query(s, "SELECT 1").first);
}

TEST_CASE("cluster: a malformed contact point fails async_connect, naming it") {
  cqlpp::test::io_thread t;
  for (const std::string bad : {"127.0.0.1:abc", "127.0.0.1:", "127.0.0.1:70000", "[::1", ":9042"}) {
    CAPTURE(bad);
    session_options o;
    o.cluster.contact_points = {bad};
    std::promise<std::pair<std::error_code, std::string>> p;
    session::async_connect(t.io.get_executor(), o,
                           [&](std::error_code ec, session s) { p.set_value({ec, s.error_detail()}); });
    auto f = p.get_future();
    REQUIRE(f.wait_for(5s) == std::future_status::ready);
    const auto got = f.get();
    const auto& ec = got.first;
    const auto& why = got.second;
    CHECK(ec == std::errc::invalid_argument);
    CHECK(why.find("'" + bad + "'") != std::string::npos);
  }
}

TEST_CASE("cluster: speculative execution — an idempotent request stuck on a slow host is answered by the next one near the delay") {
  fake_node slow(misbehaviour::none, 3000ms), fast;
  cqlpp::test::io_thread t;
  auto o = two_nodes(slow, fast);
  o.cluster.speculative.delay = 100ms;
  o.cluster.speculative.max_executions = 2;
  auto s = connect(t, o);
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  std::vector<double> ms;
  for (int i = 0; i < 10; ++i) {
    statement st("SELECT 1");
    st.idempotent = true;
    const auto t0 = std::chrono::steady_clock::now();
    auto res_ec = query(s, st);
    auto& ec = res_ec.first;
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    CHECK_FALSE(ec);
  }
  std::sort(ms.begin(), ms.end());
  MESSAGE("idempotent, speculative delay 100 ms, one host answering after 3 s: median " << ms[5] << " ms, max "
                                                                                           << ms.back() << " ms");
  CHECK(ms.back() < 2000);  // never waited for the slow host (3 s)
  const auto hs = s.hosts();
  CHECK(hs[1].speculative >= 4);  // the plans that started on the slow host
  // Not idempotent: never sent twice, so it waits for the slow host.
  int slow_ones = 0;
  for (int i = 0; i < 4; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto res_ec = query(s, "SELECT 1");
    auto& ec = res_ec.first;
    CHECK_FALSE(ec);
    if (std::chrono::steady_clock::now() - t0 > 2s) ++slow_ones;
  }
  CHECK(slow_ones == 2);
  // The losers' ids come back when the slow host's late answers arrive.
  CHECK(cqlpp::test::eventually([&] { return s.pool_stats().orphaned_ids == 0; }, 10s));
}

TEST_CASE("cluster: speculative execution is cancelled as a whole by the caller's slot") {
  fake_node a, b;
  cqlpp::test::io_thread t;
  auto o = two_nodes(a, b);
  o.cluster.speculative.delay = 50ms;
  auto s = connect(t, o);
  REQUIRE(cqlpp::test::eventually([&] { return both_open(s); }));
  asio::cancellation_signal sig;
  std::promise<std::error_code> p;
  statement st("HANG");
  st.idempotent = true;
  asio::post(t.io, [&] {
    s.async_query(st, asio::bind_cancellation_slot(sig.slot(), [&](std::error_code ec, query_result) {
      p.set_value(ec);
    }));
  });
  std::this_thread::sleep_for(300ms);  // both executions are in flight
  asio::post(t.io, [&] { sig.emit(asio::cancellation_type::all); });
  auto f = p.get_future();
  REQUIRE(f.wait_for(5s) == std::future_status::ready);
  CHECK(f.get() == asio::error::operation_aborted);
  CHECK(a.statements_seen() + b.statements_seen() == 2);
}
