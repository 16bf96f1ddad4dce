// Example: the cluster as the session sees it, with C++20 coroutines —
// the nodes found from one contact point, a few reads by key, and which
// node coordinated each (per-host counters).
//
// Usage: cluster_example [CONTACT_POINT]
#include <asio.hpp>
#include <iostream>

#include "cqlpp/session/session.hpp"

using namespace cqlpp;
using asio::use_awaitable;

namespace {

asio::awaitable<int> run(std::string contact) {
  session_options o;
  o.cluster.contact_points = {contact};
  session s = co_await session::async_connect(co_await asio::this_coro::executor, o, use_awaitable);
  std::cout << "connected through " << contact << " (protocol v" << int(s.protocol_version()) << "); the cluster:\n";
  for (const auto& h : s.hosts())
    std::cout << "  " << h.host.address << ":" << h.host.port << "  dc " << h.host.datacenter << ", rack "
              << h.host.rack << ", Cassandra " << h.host.release_version << (h.host.up ? ", up" : ", down") << "\n";

  const statement schema[] = {
      statement("CREATE KEYSPACE IF NOT EXISTS cqlpp_example WITH replication = "
                "{'class': 'SimpleStrategy', 'replication_factor': 1}"),
      statement("CREATE TABLE IF NOT EXISTS cqlpp_example.users (id int PRIMARY KEY, name text)"),
  };
  for (const auto& st : schema) co_await s.async_query(st, use_awaitable);
  const std::string insert_cql = "INSERT INTO cqlpp_example.users (id, name) VALUES (?, ?)";
  const std::string select_cql = "SELECT name FROM cqlpp_example.users WHERE id = ?";
  auto insert = co_await s.async_prepare(insert_cql, use_awaitable);
  auto select = co_await s.async_prepare(select_cql, use_awaitable);
  for (int id = 0; id < 5; ++id) {
    std::vector<protocol::cql_value> values{std::int32_t{id}, "user-" + std::to_string(id)};
    co_await s.async_execute(insert, values, use_awaitable);
  }
  // Reads by key go to the key's replica first (token-aware routing).
  for (int id = 0; id < 5; ++id) {
    const auto before = s.hosts();
    std::vector<protocol::cql_value> key{std::int32_t{id}};
    auto r = co_await s.async_execute(select, key, use_awaitable);
    const streaming::row row(*r.rows()->begin());
    std::string coordinator;
    const auto after = s.hosts();
    for (std::size_t i = 0; i < after.size() && i < before.size(); ++i)
      if (after[i].requests != before[i].requests) coordinator = after[i].host.address;
    std::cout << "id " << id << " -> '" << row.get<std::string_view>(0).value().value_or("") << "', coordinated by "
              << coordinator << "\n";
  }
  const auto ev = s.events();
  std::cout << "control connection on " << ev.control_host << "; events seen: " << ev.schema << " schema, "
            << ev.status << " status, " << ev.topology << " topology\n";
  const auto m = s.metrics();
  std::cout << "session metrics: " << m.requests << " requests, " << m.failed << " failed, " << m.retries
            << " retries; latency p50 " << m.latency.p50.count() << " us, p99 " << m.latency.p99.count()
            << " us, max " << m.latency.max.count() << " us\n";
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string contact = argc > 1 ? argv[1] : "127.0.0.1";
  asio::io_context io;
  auto f = asio::co_spawn(io, run(contact), asio::use_future);
  io.run();
  try {
    return f.get();
  } catch (const connect_error& e) {
    std::cerr << "cluster_example: cannot connect: " << e.detail() << "\n";
  } catch (const std::system_error& e) {
    std::cerr << "cluster_example: " << e.code().message() << " (" << e.code().category().name() << ")\n";
  }
  return 1;
}
