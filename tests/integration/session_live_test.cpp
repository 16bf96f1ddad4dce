// The session against the live node (scripts/test's single node): what a
// session promises across its connections.
#include <doctest/doctest.h>

#include <vector>

#include "tests/integration/live.hpp"

using namespace cqlpp;
using namespace std::chrono_literals;
using cqlpp::test::io_thread;

namespace {

std::pair<std::error_code, query_result> run(session& s, const std::string& cql) {
  std::promise<std::pair<std::error_code, query_result>> p;
  s.async_query(statement(cql), [&p](std::error_code ec, query_result r) { p.set_value({ec, std::move(r)}); });
  auto f = p.get_future();
  REQUIRE(f.wait_for(60s) == std::future_status::ready);
  return f.get();
}

}  // namespace

// Defect: USE reached the one connection that carried it, so with two
// connections every other unqualified statement failed with "No keyspace
// has been specified".
TEST_CASE("session: USE applies to every connection of the session") {
  io_thread t;
  auto o = cqlpp::test::live_options();
  o.pool.connections = 3;
  auto s = cqlpp::test::connect(t, o);
  REQUIRE(cqlpp::test::eventually([&] { return s.pool_stats().connections_open == 3; }, 20s));
  for (const std::string cql : {"CREATE KEYSPACE IF NOT EXISTS \"CqlppUse\" WITH replication = "
                                "{'class': 'SimpleStrategy', 'replication_factor': 1}",
                                "CREATE TABLE IF NOT EXISTS \"CqlppUse\".kv (k int PRIMARY KEY, v int)",
                                "INSERT INTO \"CqlppUse\".kv (k, v) VALUES (1, 2)"}) {
    const auto res = run(s, cql);
    INFO(cql << ": " << res.second.error_message());
    REQUIRE_FALSE(res.first);
  }
  {
    const auto res = run(s, "USE \"CqlppUse\"");  // a mixed-case name: kept by the quoting
    INFO(res.second.error_message());
    REQUIRE_FALSE(res.first);
  }
  // All at once: the pool spreads them over its connections (one at a time
  // would all go to the least busy, the same one each time).
  std::vector<std::future<std::pair<std::error_code, query_result>>> pending;
  std::vector<std::promise<std::pair<std::error_code, query_result>>> promises(60);
  for (auto& p : promises) {
    pending.push_back(p.get_future());
    s.async_query(statement("SELECT v FROM kv WHERE k = 1"),
                  [&p](std::error_code ec, query_result r) { p.set_value({ec, std::move(r)}); });
  }
  int failed = 0;
  std::string why;
  for (auto& f : pending) {
    REQUIRE(f.wait_for(60s) == std::future_status::ready);
    auto res = f.get();
    if (res.first) {
      ++failed;
      why = res.second.error_message();
    }
  }
  const auto st = s.pool_stats();
  CHECK(st.connections_open == 3);
  MESSAGE("60 unqualified SELECTs at once after USE, over 3 connections: " << failed << " failed " << why);
  CHECK(failed == 0);
}
